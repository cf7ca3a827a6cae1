import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../server/src/compile/compile-file.js';
import type { RunSpec } from '../../protocol/run-spec.js';
import { runSpecExpressionValidator, runSpecValidator } from './run-spec-schema.js';
import type { ExpressionVector } from '../../protocol/expression.js';

const INPUTS = join(import.meta.dirname, 'inputs');
const EXAMPLES = join(import.meta.dirname, '../../examples');
const validate = runSpecValidator();

async function compiledSpec(path: string): Promise<RunSpec> {
    const outcome = await compileFile(path);
    if (!outcome.ok) throw new Error(`${path} did not compile: ${JSON.stringify(outcome, null, 2)}`);
    return outcome.spec;
}

function expectValid(spec: unknown): void {
    const valid = validate(spec);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
}

/** Workflow files of examples/ (a `workflow` header and a train block); libraries without them are skipped. */
function exampleWorkflows(): string[] {
    if (!existsSync(EXAMPLES)) return [];
    const found: string[] = [];
    const walk = (dir: string): void => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
            const path = join(dir, entry.name);
            if (entry.isDirectory()) walk(path);
            else if (entry.name.endsWith('.mas')) {
                const text = readFileSync(path, 'utf8');
                if (/^\s*workflow\s/m.test(text) && /^\s*train\s*\{/m.test(text)) found.push(path);
            }
        }
    };
    walk(EXAMPLES);
    return found;
}

describe('RunSpec JSON Schema', () => {
    for (const name of ['math-team.mas', 'signal.mas']) {
        it(`accepts the compiled ${name}`, async () => {
            expectValid(await compiledSpec(join(INPUTS, name)));
        });
    }

    for (const path of exampleWorkflows()) {
        it(`accepts the compiled example ${path.slice(EXAMPLES.length + 1)}`, async () => {
            expectValid(await compiledSpec(path));
        });
    }

    it('rejects hand-broken specs', async () => {
        const spec = await compiledSpec(join(INPUTS, 'math-team.mas'));
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- breaking a spec by hand needs untyped access
        const broken: [string, (s: any) => void][] = [
            [
                'wrong version',
                (s) => {
                    s.version = 2;
                },
            ],
            [
                'unknown top-level key',
                (s) => {
                    s.extra = true;
                },
            ],
            [
                'missing train',
                (s) => {
                    delete s.train;
                },
            ],
            [
                'unknown expression op',
                (s) => {
                    s.rubrics[0].criteria[0].expr = {
                        op: 'pow',
                        left: { op: 'num', value: 1 },
                        right: { op: 'num', value: 2 },
                    };
                },
            ],
            [
                'extra key in a deep expression',
                (s) => {
                    s.rubrics[0].criteria[0].expr.left.args[0].args[1].extra = 1;
                },
            ],
            [
                'regex flag outside ims',
                (s) => {
                    s.rubrics[0].criteria[1].expr.right.flags = 'g';
                },
            ],
            [
                'bad sharing',
                (s) => {
                    s.agents[0].sharing = 'private';
                },
            ],
            [
                'prompt hole that is not a reference',
                (s) => {
                    s.agents[0].prompt = [{ ref: { op: 'num', value: 1 } }];
                },
            ],
            [
                'fractional steps',
                (s) => {
                    s.train.steps = 1.5;
                },
            ],
            [
                'unknown credit method',
                (s) => {
                    s.train.credit.method = 'magic';
                },
            ],
            [
                'unknown dtype',
                (s) => {
                    s.models[0].dtype = 'int4';
                },
            ],
            [
                'unknown format',
                (s) => {
                    s.models[0].format = 'chatml';
                },
            ],
            [
                'top_p of 0',
                (s) => {
                    s.agents[0].top_p = 0;
                },
            ],
            [
                'negative top_k',
                (s) => {
                    s.agents[0].top_k = -1;
                },
            ],
        ];
        for (const [label, breakIt] of broken) {
            const copy = structuredClone(spec);
            breakIt(copy);
            expect(validate(copy), label).toBe(false);
        }
    });

    it('agrees with the conformance vectors: trees that evaluate are valid, unknown ops are not', () => {
        const validateExpr = runSpecExpressionValidator();
        const dir = join(import.meta.dirname, '../fixtures/expressions');
        const vectors = readdirSync(dir).flatMap(
            (f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ExpressionVector[],
        );
        // A short-circuit vector may hold an unknown op that is never evaluated: the schema rightly rejects it.
        const opsOf = (node: unknown): string[] =>
            typeof node !== 'object' || node === null
                ? []
                : [...('op' in node ? [String(node.op)] : []), ...Object.values(node).flatMap(opsOf)];
        const known = new Set([
            'num',
            'str',
            'bool',
            'regex',
            'task',
            'output',
            'ctx',
            'not',
            'neg',
            'call',
            'and',
            'or',
            '+',
            '-',
            '*',
            '/',
            '%',
            '==',
            '!=',
            '<',
            '<=',
            '>',
            '>=',
            'contains',
            'matches',
        ]);
        for (const vector of vectors.filter(
            (v) => v.error === undefined && opsOf(v.expr).every((op) => known.has(op)),
        )) {
            expect(validateExpr(vector.expr), `${vector.name}: ${JSON.stringify(validateExpr.errors)}`).toBe(true);
        }
        for (const vector of vectors.filter((v) => v.error === 'unknown_op')) {
            expect(validateExpr(vector.expr), vector.name).toBe(false);
        }
    });

    it('accepts every expression shape the compiler can write', () => {
        const spec = structuredClone(validSkeleton());
        spec.rubrics[0]!.criteria[0]!.expr = {
            op: 'or',
            left: { op: 'not', arg: { op: 'bool', value: false } },
            right: {
                op: '>=',
                left: {
                    op: 'call',
                    fn: 'count',
                    args: [
                        { op: 'ctx', name: 'output' },
                        { op: 'regex', source: 'a', flags: 'ims' },
                    ],
                },
                right: { op: 'neg', arg: { op: 'num', value: 1 } },
            },
        };
        expectValid(spec);
    });
});

function validSkeleton(): RunSpec {
    return {
        version: 1,
        workflow: 'W',
        source: { file: '/w.mas', sha256: '0'.repeat(64) },
        datasets: [],
        models: [],
        roles: [],
        agents: [],
        graph: { edges: [] },
        rubrics: [{ name: 'r', criteria: [{ name: 'c', weight: 1, expr: { op: 'bool', value: true } }] }],
        reward: { name: 'w', rubric: 'r', level: 'turn' },
        train: {
            dataset: 'd',
            algorithm: { name: 'grpo', group: 2, clip: 0.2, kl: 0 },
            credit: { method: 'outcome', params: {} },
            steps: 1,
            batch: 1,
            lr: 0.1,
            seed: 0,
            device: 'cpu',
            max_turns: 4,
            record_credit: ['outcome'],
            checkpoint_every: 1,
            critic: null,
        },
    };
}
