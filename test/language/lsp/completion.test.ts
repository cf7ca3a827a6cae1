import { describe, expect, it } from 'vitest';
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import { createTestServices, documentParams } from './lsp-test-helpers.js';

const { services, parse } = createTestServices();

const HEADER = `workflow T
dataset train from "d.jsonl" { question: string  answer: number }
model base { from: hf "x" }
role Planner "Plans"
agent planner: Planner { model: base  prompt: "Plan: {{task.question}}" }
`;

/** Completion items at `<|>` (or at the end of the text). */
async function completeAt(textWithCursor: string): Promise<CompletionItem[]> {
    const cursor = textWithCursor.includes('<|>') ? textWithCursor.indexOf('<|>') : textWithCursor.length;
    const text = textWithCursor.replace('<|>', '');
    const document = await parse(text);
    const list = await services.lsp.CompletionProvider!.getCompletion(document, {
        ...documentParams(document),
        position: document.textDocument.positionAt(cursor),
    });
    return list?.items ?? [];
}

async function labelsAt(textWithCursor: string): Promise<string[]> {
    return (await completeAt(textWithCursor)).map((item) => item.label);
}

describe('completion inside prompt templates', () => {
    it('offers task and the agents right after an unterminated `{{` at the end of the file', async () => {
        const items = await completeAt(HEADER + 'agent solver: Planner { model: base  prompt: "Plan: {{');
        expect(items.map((item) => item.label)).toEqual(expect.arrayContaining(['task', 'planner']));
        expect(items.find((item) => item.label === 'task')?.detail).toContain('current data set row');
        expect(items.find((item) => item.label === 'planner')?.kind).toBe(CompletionItemKind.Variable);
    });

    it('offers task and the agents after `{{` at the end of a line followed by more text', async () => {
        const labels = await labelsAt(
            HEADER + 'agent solver: Planner { model: base  prompt: "Plan: {{<|>\n}\nrole Other "x"\n',
        );
        expect(labels).toEqual(expect.arrayContaining(['task', 'planner']));
    });

    it('offers task and the agents after `{{` typed in the middle of a file with more strings below', async () => {
        const text =
            HEADER +
            'agent solver: Planner { model: base  prompt: "Plan: {{<|>\n  max_tokens: 128 }\n' +
            'agent checker: Planner { prompt: "Check {{planner.output}}" }\nrole Other "x"\n';
        expect(await labelsAt(text)).toEqual(expect.arrayContaining(['task', 'planner']));
        const afterTask = text.replace('{{<|>', '{{task.<|>');
        expect(await labelsAt(afterTask)).toEqual(['question', 'answer']);
    });

    it('offers the dataset fields after `{{task.`', async () => {
        expect(await labelsAt(HEADER + 'agent solver: Planner { prompt: "{{task.')).toEqual(['question', 'answer']);
    });

    it('offers `output` after `{{planner.`', async () => {
        expect(await labelsAt(HEADER + 'agent solver: Planner { prompt: "{{planner.')).toEqual(['output']);
    });

    it('completes between `{{` and `}}` of a closed hole', async () => {
        const labels = await labelsAt(HEADER + 'agent solver: Planner { prompt: "x {{task.<|>}} y" }');
        expect(labels).toEqual(['question', 'answer']);
    });

    it('completes in holes written with spaces', async () => {
        expect(await labelsAt(HEADER + 'agent solver: Planner { prompt: "x {{ <|> }}" }')).toEqual(
            expect.arrayContaining(['task', 'planner']),
        );
        expect(await labelsAt(HEADER + 'agent solver: Planner { prompt: "x {{ task.<|> }}" }')).toEqual([
            'question',
            'answer',
        ]);
    });

    it('filters by the partial name being typed', async () => {
        const items = await completeAt(HEADER + 'agent solver: Planner { prompt: "{{task.ans<|>}}" }');
        expect(items.map((item) => item.label)).toContain('answer');
        const answer = items.find((item) => item.label === 'answer')!;
        expect(answer.textEdit && 'range' in answer.textEdit ? answer.textEdit.newText : undefined).toBe('answer');
    });
});

