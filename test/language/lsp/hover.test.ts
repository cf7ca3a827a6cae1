import { describe, expect, it } from 'vitest';
import { createTestServices, DESIGN_EXAMPLE, documentParams } from './lsp-test-helpers.js';

const { services, parse } = createTestServices();

/** The hover markdown at the `occurrence`-th appearance of `word` (1-based) in the text, offset inside the word. */
async function hoverOn(text: string, word: string, occurrence = 1, inside = 1): Promise<string | undefined> {
    let offset = -1;
    for (let i = 0; i < occurrence; i++) {
        offset = text.indexOf(word, offset + 1);
    }
    expect(offset, `${word} #${occurrence} not found`).toBeGreaterThanOrEqual(0);
    const document = await parse(text);
    const hover = await services.lsp.HoverProvider!.getHoverContent(document, {
        ...documentParams(document),
        position: document.textDocument.positionAt(offset + inside),
    });
    const contents = hover?.contents;
    return contents && typeof contents === 'object' && 'value' in contents ? contents.value : undefined;
}

describe('hover on declarations and references', () => {
    it("shows a role's description, on the declaration and on a reference", async () => {
        expect(await hoverOn(DESIGN_EXAMPLE, 'role Planner', 1, 6)).toContain('Breaks the problem into steps');
        expect(await hoverOn(DESIGN_EXAMPLE, ': Planner', 1, 3)).toContain('Breaks the problem into steps');
    });

    it("shows an agent's role, model, sharing and prompt preview", async () => {
        const markdown = await hoverOn(DESIGN_EXAMPLE, 'agent verifier', 1, 7);
        expect(markdown).toContain('role `Verifier`');
        expect(markdown).toContain('model: `base`');
        expect(markdown).toContain('own adapter on the shared base model');
        expect(markdown).toContain('Check {{solver.output}}: ACCEPT or REVISE');
    });

    it('shows what an agent does when difference or Shapley credit nulls it', async () => {
        expect(await hoverOn(DESIGN_EXAMPLE, 'agent verifier', 1, 7)).toContain(
            'when nulled (difference / Shapley credit): an empty message (default',
        );
        const declared = (behaviour: string) =>
            DESIGN_EXAMPLE.replace('prompt: "Check', `null: ${behaviour}  prompt: "Check`);
        expect(await hoverOn(declared('"ACCEPT"'), 'agent verifier', 1, 7)).toContain('says "ACCEPT"');
        expect(await hoverOn(declared('skip'), 'agent verifier', 1, 7)).toContain('skipped (no turn');
        expect(await hoverOn(declared('empty'), 'agent verifier', 1, 7)).toMatch(/an empty message$/m);
    });

    it('shows the agent from a template hole and from the graph', async () => {
        expect(await hoverOn(DESIGN_EXAMPLE, '{{planner.output}}', 1, 3)).toContain('**agent** `planner`');
        expect(await hoverOn(DESIGN_EXAMPLE, 'start -> planner', 1, 10)).toContain('**agent** `planner`');
    });

    it("shows a model's source and adapter", async () => {
        const markdown = await hoverOn(DESIGN_EXAMPLE, 'model base', 1, 7);
        expect(markdown).toContain('Hugging Face `Qwen/Qwen2.5-0.5B-Instruct`');
        expect(markdown).toContain('LoRA(rank: 16, alpha: 32)');
    });

    it('shows datasets and the type of a field used as task.x', async () => {
        expect(await hoverOn(DESIGN_EXAMPLE, 'dataset train', 1, 9)).toContain('- `answer`: `number`');
        expect(await hoverOn(DESIGN_EXAMPLE, 'task.answer', 1, 6)).toContain('`task.answer`: `number`');
        expect(await hoverOn(DESIGN_EXAMPLE, '{{task.question}}', 1, 8)).toContain('`task.question`: `string`');
    });

    it("shows a criterion's weight and normalized weight", async () => {
        const text = 'rubric r {\n  criterion a weight 0.7: true\n  criterion b weight 0.5: false\n}\n';
        const markdown = await hoverOn(text, 'criterion a', 1, 10);
        expect(markdown).toContain('weight: 0.7');
        expect(markdown).toContain('normalized weight: 0.583');
    });
});

describe('hover on catalogue words', () => {
    it("shows a credit method's summary, formula and source", async () => {
        const markdown = await hoverOn(DESIGN_EXAMPLE, 'counterfactual');
        expect(markdown).toContain('credit method');
        expect(markdown).toContain('V(n) = mean of leaf rewards under n');
        expect(markdown).toContain('Source: C3');
    });

    it('shows the algorithm and the doc of its arguments', async () => {
        expect(await hoverOn(DESIGN_EXAMPLE, 'grpo(')).toContain('Group Relative Policy Optimization');
        expect(await hoverOn(DESIGN_EXAMPLE, 'group: 8')).toContain('Rollouts per task');
        expect(await hoverOn(DESIGN_EXAMPLE, 'fanout')).toContain('product must equal the GRPO group size');
        expect(await hoverOn(DESIGN_EXAMPLE, 'rank: 16')).toContain('LoRA rank');
    });

    it('shows what record_credit records when it is left out (small teams: the cheap estimators)', async () => {
        const markdown = await hoverOn('train { record_credit: none }', 'record_credit');
        expect(markdown).toContain('Left out, a team of at most 4 agents records the cheap ones');
        expect(markdown).not.toContain('default `none`');
    });

    it('shows the doc of train setting keys', async () => {
        expect(await hoverOn(DESIGN_EXAMPLE, 'steps: 200')).toContain('Optimisation steps');
        expect(await hoverOn(DESIGN_EXAMPLE, 'credit: counter')).toContain('split across agents');
        const budget = await hoverOn('train { micro_batch_tokens: 4096 }', 'micro_batch_tokens');
        expect(budget).toContain('micro-batches');
        expect(budget).toContain("chooses it from the device's memory");
    });

    it('says that lora(from: ...) takes rank and alpha from the adapter folder', async () => {
        const text = 'model m { from: hf "x"  adapter: lora(from: "adapters/solver") }';
        expect(await hoverOn(text, 'lora')).toMatch(/`from` \(path\): Start from an existing PEFT adapter/);
        expect(await hoverOn(text, 'lora')).toContain('rank, alpha and target modules then come from the folder');
        expect(await hoverOn(text, 'from:', 2)).toContain('rank, alpha and target modules then come from the folder');
    });

    it('explains scratch models and device values', async () => {
        expect(await hoverOn('model m { from: scratch(layers: 2) }', 'scratch')).toContain('character tokenizer');
        expect(await hoverOn('train { device: cuda }', 'cuda')).toContain('`auto` uses CUDA when available');
    });

    it('explains the words of per-turn rewards', async () => {
        const text = 'rubric r { criterion c weight 1: length(output) > turn }\nreward t: r per turn';
        expect(await hoverOn(text, 'output')).toContain('decision being scored');
        expect(await hoverOn(text, 'turn', 1)).toContain('index of the turn');
        expect(await hoverOn(text, 'turn', 2)).toContain('**per turn**');
    });

    it('explains start and end of the graph', async () => {
        expect(await hoverOn(DESIGN_EXAMPLE, 'start ->')).toContain('where every trajectory begins');
        expect(await hoverOn(DESIGN_EXAMPLE, '-> end', 1, 4)).toContain('where a trajectory stops');
    });

    it('has nothing to say about plain punctuation', async () => {
        expect(await hoverOn(DESIGN_EXAMPLE, '->', 1, 0)).toBeUndefined();
    });
});
