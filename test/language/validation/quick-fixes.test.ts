import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeWeights } from '../../../server/src/language/validation/weights.js';
import { applyAction, createValidationServices, problemCodes } from './validation-helpers.js';

const { validate, buildFiles, codeActions } = createValidationServices();
const fixture = (code: string) =>
    readFileSync(join(import.meta.dirname, '../../fixtures/invalid', `${code}.mas`), 'utf8');

/** Applies the quick fix titled like `title` (or the only one) for `code`; returns the new text and its problems. */
async function fix(
    text: string,
    code: string,
    title?: RegExp,
): Promise<{ text: string; problems: string[]; titles: string[] }> {
    const document = await validate(text);
    const actions = await codeActions(document, code);
    const titles = actions.map((action) => action.title);
    const action = title ? actions.find((candidate) => title.test(candidate.title)) : actions[0];
    expect(action, `a quick fix for ${code} among ${JSON.stringify(titles)}`).toBeDefined();
    if (!title) expect(actions).toHaveLength(1);
    const fixed = applyAction(document, action!);
    return { text: fixed, problems: problemCodes(await validate(fixed)), titles };
}

describe('quick fixes', () => {
    it('normalizes rubric weights so that they sum to 1', async () => {
        const result = await fix(fixture('weights-not-normalized'), 'weights-not-normalized');
        expect(result.text).toContain('criterion answer weight 0.6667:');
        expect(result.text).toContain('criterion short weight 0.3333:');
        expect(result.problems).toEqual([]);
    });

    it('writes normalized weights that sum to exactly 1, giving the rounding remainder to the largest', () => {
        expect(normalizeWeights([1, 1, 1])).toEqual(['0.3334', '0.3333', '0.3333']);
        expect(normalizeWeights([2, 6])).toEqual(['0.25', '0.75']);
        expect(normalizeWeights([1, 99999])).toEqual(['0.00001', '0.99999']);
        expect(normalizeWeights([1, 0])).toBeUndefined();
    });

    it('bounds an unbounded loop on its back edge with `max 3`', async () => {
        const result = await fix(fixture('unbounded-cycle'), 'unbounded-cycle');
        expect(result.text).toContain('helper -> solver when helper.output contains "RETRY" max 3\n');
        expect(result.problems).toEqual([]);
    });

    it('splits the back edge out of a chain before bounding it', async () => {
        const text = fixture('unbounded-cycle').replace(
            '  start -> solver -> helper -> end\n  helper -> solver when helper.output contains "RETRY"\n',
            '  start -> solver -> helper -> solver -> end\n  helper -> end\n',
        );
        const result = await fix(text, 'unbounded-cycle');
        expect(result.text).toContain(
            '  start -> solver -> helper\n  helper -> solver max 3\n  solver -> end\n  helper -> end\n',
        );
        expect(result.problems).toEqual([]);
    });

    it('creates a missing role at the end of the file', async () => {
        const result = await fix(fixture('linking-error'), 'linking-error', /Create the role/);
        expect(result.text.endsWith('\nrole Solvr "Describe what a Solvr does"\n')).toBe(true);
        expect(result.titles).toEqual(["Change to 'Solver'", "Create the role 'Solvr'"]);
        expect(result.problems).toEqual([]);
    });

    it('declares a missing dataset field, typed after its use', async () => {
        const base = fixture('linking-error').replace('Solvr', 'Solver');
        const inPrompt = await fix(
            base.replace('{{task.question}}"', '{{task.question}} in {{task.topic}}"'),
            'linking-error',
        );
        expect(inPrompt.text).toContain('{ question: string  answer: number  topic: string }');
        expect(inPrompt.problems).toEqual([]);
        const inRubric = await fix(base.replace('== task.answer', '== task.score'), 'linking-error');
        expect(inRubric.text).toContain('answer: number  score: number }');
        expect(inRubric.problems).toEqual([]);
    });

    it('declares a missing field in the dataset of an imported file', async () => {
        const documents = await buildFiles({
            'data.mas': 'dataset tasks from "t.jsonl" { question: string }\n',
            'main.mas': fixture('linking-error')
                .replace('Solvr', 'Solver')
                .replace(
                    'dataset tasks from "data/tasks.jsonl" { question: string  answer: number }\n',
                    'import "data.mas"\n',
                )
                .replace('== task.answer', '> 0'),
        });
        const main = documents['main.mas']!;
        expect(problemCodes(main)).toEqual([]);
        const withHole = await buildFiles({
            'data.mas': 'dataset tasks from "t.jsonl" { question: string }\n',
            'main.mas': main.textDocument.getText().replace('{{task.question}}', '{{task.level}}'),
        });
        const actions = await codeActions(withHole['main.mas']!, 'linking-error');
        expect(actions.map((action) => action.title)).toEqual(["Declare the field 'level' in the dataset 'tasks'"]);
        const dataUri = withHole['data.mas']!.textDocument.uri;
        expect(applyAction(withHole['data.mas']!, actions[0]!, dataUri)).toBe(
            'dataset tasks from "t.jsonl" { question: string  level: string }\n',
        );
    });

    it('offers the closest algorithm, credit method, setting value and parameter name', async () => {
        expect((await fix(fixture('unknown-algorithm'), 'unknown-algorithm')).text).toContain(
            'algorithm: grpo(group: 4)',
        );
        expect((await fix(fixture('unknown-credit'), 'unknown-credit')).text).toContain('credit: outcome\n');
        expect((await fix(fixture('invalid-setting'), 'invalid-setting')).text).toContain('device: cpu');
        const parameter = await fix(fixture('unknown-parameter'), 'unknown-parameter');
        expect(parameter.text).toContain('grpo(group: 4, clip: 0.2)');
        expect(parameter.problems).toEqual([]);
    });

    it('sets the GRPO group to the fan-out product, wherever the group is written', async () => {
        const given = await fix(fixture('fanout-mismatch'), 'fanout-mismatch');
        expect(given.text).toContain('algorithm: grpo(group: 2)');
        expect(given.problems).toEqual([]);
        const defaulted = await fix(
            fixture('fanout-mismatch').replace('  algorithm: grpo(group: 4)\n', ''),
            'fanout-mismatch',
        );
        expect(defaulted.text).toContain('train {\n  algorithm: grpo(group: 2)\n');
        expect(defaulted.problems).toEqual([]);
        const bare = await fix(fixture('fanout-mismatch').replace('grpo(group: 4)', 'grpo'), 'fanout-mismatch');
        expect(bare.text).toContain('algorithm: grpo(group: 2)');
        const otherArgs = await fix(
            fixture('fanout-mismatch').replace('grpo(group: 4)', 'grpo(clip: 0.1)'),
            'fanout-mismatch',
        );
        expect(otherArgs.text).toContain('algorithm: grpo(group: 2, clip: 0.1)');
    });

    it('adds `critic: <model>` when the file declares exactly one model, for critic and value-assisted C3 credit', async () => {
        const critic = await fix(fixture('missing-critic'), 'missing-critic');
        expect(critic.text).toContain('train {\n  critic: base\n');
        expect(critic.problems).toEqual([]);
        const valueAssisted = fixture('missing-critic').replace(
            '  credit: critic\n',
            '  credit: counterfactual(fanout: [4], variant: value_assisted, alpha: 0.5)\n',
        );
        const assisted = await fix(valueAssisted, 'missing-critic');
        expect(assisted.text).toContain('train {\n  critic: base\n');
        expect(assisted.problems).toEqual([]);
        const twoModels = valueAssisted.replace(
            'model base {',
            'model other {\n  from: scratch(layers: 1)\n}\n\nmodel base {',
        );
        expect(await codeActions(await validate(twoModels), 'missing-critic')).toEqual([]);
    });

    it('turns an alpha without value-assisted credit into value-assisted credit', async () => {
        const result = await fix(fixture('alpha-without-value-assisted'), 'alpha-without-value-assisted');
        expect(result.text).toContain('credit: counterfactual(variant: value_assisted, fanout: [4], alpha: 0.5)');
        expect(result.problems).toEqual([]);
    });

    it('switches exact Shapley to sampled Shapley', async () => {
        const result = await fix(fixture('exact-shapley-too-large'), 'exact-shapley-too-large');
        expect(result.text).toContain('credit: shapley(samples: 64)');
        expect(result.problems).toEqual([]);
    });

    it('fixes `adapter separate` without LoRA either way', async () => {
        const weights = await fix(fixture('adapter-without-lora'), 'adapter-without-lora', /weights separate/);
        expect(weights.text).toContain('model: base weights separate');
        expect(weights.problems).toEqual([]);
        const adapter = await fix(fixture('adapter-without-lora'), 'adapter-without-lora', /Add a LoRA adapter/);
        expect(adapter.text).toContain(
            'from: scratch(layers: 2, hidden: 64, vocab: chars)\n  adapter: lora(rank: 8, alpha: 16)\n',
        );
        expect(adapter.problems).toEqual([]);
    });

    it('replaces `weights separate` by `adapter separate` on a LoRA model', async () => {
        const result = await fix(fixture('weights-duplicated'), 'weights-duplicated');
        expect(result.text).toContain('model: base adapter separate');
        expect(result.problems).toEqual([]);
    });

    it('adds an unconditional fallback edge to an agent that can get stuck', async () => {
        const result = await fix(fixture('agent-may-get-stuck'), 'agent-may-get-stuck');
        expect(result.text).toContain('  solver -> end when solver.output contains "DONE"\n  solver -> end\n');
        expect(result.problems).toEqual([]);
    });

    it('adds `agent -> end` to the graph for an agent that can never finish', async () => {
        const result = await fix(fixture('dead-end-agent'), 'dead-end-agent');
        expect(result.titles).toEqual(['Add the edge `helper -> end`']);
        expect(result.text).toContain('  start -> solver -> end\n  solver -> helper\n  helper -> end\n}');
        expect(result.problems).toEqual([]);
    });

    it('names the dataset to train on when several exist', async () => {
        const result = await fix(fixture('ambiguous-dataset'), 'ambiguous-dataset', /'extra'/);
        expect(result.titles).toEqual(["Train on the dataset 'tasks'", "Train on the dataset 'extra'"]);
        expect(result.text).toContain('train {\n  dataset: extra\n');
        expect(result.problems).toEqual([]);
    });

    it('offers nothing for a diagnostic without a fix', async () => {
        const document = await validate(fixture('empty-rubric'));
        expect(await codeActions(document, 'empty-rubric')).toEqual([]);
    });
});