describe('completion of references and keywords', () => {
    it('offers roles after `agent x:` with the interface icon', async () => {
        const items = await completeAt(HEADER + 'agent solver: ');
        expect(items.map((item) => item.label)).toEqual(['Planner']);
        expect(items[0]!.kind).toBe(CompletionItemKind.Interface);
    });

    it('offers start, end and agents in the graph', async () => {
        expect(await labelsAt(HEADER + 'graph { start -> ')).toEqual(expect.arrayContaining(['end', 'planner']));
    });

    it('offers nothing inside comments and plain string text', async () => {
        expect(await labelsAt(HEADER + '// a comment: ')).toEqual([]);
        expect(await labelsAt(HEADER + '/* a comment: <|> */')).toEqual([]);
        expect(await labelsAt(HEADER + 'agent b: Planner { prompt: "Plan:<|> x" }')).toEqual([]);
        expect(await labelsAt(HEADER + '/* done */ <|>')).toContain('agent');
    });

    it('offers top-level keywords', async () => {
        expect(await labelsAt(HEADER)).toEqual(expect.arrayContaining(['agent', 'graph', 'rubric', 'train', 'reward']));
    });

    it('documents the train setting keywords from the catalogue', async () => {
        const items = await completeAt(HEADER + 'train { ');
        const credit = items.find((item) => item.label === 'credit');
        expect(JSON.stringify(credit?.documentation)).toContain('split across agents');
        expect(items.map((item) => item.label)).toEqual(
            expect.arrayContaining(['algorithm', 'steps', 'device', 'dataset']),
        );
    });
});

describe('completion from the training catalogue', () => {
    it('offers every credit method with its formula after `credit:`', async () => {
        const items = await completeAt(HEADER + 'train { credit: ');
        expect(items.map((item) => item.label)).toEqual([
            'outcome',
            'agent_normalized',
            'turn_level',
            'counterfactual',
            'difference',
            'shapley',
            'critic',
        ]);
        const counterfactual = items.find((item) => item.label === 'counterfactual')!;
        expect(JSON.stringify(counterfactual.documentation)).toContain('V(n) = mean of leaf rewards');
    });

    it('replaces the partial method name being typed', async () => {
        const text = HEADER + 'train { credit: count';
        const items = await completeAt(text);
        const edit = items.find((item) => item.label === 'counterfactual')?.textEdit;
        expect(edit && 'range' in edit ? edit.range.start.character : -1).toBe('train { credit: '.length);
    });

    it('offers algorithms and device values', async () => {
        expect(await labelsAt(HEADER + 'train { algorithm: ')).toEqual(['grpo']);
        expect(await labelsAt(HEADER + 'train { steps: 10\n device: ')).toEqual(['auto', 'cpu', 'cuda']);
    });

    it('offers both record_credit values, `none` included (a keyword elsewhere, `adapter: none`)', async () => {
        expect(await labelsAt(HEADER + 'train { record_credit: ')).toEqual(['all', 'none']);
    });

    it('offers the argument names of grpo with their docs, leaving out those already given', async () => {
        const items = await completeAt(HEADER + 'train { algorithm: grpo(group: 8, ');
        expect(items.map((item) => item.label)).toEqual(['clip', 'kl']);
        expect(items[0]!.insertText).toBe('clip: ');
        expect(JSON.stringify(items[0]!.documentation)).toContain('PPO clip range');
    });

    it('offers the arguments of counterfactual, scratch and lora', async () => {
        expect(await labelsAt(HEADER + 'train { credit: counterfactual(')).toEqual([
            'fanout',
            'baseline',
            'normalize',
            'variant',
            'alpha',
            'no_replay',
        ]);
        expect(await labelsAt('model m { from: scratch(')).toEqual(['layers', 'hidden', 'heads', 'context', 'vocab']);
        expect(await labelsAt('model m { from: hf "x"  adapter: lora(rank: 8, <|>) }')).toEqual([
            'alpha',
            'dropout',
            'from',
        ]);
    });

    it('offers identifier argument values', async () => {
        expect(await labelsAt('model m { from: scratch(layers: 2, vocab: ')).toEqual(['chars']);
    });

    it('leaves reference settings to Langium', async () => {
        expect(await labelsAt(HEADER + 'train { dataset: ')).toEqual(['train']);
    });
});

describe('the agent snippet', () => {
    it("fills in the file's roles, models and first dataset field where a declaration may start", async () => {
        const text = HEADER.replace('model base', 'model tiny') + 'role Checker "Checks"\n<|>';
        const snippet = (await completeAt(text)).find((item) => item.label === 'agent …');
        expect(snippet?.insertText).toContain('agent ${1:solver}: ${2|Planner,Checker|} {');
        expect(snippet?.insertText).toContain('  model: ${3|tiny|}');
        expect(snippet?.insertText).toContain('{{task.question\\}\\}');
        expect(snippet?.insertText).not.toContain('base');
    });

    it('is not offered at a value position', async () => {
        const labels = await labelsAt(HEADER + 'agent solver: Planner { model: <|> }');
        expect(labels).not.toContain('agent …');
        expect(labels).toContain('base');
    });
});
