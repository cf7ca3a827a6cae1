import { describe, expect, it } from 'vitest';
import { TextDocument } from 'langium';
import { expectFindReferences, expectGoToDefinition } from 'langium/test';
import { createTestServices, DESIGN_EXAMPLE, documentParams } from './lsp-test-helpers.js';

const { services, parse } = createTestServices();
const gotoDefinition = expectGoToDefinition(services);
const findReferences = expectFindReferences(services);

/** Renames the symbol at the first occurrence of `at` (offset `inside` into it) and returns the new text. */
async function renameAt(text: string, at: string, inside: number, newName: string): Promise<string> {
    const document = await parse(text);
    const offset = text.indexOf(at) + inside;
    const edit = await services.lsp.RenameProvider!.rename(document, {
        ...documentParams(document),
        position: document.textDocument.positionAt(offset),
        newName,
    });
    const edits = edit?.changes?.[document.textDocument.uri] ?? [];
    expect(edits.length).toBeGreaterThan(0);
    return TextDocument.applyEdits(document.textDocument, edits);
}

describe('go to definition', () => {
    it('jumps from a template hole to the agent', async () => {
        await gotoDefinition({
            text: 'role R\nagent <|solver|>: R { }\nagent checker: R { prompt: "Check {{sol<|>ver.output}} now" }',
            index: 0,
            rangeIndex: 0,
        });
    });

    it('jumps from `{{task.x}}` to the dataset field', async () => {
        await gotoDefinition({
            text: 'dataset d from "d.jsonl" { <|question|>: string }\nrole R\nagent a: R { prompt: "Q: {{task.ques<|>tion}}" }',
            index: 0,
            rangeIndex: 0,
        });
    });

    it('jumps from a rubric expression and from the graph to the agent', async () => {
        const text =
            'role R\nagent <|solver|>: R { }\ngraph { start -> sol<|>ver -> end }\n' +
            'rubric r { criterion c weight 1: sol<|>ver.output contains "x" }';
        await gotoDefinition({ text, index: 0, rangeIndex: 0 });
        await gotoDefinition({ text, index: 1, rangeIndex: 0 });
    });
});

describe('find references', () => {
    it('finds an agent in templates, the graph, conditions and rubrics', async () => {
        await findReferences({
            text:
                'role R\nagent <|sol<|>ver|>: R { }\nagent v: R { prompt: "{{<|solver|>.output}} and {{<|solver|>.output}}" }\n' +
                'graph { start -> <|solver|> -> v -> end\n  v -> <|solver|> when <|solver|>.output contains "x" max 2 }\n' +
                'rubric r { criterion c weight 1: length(<|solver|>.output) > 0 }',
            includeDeclaration: true,
        });
    });

    it('finds a dataset field in templates and expressions', async () => {
        await findReferences({
            text:
                'dataset d from "d.jsonl" { <|ans<|>wer|>: number }\nrole R\nagent a: R { prompt: "{{task.<|answer|>}}" }\n' +
                'rubric r { criterion c weight 1: number(a.output) == task.<|answer|> }',
            includeDeclaration: true,
        });
    });
});

describe('rename', () => {
    it('renames an agent in every template hole, graph edge, condition and rubric', async () => {
        const renamed = await renameAt(DESIGN_EXAMPLE, 'agent solver', 7, 'worker');
        expect(renamed).toContain('agent worker: Solver');
        expect(renamed).toContain('"Check {{worker.output}}: ACCEPT or REVISE"');
        expect(renamed).toContain('start -> planner -> worker -> verifier');
        expect(renamed).toContain('verifier -> worker when');
        expect(renamed).toContain('extract(worker.output,');
        expect(renamed).toContain('length(worker.output) <= 400');
        expect(renamed).not.toMatch(/\bsolver\b/);
    });

    it('renames an agent from inside a template hole', async () => {
        const renamed = await renameAt(DESIGN_EXAMPLE, '{{planner.output}}', 4, 'lead');
        expect(renamed).toContain('agent lead: Planner');
        expect(renamed).toContain('Plan: {{lead.output}}');
        expect(renamed).toContain('start -> lead -> solver');
    });

    it('renames a dataset field and every task.x occurrence', async () => {
        const renamed = await renameAt(DESIGN_EXAMPLE, 'question: string', 2, 'problem');
        expect(renamed).toContain('{ problem: string  answer: number }');
        expect(renamed).toContain('"Plan: {{task.problem}}"');
        expect(renamed).toContain('"{{task.problem}}\\nPlan: {{planner.output}}"');
        expect(renamed).not.toContain('question');
    });

    it('renames a role and a model with their references', async () => {
        const roleRenamed = await renameAt(DESIGN_EXAMPLE, 'role Verifier', 6, 'Checker');
        expect(roleRenamed).toContain('agent verifier: Checker {');
        const modelRenamed = await renameAt(DESIGN_EXAMPLE, 'model base', 7, 'qwen');
        expect(modelRenamed.match(/model: qwen/g)).toHaveLength(3);
    });

    it('refuses a new name the parser would not read as a name, with a message saying why', async () => {
        const document = await parse(DESIGN_EXAMPLE);
        const position = document.textDocument.positionAt(DESIGN_EXAMPLE.indexOf('agent solver') + 7);
        const renameTo = (newName: string) =>
            services.lsp.RenameProvider!.rename(document, { ...documentParams(document), position, newName });
        await expect(renameTo('two words')).rejects.toThrow(/not a valid name/);
        await expect(renameTo('3x')).rejects.toThrow(/not a valid name/);
        await expect(renameTo('graph')).rejects.toThrow(/is a keyword/);
        expect(Object.values((await renameTo('critic'))?.changes ?? {}).flat().length).toBe(7);
    });
});

describe('across imported files', () => {
    it('renames a model and a role declared in an imported file, in both files', async () => {
        const common = await parse('model shared { from: hf "x" }\nrole Helper "Helps"\n', {
            documentUri: 'file:///ws/common.mas',
        });
        const mainText =
            'import "common.mas"\nagent a: Helper { model: shared  prompt: "hi" }\nagent b: Helper { model: shared  prompt: "{{a.output}}" }\n';
        const main = await parse(mainText, { documentUri: 'file:///ws/main.mas' });
        expect(main.references.every((reference) => 'ref' in reference && reference.ref !== undefined)).toBe(true);
        const position = main.textDocument.positionAt(mainText.indexOf('shared') + 2);
        const edit = await services.lsp.RenameProvider!.rename(main, {
            ...documentParams(main),
            position,
            newName: 'qwen',
        });
        const mainEdits = edit?.changes?.[main.textDocument.uri] ?? [];
        const commonEdits = edit?.changes?.[common.textDocument.uri] ?? [];
        expect(TextDocument.applyEdits(main.textDocument, mainEdits).match(/model: qwen/g)).toHaveLength(2);
        expect(TextDocument.applyEdits(common.textDocument, commonEdits)).toContain('model qwen {');
    });
});
