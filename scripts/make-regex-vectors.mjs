// Writes test/fixtures/expressions/regex-differential.json: random patterns of the regex dialect and inputs,
// with the answers of the TypeScript evaluator (re2js). The Python evaluator (trainer/mas_trainer/regex/)
// must give the same answers; both test suites read the file. The seed is fixed, so a rerun only changes
// the file when an engine's answers change. Usage: node scripts/make-regex-vectors.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'test/fixtures/expressions/regex-differential.json');
const SEED = 20261207;
const PATTERNS = 260;

/** mulberry32: a small seeded generator, so the file is reproducible. */
function random(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const next = random(SEED);
const pick = (items) => items[Math.floor(next() * items.length)];
const ATOMS = [
    'a',
    'b',
    'A',
    '1',
    ' ',
    '.',
    '[ab]',
    '[^a]',
    '[a-c]',
    '[\\s\\d]',
    '\\d',
    '\\w',
    '\\W',
    '\\s',
    '\\S',
    '\\-',
    'x',
];
const ASSERTIONS = ['^', '$', '\\b', '\\B'];
const QUANTIFIERS = ['*', '+', '?', '*?', '+?', '??', '{2}', '{1,2}', '{0,2}', '{2,}', '{1,3}?'];
/** Fragments that are sometimes outside the dialect, so acceptance is compared too. */
const ODD = [
    '(?=a)',
    '(?!a)',
    '\\1',
    'a{01}',
    '{',
    ']',
    '^*',
    '[]',
    '\\e',
    '(?i)a',
    '\\x41',
    '\\u0061',
    '\\0',
    '[[:alpha:]]',
    '[\\b]',
    'a**',
    '(?:)',
];

function pattern(depth) {
    const parts = [];
    const length = 1 + Math.floor(next() * 3);
    for (let i = 0; i < length; i++) {
        const roll = next();
        let atom;
        if (roll < 0.12 && depth < 3) atom = `(${pattern(depth + 1)})`;
        else if (roll < 0.2 && depth < 3) atom = `(?:${pattern(depth + 1)})`;
        else if (roll < 0.28) {
            parts.push(pick(ASSERTIONS));
            continue;
        } else if (roll < 0.31) atom = pick(ODD);
        else atom = pick(ATOMS);
        parts.push(next() < 0.4 ? atom + pick(QUANTIFIERS) : atom);
    }
    const body = parts.join('');
    return next() < 0.2 ? `${body}|${pattern(depth + 1)}` : body;
}

function input() {
    const length = Math.floor(next() * 10);
    let text = '';
    for (let i = 0; i < length; i++) text += pick(['a', 'a', 'b', 'A', '1', ' ', '\n', '_', '-', 'x', 'é']);
    return text;
}

const bundle = await build({
    entryPoints: [join(ROOT, 'analysis/expression/evaluate.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
});
const { tryEvaluate } = await import(
    `data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`
);

const vectors = [];
const context = { task: {}, outputs: {}, ctx: {} };
for (let p = 0; p < PATTERNS; p++) {
    const regex = { op: 'regex', source: pattern(0), flags: pick(['', '', '', 'i', 'm', 's', 'ms']) };
    for (const [k, text] of [input(), input()].entries()) {
        const str = { op: 'str', value: text };
        const exprs = {
            matches: { op: 'matches', left: str, right: regex },
            extract: { op: 'call', fn: 'extract', args: [str, regex] },
            count: { op: 'call', fn: 'count', args: [str, regex] },
        };
        for (const [name, expr] of Object.entries(exprs)) {
            const result = tryEvaluate(expr, context);
            const vector = { name: `random ${p}.${k} ${name}`, expr, context };
            if (result.ok) vector.expected = result.value;
            else vector.error = result.error.kind;
            vectors.push(vector);
        }
    }
}
writeFileSync(OUT, `${JSON.stringify(vectors, null, 0).replace(/\},\{"name"/g, '},\n{"name"')}\n`);
console.log(`${vectors.length} vectors, ${vectors.filter((v) => v.error).length} errors -> ${OUT}`);
