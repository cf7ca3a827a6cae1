import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESIGN_EXAMPLE } from '../lsp/lsp-test-helpers.js';
import { createValidationServices, diagnosticCode, problemCodes } from './validation-helpers.js';

const { validate, buildFiles } = createValidationServices();
const base = readFileSync(join(import.meta.dirname, '../../fixtures/invalid/linking-error.mas'), 'utf8').replace(
    'Solvr',
    'Solver',
);

/** Problems of `base` with one replacement applied. */
async function problemsWith(from: string, to: string): Promise<string[]> {
    expect(base).toContain(from);
    return problemCodes(await validate(base.replace(from, to)));
}

describe('semantic checks', () => {
    it('accepts the base workflow of the fixtures', async () => {
        expect(problemCodes(await validate(base))).toEqual([]);
    });

    it('accepts the DESIGN.md example, warning only that the verifier has no fallback edge and never branches', async () => {
        const document = await validate(DESIGN_EXAMPLE);
        const problems = (document.diagnostics ?? []).filter((d) => d.severity === 1 || d.severity === 2);
        // fanout [2, 4] over three agents: the verifier's turns sit on a fan-out-1 level (C3 credit 0)
        expect(problems.map((d) => [d.severity, diagnosticCode(d)])).toEqual([
            [2, 'agent-may-get-stuck'],
            [2, 'fanout-too-short'],
        ]);
        expect(problems[0]!.message).toContain("'verifier'");
    });

    it('accepts the examples/ workflows with the library they import', async () => {
        const example = (path: string) => readFileSync(join(import.meta.dirname, '../../../examples', path), 'utf8');
        const documents = await buildFiles({
            'common/common.mas': example('common/common.mas'),
            'signal/signal.mas': example('signal/signal.mas'),
            'math-team/math-team.mas': example('math-team/math-team.mas'),
            'malt/malt.mas': example('malt/malt.mas'),
            'lazy-team/lazy-team.mas': example('lazy-team/lazy-team.mas'),
        });
        for (const [name, document] of Object.entries(documents)) {
            expect(problemCodes(document), name).toEqual([]);
        }
    });

    describe('names and imports', () => {
        it('resolves declarations of imported files, which need no graph, reward or train of their own', async () => {
            const documents = await buildFiles({
                'lib.mas': 'model base { from: scratch(layers: 2, hidden: 64, vocab: chars) }\nrole Solver "Answers"\n',
                'main.mas': base
                    .replace(/model base \{[^}]*\}\n/, '')
                    .replace('workflow Demo\n', 'workflow Demo\nimport "lib.mas"\n')
                    .replace('role Solver "Answers the question"\n', ''),
            });
            expect(problemCodes(documents['lib.mas']!)).toEqual([]);
            expect(problemCodes(documents['main.mas']!)).toEqual([]);
        });

        it('reports a name declared both here and in an imported file, naming the other file', async () => {
            const documents = await buildFiles({
                'lib.mas': 'role Solver "Answers"\n',
                'main.mas': `import "lib.mas"\n${base}`,
            });
            const duplicates = (documents['main.mas']!.diagnostics ?? []).filter(
                (d) => diagnosticCode(d) === 'duplicate-name',
            );
            expect(duplicates.map((d) => d.message)).toEqual([expect.stringContaining('also in lib.mas')]);
        });

        it('accepts import cycles', async () => {
            const documents = await buildFiles({
                'a.mas': 'import "b.mas"\nrole A "a"\n',
                'b.mas': 'import "a.mas"\nrole B "b"\n',
            });
            expect(problemCodes(documents['a.mas']!)).toEqual([]);
            expect(problemCodes(documents['b.mas']!)).toEqual([]);
        });

        it('says which file an unresolved import looked for', async () => {
            const document = await validate(base.replace('workflow Demo\n', 'workflow Demo\nimport "shared/models"\n'));
            const message = document.diagnostics?.find((d) => diagnosticCode(d) === 'unresolved-import')?.message;
            expect(message).toMatch(/shared\/models\.mas was not found/);
        });

        it('finds repeated properties in the model and train blocks', async () => {
            expect(await problemsWith('  from: scratch', '  from: hf "x"\n  from: scratch')).toEqual([
                'duplicate-property',
            ]);
            expect(await problemsWith('  credit: outcome\n', '  credit: outcome\n  steps: 5\n  steps: 6\n')).toEqual([
                'duplicate-property',
            ]);
        });
    });

    describe('graph', () => {
        it("lets an agent read its own output or a later agent's output inside a loop", async () => {
            const loop = base
                .replace(
                    '  start -> solver -> end\n',
                    '  start -> solver\n  solver -> solver when solver.output contains "AGAIN" max 2\n  solver -> end\n',
                )
                .replace('"Question: {{task.question}}"', '"Question: {{task.question}} Before: {{solver.output}}"');
            expect(problemCodes(await validate(loop))).toEqual([]);
        });

        it('rejects a condition that reads an output before the agent can have run', async () => {
            const problems = await problemsWith(
                '  start -> solver -> end\n',
                '  start -> solver when solver.output contains "x"\n  start -> solver\n  solver -> end\n',
            );
            expect(problems).toEqual(['output-not-available']);
        });

        it('rejects a prompt that reads its own output outside any loop', async () => {
            expect(await problemsWith('{{task.question}}"', '{{task.question}} {{solver.output}}"')).toEqual([
                'output-not-available',
            ]);
        });

        it('reports only the missing start edge when nothing leaves start, not every agent as unreachable', async () => {
            expect(await problemsWith('  start -> solver -> end\n', '')).toEqual(['start-without-edge']);
        });

        it('accepts a loop bounded by `max` on any one of its edges', async () => {
            const text = base.replace(
                '  start -> solver -> end\n',
                '  start -> solver\n  solver -> solver max 2\n  solver -> end\n',
            );
            expect(problemCodes(await validate(text))).toEqual([]);
        });
    });

    describe('rubrics and expressions', () => {
        it('accepts `output`, `agent` and `turn` in a rubric used per turn', async () => {
            const text = base
                .replace(
                    'number(solver.output) == task.answer',
                    'length(output) < 100 and agent == "solver" and turn >= 0',
                )
                .replace('per trajectory', 'per turn');
            expect(problemCodes(await validate(text))).toEqual([]);
        });

        it('types every operator and function of the expression language', async () => {
            const good =
                'count(lower(trim(solver.output)), /a/i) + length(upper(string(task.answer))) * 2 % 3 - -1 > number("4") / 2 or not (extract(solver.output, /(\\d+)/) == "1")';
            expect(await problemsWith('number(solver.output) == task.answer', good)).toEqual([]);
            expect(await problemsWith('number(solver.output) == task.answer', 'solver.output + 1 > 0')).toEqual([
                'type-mismatch',
            ]);
            expect(await problemsWith('number(solver.output) == task.answer', 'solver.output == /x/')).toEqual([
                'type-mismatch',
            ]);
            expect(
                await problemsWith('number(solver.output) == task.answer', 'extract(solver.output, "x") == "y"'),
            ).toEqual(['type-mismatch']);
            expect(await problemsWith('number(solver.output) == task.answer', 'not length(solver.output)')).toEqual([
                'type-mismatch',
            ]);
        });

        it('reports one type error once, not again in every enclosing operator', async () => {
            expect(
                await problemsWith('number(solver.output) == task.answer', '(solver.output - 1) * 2 > 0 and true'),
            ).toEqual(['type-mismatch']);
        });

        it('accepts a numeric criterion and weights that sum to 1 only up to rounding', async () => {
            const text = base.replace(
                '  criterion answer weight 1: number(solver.output) == task.answer\n',
                '  criterion a weight 0.7: length(solver.output)\n  criterion b weight 0.2: true\n  criterion c weight 0.1: false\n',
            );
            expect(problemCodes(await validate(text))).toEqual([]);
        });
    });

    describe('training settings', () => {
        it('accepts a fan-out whose product is the group, equal KL values given twice, and sampled Shapley', async () => {
            expect(await problemsWith('  credit: outcome\n', '  credit: counterfactual(fanout: [4])\n')).toEqual([]);
            expect(await problemsWith('grpo(group: 4)', 'grpo(group: 4, kl: 0.1)\n  kl: 0.1')).toEqual([]);
            expect(await problemsWith('  credit: outcome\n', '  credit: critic\n  critic: base\n')).toEqual([]);
        });

        it("needs a critic for C3's value-assisted credit only", async () => {
            const credit = (args: string) => `  credit: counterfactual(fanout: [4]${args})\n`;
            expect(await problemsWith('  credit: outcome\n', credit(', variant: value_assisted'))).toEqual([
                'missing-critic',
            ]);
            expect(
                await problemsWith('  credit: outcome\n', credit(', variant: value_assisted') + '  critic: base\n'),
            ).toEqual([]);
            expect(await problemsWith('  credit: outcome\n', credit(', variant: reward_only, no_replay: on'))).toEqual(
                [],
            );
            expect(await problemsWith('  credit: outcome\n', credit(', alpha: 1.5'))).toEqual([
                'invalid-parameter',
                'alpha-without-value-assisted',
            ]);
            expect(await problemsWith('  credit: outcome\n', credit(', variant: reward_only, alpha: 0.5'))).toEqual([
                'alpha-without-value-assisted',
            ]);
        });

        it("checks the critic's passes, replay and normalize against the catalogue", async () => {
            expect(
                await problemsWith(
                    '  credit: outcome\n',
                    '  credit: critic(lr: 0.01, passes: 8, replay: 16, normalize: standardize)\n  critic: base\n',
                ),
            ).toEqual([]);
            expect(await problemsWith('  credit: outcome\n', '  credit: critic(replay: 65)\n  critic: base\n')).toEqual(
                ['invalid-parameter'],
            );
            expect(
                await problemsWith('  credit: outcome\n', '  credit: critic(replay: 1.5)\n  critic: base\n'),
            ).toEqual(['invalid-parameter']);
            expect(await problemsWith('  credit: outcome\n', '  credit: critic(passes: 0)\n  critic: base\n')).toEqual([
                'invalid-parameter',
            ]);
            expect(
                await problemsWith('  credit: outcome\n', '  credit: critic(normalize: center)\n  critic: base\n'),
            ).toEqual(['invalid-parameter']);
        });

        it("checks turn_level's MARS switches against the catalogue", async () => {
            const marsPaper = '  credit: turn_level(preset: mars_paper, gamma: 0.9, whiten_rewards: off)\n';
            expect(await problemsWith('  credit: outcome\n', marsPaper)).toEqual([]);
            expect(await problemsWith('  credit: outcome\n', '  credit: turn_level(gamma: 1.5)\n')).toEqual([
                'invalid-parameter',
            ]);
            expect(await problemsWith('  credit: outcome\n', '  credit: turn_level(preset: mars)\n')).toEqual([
                'invalid-parameter',
            ]);
        });

        it('checks the kind and range of plain settings', async () => {
            expect(await problemsWith('  credit: outcome\n', '  credit: outcome\n  steps: 2.5\n')).toEqual([
                'invalid-setting',
            ]);
            expect(await problemsWith('  credit: outcome\n', '  credit: outcome\n  lr: [1]\n')).toEqual([
                'invalid-setting',
            ]);
            expect(
                await problemsWith('  credit: outcome\n', '  credit: outcome\n  device: cuda\n  record_credit: all\n'),
            ).toEqual([]);
        });

        it('takes a positive whole micro_batch_tokens', async () => {
            expect(
                await problemsWith('  credit: outcome\n', '  credit: outcome\n  micro_batch_tokens: 4096\n'),
            ).toEqual([]);
            for (const bad of ['0', '2.5', '-8', 'auto']) {
                expect(
                    await problemsWith('  credit: outcome\n', `  credit: outcome\n  micro_batch_tokens: ${bad}\n`),
                    bad,
                ).not.toEqual([]);
            }
        });

        it('checks scratch and LoRA parameters against the catalogue', async () => {
            expect(await problemsWith('vocab: chars', 'vocab: words')).toEqual(['invalid-parameter']);
            expect(
                await problemsWith(
                    '  from: scratch(layers: 2, hidden: 64, vocab: chars)\n',
                    '  from: scratch(layers: 2, hidden: 64, vocab: chars)\n  adapter: lora(rank: 0)\n',
                ),
            ).toEqual(['invalid-parameter']);
        });
    });
});
