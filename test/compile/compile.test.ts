import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../server/src/compile/compile-file.js';
import type { RunSpec } from '../../protocol/run-spec.js';
import { runSpecValidator } from './run-spec-schema.js';

const INPUTS = join(import.meta.dirname, 'inputs');

async function compiled(path: string): Promise<RunSpec> {
    const outcome = await compileFile(path);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome, null, 2));
    return outcome.spec;
}

function tempFile(name: string, text: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'mas-compile-'));
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
}

describe('compiler', () => {
    it('compiles the math team with its import, defaults and graph order', async () => {
        const spec = await compiled(join(INPUTS, 'math-team.mas'));
        expect(spec.version).toBe(1);
        expect(spec.workflow).toBe('MathTeam');
        expect(spec.source.file).toBe(resolve(INPUTS, 'math-team.mas'));
        expect(spec.source.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(spec.datasets).toEqual([
            {
                name: 'arith',
                path: resolve(INPUTS, 'data/arith.jsonl'),
                declared_path: 'data/arith.jsonl',
                fields: [
                    { name: 'question', type: 'string' },
                    { name: 'answer', type: 'number' },
                ],
            },
        ]);
        expect(spec.models).toEqual([
            {
                name: 'base',
                source: { kind: 'hf', id: 'Qwen/Qwen2.5-0.5B-Instruct' },
                adapter: { kind: 'lora', rank: 16, alpha: 32, dropout: 0 },
                format: null,
                dtype: 'auto',
                attention: null,
                gradient_checkpointing: false,
            },
        ]);
        expect(spec.agents.map((a) => a.name)).toEqual(['planner', 'solver', 'verifier']);
        const [planner, solver, verifier] = spec.agents;
        expect(planner).toMatchObject({
            role: 'Planner',
            model: 'base',
            sharing: 'shared',
            max_tokens: 128,
            temperature: 0.8,
            top_p: 1,
            top_k: 0,
            system: null,
            stop: null,
            null_behaviour: { kind: 'empty' },
        });
        expect(solver!.temperature).toBe(0.5);
        expect(solver!.max_tokens).toBe(64);
        expect(solver!.prompt).toEqual([
            { ref: { op: 'task', field: 'question' } },
            { text: '\nPlan: ' },
            { ref: { op: 'output', agent: 'planner' } },
        ]);
        expect(verifier).toMatchObject({ sharing: 'adapter', null_behaviour: { kind: 'text', text: 'ACCEPT' } });
        expect(spec.roles[0]).toEqual({ name: 'Planner', description: 'Breaks the problem into steps' });
    });

    it('compiles edges, conditions and criteria to expression trees', async () => {
        const spec = await compiled(join(INPUTS, 'math-team.mas'));
        expect(spec.graph.edges.map((e) => `${e.from}->${e.to}:${e.max}`)).toEqual([
            'start->planner:null',
            'planner->solver:null',
            'solver->verifier:null',
            'verifier->solver:2',
            'verifier->end:null',
            'verifier->end:null',
        ]);
        expect(spec.graph.edges[3]!.condition).toEqual({
            op: 'contains',
            left: { op: 'output', agent: 'verifier' },
            right: { op: 'str', value: 'REVISE' },
        });
        expect(spec.graph.edges[4]!.condition).toMatchObject({ op: 'not', arg: { op: 'contains' } });
        expect(spec.graph.edges[5]!.condition).toBeNull();
        const [answer, format, brevity] = spec.rubrics[0]!.criteria;
        expect(answer).toEqual({
            name: 'answer',
            weight: 0.7,
            expr: {
                op: '==',
                left: {
                    op: 'call',
                    fn: 'number',
                    args: [
                        {
                            op: 'call',
                            fn: 'extract',
                            args: [
                                { op: 'output', agent: 'solver' },
                                { op: 'regex', source: '\\\\boxed\\{(-?\\d+)\\}', flags: '' },
                            ],
                        },
                    ],
                },
                right: { op: 'task', field: 'answer' },
            },
        });
        expect(format!.expr).toEqual({
            op: 'matches',
            left: { op: 'output', agent: 'solver' },
            right: { op: 'regex', source: '\\\\boxed\\{', flags: 'i' },
        });
        expect(brevity!.expr).toMatchObject({
            op: 'and',
            right: { op: '<', left: { op: 'neg', arg: { op: 'num', value: 1 } } },
        });
        expect(spec.reward).toEqual({ name: 'team', rubric: 'correctness', level: 'trajectory' });
    });

    it('fills the train block from the catalogue', async () => {
        const math = await compiled(join(INPUTS, 'math-team.mas'));
        expect(math.train).toEqual({
            dataset: 'arith',
            algorithm: { name: 'grpo', group: 8, clip: 0.2, kl: 0.01 },
            credit: {
                method: 'counterfactual',
                params: {
                    fanout: [2, 2, 2],
                    baseline: 'loo',
                    normalize: 'siblings',
                    variant: 'reward_only',
                    alpha: 1,
                    no_replay: 'off',
                },
            },
            steps: 200,
            batch: 16,
            lr: 2e-5,
            seed: 7,
            device: 'auto',
            max_turns: 32,
            record_credit: ['outcome', 'agent_normalized', 'turn_level'], // left out, 3 agents: the cheap estimators
            checkpoint_every: 50,
            verifier_timeout: 10,
            verifier_memory: 1024,
            verifier_workers: 2,
            critic: null,
            stop_when: null,
            micro_batch_tokens: null, // left out: the trainer chooses it from the device's memory
        });
        const signal = await compiled(join(INPUTS, 'signal.mas'));
        expect(signal.train).toMatchObject({
            algorithm: { name: 'grpo', group: 8, clip: 0.2, kl: 0.05 },
            credit: { method: 'shapley', params: {} },
            steps: 100,
            batch: 8,
            lr: 1e-4,
            seed: 0,
            device: 'cpu',
            record_credit: 'all',
        });
        expect(signal.models[0]).toEqual({
            name: 'tiny',
            source: { kind: 'scratch', layers: 1, hidden: 32, heads: 4, context: 512, vocab: 'chars' },
            adapter: null,
            format: null,
            dtype: 'auto',
            attention: null,
            gradient_checkpointing: false,
        });
        expect(signal.agents[1]).toMatchObject({
            sharing: 'weights',
            temperature: 1,
            null_behaviour: { kind: 'skip' },
        });
        expect(signal.datasets[0]!.path).toBe(resolve(INPUTS, '../data/pairs.jsonl'));
        expect(signal.reward.level).toBe('agent');
    });

    it('changes the source hash when an imported file changes', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'mas-hash-'));
        const main = join(dir, 'main.mas');
        writeFileSync(main, '');
        const base = `import "lib.mas"
dataset d from "d.jsonl" { q: string }
role R
agent a: R { model: m prompt: "{{task.q}}" }
graph { start -> a -> end }
rubric r { criterion c weight 1: a.output contains "x" }
reward w: r per trajectory
train { }`;
        writeFileSync(main, base);
        writeFileSync(join(dir, 'lib.mas'), 'model m { from: hf "a" }');
        const first = await compiled(main);
        writeFileSync(join(dir, 'lib.mas'), 'model m { from: hf "b" }');
        const second = await compiled(main);
        expect(first.source.sha256).not.toBe(second.source.sha256);
        expect(second.models[0]!.source).toEqual({ kind: 'hf', id: 'b' });
        expect(first.workflow).toBe('main');
    });

    it('refuses a document with errors and returns its diagnostics', async () => {
        const outcome = await compileFile(
            tempFile('broken.mas', 'workflow W\nagent a: Missing { }\ngraph { start -> a -> end }\n'),
        );
        expect(outcome.ok).toBe(false);
        if (outcome.ok || 'problem' in outcome) throw new Error('expected diagnostics');
        expect(outcome.diagnostics.length).toBeGreaterThan(0);
        expect(outcome.diagnostics.every((d) => d.severity === 'error')).toBe(true);
        expect(outcome.diagnostics.some((d) => d.code === 'linking-error' && d.message.includes('Missing'))).toBe(true);
    });

    it('refuses a workflow without the declarations a run needs, saying what to add', async () => {
        const outcome = await compileFile(tempFile('empty.mas', 'workflow Empty\nrole R\n'));
        if (outcome.ok || 'problem' in outcome) throw new Error('expected diagnostics');
        const messages = outcome.diagnostics.map((d) => d.message).join('\n');
        // The validator reports what is missing before the compiler runs; one diagnostic names every gap.
        expect(outcome.diagnostics.map((d) => d.code)).toEqual(['incomplete-workflow']);
        expect(messages).toContain('a `train { ... }` block');
        expect(messages).toContain('a `reward <name>');
        expect(messages).toContain('a `graph { start -> ... -> end }` block');
    });

    it('asks which data set to train on when several are declared', async () => {
        const outcome = await compileFile(
            tempFile(
                'two.mas',
                `dataset a from "a.jsonl" { q: string }
dataset b from "b.jsonl" { q: string }
model m { from: hf "x" }
role R
agent x: R { model: m prompt: "hi" }
graph { start -> x -> end }
rubric r { criterion c weight 1: x.output contains "y" }
reward w: r per turn
train { }`,
            ),
        );
        if (outcome.ok || 'problem' in outcome) throw new Error('expected diagnostics');
        expect(outcome.diagnostics.map((d) => d.code)).toEqual(['ambiguous-dataset']);
        expect(outcome.diagnostics[0]!.message).toContain('dataset: <name>');
    });

    it('compiles the loading, prompting and sampling settings of models and agents', async () => {
        const spec = await compiled(
            tempFile(
                'settings.mas',
                `dataset d from "d.jsonl" { q: string }
model m { from: hf "x"  format: chat  dtype: bf16  attention: eager  gradient_checkpointing: true }
model raw { from: hf "y"  format: raw }
role R "Answers"
agent a: R { model: m  prompt: "{{task.q}}"  system: "Be brief."  top_p: 0.9  top_k: 40 }
agent b: R { model: raw  prompt: "{{a.output}}" }
graph { start -> a -> b -> end }
rubric r { criterion c weight 1: b.output contains "y" }
reward w: r per trajectory
train { credit: outcome }`,
            ),
        );
        expect(
            spec.models.map(({ format, dtype, attention, gradient_checkpointing }) => ({
                format,
                dtype,
                attention,
                gradient_checkpointing,
            })),
        ).toEqual([
            { format: 'chat', dtype: 'bf16', attention: 'eager', gradient_checkpointing: true },
            { format: 'raw', dtype: 'auto', attention: null, gradient_checkpointing: false },
        ]);
        expect(spec.agents.map(({ system, top_p, top_k }) => ({ system, top_p, top_k }))).toEqual([
            { system: 'Be brief.', top_p: 0.9, top_k: 40 },
            { system: null, top_p: 1, top_k: 0 },
        ]);
        expect(runSpecValidator()(spec)).toBe(true);
    });

    it('carries micro_batch_tokens into the RunSpec when the train block sets it', async () => {
        const spec = await compiled(
            tempFile(
                'budget.mas',
                `dataset d from "d.jsonl" { q: string }
model m { from: hf "x" }
role R
agent a: R { model: m prompt: "{{task.q}}" }
graph { start -> a -> end }
rubric r { criterion c weight 1: a.output contains "y" }
reward w: r per turn
train { micro_batch_tokens: 4096 }`,
            ),
        );
        expect(spec.train.micro_batch_tokens).toBe(4096);
        expect(runSpecValidator()(spec)).toBe(true);
    });

    it('refuses `when`/`max` on a chain of several edges, and names the critic model', async () => {
        const body = (graph: string) => `dataset d from "d.jsonl" { q: string }
model m { from: hf "x" }
model judge { from: hf "y"  adapter: none }
role R
agent a: R { model: m prompt: "{{task.q}}" }
agent b: R { model: m prompt: "{{a.output}}" }
graph { ${graph} }
rubric r { criterion c weight 1: b.output contains "y" }
reward w: r per turn
train { credit: difference  critic: judge }`;
        const chained = await compileFile(
            tempFile('chain.mas', body('start -> a -> b -> end when b.output contains "x" max 2')),
        );
        if (chained.ok || 'problem' in chained) throw new Error('expected diagnostics');
        expect(chained.diagnostics.map((d) => d.code)).toEqual(['condition-on-chain']);
        expect(chained.diagnostics[0]!.range.start.line).toBe(6);

        const spec = await compiled(
            tempFile('split.mas', body('start -> a -> b\n b -> end when b.output contains "x"\n b -> a max 2')),
        );
        expect(spec.train.critic).toBe('judge');
        expect(spec.train.credit).toEqual({ method: 'difference', params: { normalize: 'none' } });
        expect(spec.models[1]).toEqual({
            name: 'judge',
            source: { kind: 'hf', id: 'y' },
            adapter: null,
            format: null,
            dtype: 'auto',
            attention: null,
            gradient_checkpointing: false,
        });
        expect(spec.graph.edges.map((e) => [e.to, e.max, e.condition?.op ?? null])).toEqual([
            ['a', null, null],
            ['b', null, null],
            ['end', null, 'contains'],
            ['a', 2, null],
        ]);
    });

    it('compiles stop_when to the condition the trainer watches, valid against the schema', async () => {
        const text = readFileSync(join(INPUTS, 'signal.mas'), 'utf8').replace(
            /train \{/,
            'train {\n  stop_when: reward_mean > -0.25 for 4 steps',
        );
        expect(text).toContain('stop_when');
        const spec = await compiled(tempFile('signal-stop.mas', text));
        expect(spec.train.stop_when).toEqual({ metric: 'reward_mean', op: '>', threshold: -0.25, steps: 4 });
        const validate = runSpecValidator();
        expect(validate(spec), JSON.stringify(validate.errors)).toBe(true);
        expect(validate({ ...spec, train: { ...spec.train, stop_when: { ...spec.train.stop_when, steps: 0 } } })).toBe(
            false,
        );
    });

    it('reports a missing file as a problem, not an exception', async () => {
        const outcome = await compileFile(join(tmpdir(), 'no-such-dir-mas', 'missing.mas'));
        expect(outcome).toMatchObject({ ok: false, problem: expect.stringContaining('does not exist') });
    });
});
