import type { Prng } from './prng.js';

/** Rough tokens of .mas text: words, numbers, strings, regexes, `{{`/`}}`/`->`, single characters, whitespace. */
const TOKEN_PATTERN =
    /"(?:[^"\\]|\\.)*"|\/(?:[^/\\\n]|\\.)+\/[ims]*|[A-Za-z_]\w*|\d+(?:\.\d+)?(?:e-?\d+)?|\{\{|\}\}|->|[<>=!]=|\s+|./gs;

export function roughTokens(text: string): string[] {
    return text.match(TOKEN_PATTERN) ?? [];
}

/** Words and punctuation inserted by token mutations, on top of the corpus' own tokens. */
const EXTRA_TOKENS = [
    '{',
    '}',
    '(',
    ')',
    '[',
    ']',
    ':',
    ',',
    '.',
    '->',
    '"',
    '{{',
    '}}',
    '/',
    '*',
    '-',
    'not',
    'and',
    'or',
    'when',
    'max',
    'agent',
    'role',
    'model',
    'graph',
    'rubric',
    'criterion',
    'weight',
    'reward',
    'train',
    'dataset',
    'import',
    'workflow',
    'start',
    'end',
    'task',
    'output',
    '"{{',
    '}}"',
    '/x/',
    '1e309',
    '-0',
    '"\\',
    '/*',
    '//',
    '\u00e9',
    '\u{1F600}',
];

type TokenMutation = (tokens: string[], prng: Prng, vocabulary: readonly string[]) => void;

const TOKEN_MUTATIONS: Record<string, TokenMutation> = {
    deleteToken: (tokens, prng) => {
        tokens.splice(prng.int(tokens.length), 1 + prng.int(3));
    },
    insertToken: (tokens, prng, vocabulary) => {
        tokens.splice(prng.int(tokens.length + 1), 0, prng.pick(vocabulary));
    },
    swapTokens: (tokens, prng) => {
        const a = prng.int(tokens.length);
        const b = prng.int(tokens.length);
        [tokens[a], tokens[b]] = [tokens[b]!, tokens[a]!];
    },
    duplicateTokens: (tokens, prng) => {
        const start = prng.int(tokens.length);
        const run = tokens.slice(start, start + 1 + prng.int(20));
        tokens.splice(prng.int(tokens.length + 1), 0, ...run);
    },
};

type TextMutation = (text: string, prng: Prng) => string;

const TEXT_MUTATIONS: Record<string, TextMutation> = {
    byteSplice: (text, prng) => {
        const at = prng.int(text.length + 1);
        const from = prng.int(text.length + 1);
        return text.slice(0, at) + text.slice(from, from + prng.int(40)) + text.slice(at + prng.int(10));
    },
    randomChars: (text, prng) => {
        const at = prng.int(text.length + 1);
        const chars = Array.from({ length: 1 + prng.int(8) }, () =>
            String.fromCharCode(prng.int(prng.next() < 0.8 ? 128 : 0xffff)),
        );
        return text.slice(0, at) + chars.join('') + text.slice(at);
    },
    lineEndings: (text, prng) => text.replace(/\n/g, () => prng.pick(['\n', '\r\n', '\r', '\r\r\n'])),
    bom: (text) => '\uFEFF' + text,
    nulBytes: (text, prng) => text.replace(/ /g, (space) => (prng.next() < 0.05 ? '\0' : space)),
    truncate: (text, prng) => text.slice(0, prng.int(text.length + 1)),
};

const TOKEN_MUTATION_NAMES = Object.keys(TOKEN_MUTATIONS);
const TEXT_MUTATION_NAMES = Object.keys(TEXT_MUTATIONS);

/** Applies 1–4 random token or text mutations; returns the mutant and the names of what was done. */
export function mutate(
    seedText: string,
    prng: Prng,
    corpusVocabulary: readonly string[],
): { text: string; operations: string[] } {
    const vocabulary = [...EXTRA_TOKENS, ...corpusVocabulary];
    const operations: string[] = [];
    let text = seedText;
    const count = 1 + prng.int(4);
    for (let i = 0; i < count; i++) {
        if (prng.next() < 0.6) {
            const name = prng.pick(TOKEN_MUTATION_NAMES);
            const tokens = roughTokens(text);
            TOKEN_MUTATIONS[name]!(tokens, prng, vocabulary);
            text = tokens.join('');
            operations.push(name);
        } else {
            const name = prng.pick(TEXT_MUTATION_NAMES);
            text = TEXT_MUTATIONS[name]!(text, prng);
            operations.push(name);
        }
    }
    return { text, operations };
}

/** Inputs that target the recursion and size limits; one of them replaces a random mutant now and then. */
export const EXTREME_INPUTS: Record<string, (seedText: string) => string> = {
    nestedParentheses: () => `rubric r { criterion a weight 1: ${'('.repeat(10_000)}task.x${')'.repeat(10_000)} }`,
    unclosedParentheses: () => `graph { start -> a when ${'('.repeat(10_000)} }`,
    nestedNot: () => `rubric r { criterion a weight 1: ${'not '.repeat(10_000)}true }`,
    nestedMinus: () => `rubric r { criterion a weight 1: ${'-'.repeat(10_000)}1 > 0 }`,
    nestedBlocks: (seed) => `${seed}\ngraph ${'{'.repeat(5_000)}${'}'.repeat(5_000)}`,
    nestedCalls: () => `rubric r { criterion a weight 1: ${'length('.repeat(3_000)}"x"${')'.repeat(3_000)} > 1 }`,
    nestedLists: () => `train { credit: counterfactual(fanout: ${'['.repeat(5_000)}2${']'.repeat(5_000)}) }`,
    megabyteLine: (seed) => `${seed}\nrole Long "${'x'.repeat(1_000_000)}"`,
    megabyteGarbageLine: () => 'a ) '.repeat(250_000),
    megabyteTemplate: () => `agent a: R { model: m prompt: "${'{{task.q}} '.repeat(90_000)}" }`,
};

export const EXTREME_INPUT_NAMES = Object.keys(EXTREME_INPUTS);
