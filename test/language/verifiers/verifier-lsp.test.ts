import { TextDocument } from 'langium';
import { highlightHelper } from 'langium/test';
import { SemanticTokenTypes, type DocumentSymbol } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';
import { createTestServices, documentParams } from '../lsp/lsp-test-helpers.js';
import { workflowWith } from './verifier-workflow.js';

const { services, parse } = createTestServices();
const EQUAL = 'verifier equal(got: string, want: number) -> bool from "verifiers.py" function math_equal';
const TEXT = workflowWith(
    EQUAL,
    '  criterion answer weight 0.5: equal(solver.output, task.answer)\n' +
        '  criterion again weight 0.3: not equal(trim(solver.output), task.answer)\n' +
        '  criterion overlap weight 0.2: f1(solver.output, "four")\n',
);

function offsetOf(text: string, at: string, inside: number): number {
    const offset = text.indexOf(at);
    expect(offset, `${at} not found`).toBeGreaterThanOrEqual(0);
    return offset + inside;
}

async function hoverAt(text: string, at: string, inside: number): Promise<string | undefined> {
    const document = await parse(text);
    const hover = await services.lsp.HoverProvider!.getHoverContent(document, {
        ...documentParams(document),
        position: document.textDocument.positionAt(offsetOf(text, at, inside)),
    });
    const contents = hover?.contents;
    return contents && typeof contents === 'object' && 'value' in contents ? contents.value : undefined;
}

describe('verifiers in the editor', () => {
    it('hovers a call and a declaration with the signature and where the function lives', async () => {
        for (const markdown of [await hoverAt(TEXT, 'equal(solver', 2), await hoverAt(TEXT, 'verifier equal', 10)]) {
            expect(markdown).toContain('**verifier** `equal(got: string, want: number) -> bool`');
            expect(markdown).toContain('Python function `math_equal` in `verifiers.py`');
            expect(markdown).toContain('scores the criterion null');
        }
    });

    it('hovers a built-in verifier with its documentation', async () => {
        const markdown = await hoverAt(TEXT, 'f1(solver', 1);
        expect(markdown).toContain('**built-in verifier** `f1(got: string, want: string) -> number`');
        expect(markdown).toContain('SQuAD-style token F1');
    });

    it('completes declared and built-in verifiers where an expression starts', async () => {
        const cursorText = TEXT.replace('f1(solver.output, "four")', 'ma');
        const document = await parse(cursorText);
        const list = await services.lsp.CompletionProvider!.getCompletion(document, {
            ...documentParams(document),
            position: document.textDocument.positionAt(offsetOf(cursorText, 'weight 0.2: ma', 14)),
        });
        const labels = (list?.items ?? []).map((item) => item.label);
        expect(labels).toContain('math_equal');
        const all = await services.lsp.CompletionProvider!.getCompletion(document, {
            ...documentParams(document),
            position: document.textDocument.positionAt(offsetOf(cursorText, 'weight 0.2: ma', 12)),
        });
        const allLabels = (all?.items ?? []).map((item) => item.label);
        expect(allLabels).toEqual(
            expect.arrayContaining(['equal', 'math_equal', 'code_tests', 'json_schema', 'solver']),
        );
    });

    it('renames a verifier in its declaration and every call', async () => {
        const document = await parse(TEXT);
        const edit = await services.lsp.RenameProvider!.rename(document, {
            ...documentParams(document),
            position: document.textDocument.positionAt(offsetOf(TEXT, 'not equal(', 5)),
            newName: 'same',
        });
        const renamed = TextDocument.applyEdits(
            document.textDocument,
            edit?.changes?.[document.textDocument.uri] ?? [],
        );
        expect(renamed).toContain('verifier same(got: string, want: number) -> bool');
        expect(renamed).toContain('weight 0.5: same(solver.output, task.answer)');
        expect(renamed).toContain('not same(trim(solver.output), task.answer)');
        expect(renamed).not.toMatch(/\bequal\(/);
        // The Python function keeps its name: the declaration names it with `function`.
        expect(renamed).toContain('function math_equal');
    });

    it('refuses to rename a built-in verifier, saying why', async () => {
        const document = await parse(TEXT);
        await expect(
            services.lsp.RenameProvider!.rename(document, {
                ...documentParams(document),
                position: document.textDocument.positionAt(offsetOf(TEXT, 'f1(solver', 1)),
                newName: 'overlap',
            }),
        ).rejects.toThrow(/built-in verifier/);
    });

    it('goes from a call to its declaration, and nowhere for a built-in (it has no file)', async () => {
        const document = await parse(TEXT);
        const definition = async (at: string, inside: number) =>
            services.lsp.DefinitionProvider!.getDefinition(document, {
                ...documentParams(document),
                position: document.textDocument.positionAt(offsetOf(TEXT, at, inside)),
            });
        const declared = await definition('equal(solver', 2);
        expect(declared?.[0]?.targetUri).toBe(document.textDocument.uri);
        expect(await definition('f1(solver', 1)).toEqual([]);
    });

    it('lists a verifier in the outline and colours declarations and calls as functions', async () => {
        const document = await parse(TEXT);
        const symbols = (await services.lsp.DocumentSymbolProvider!.getSymbols(
            document,
            documentParams(document),
        )) as DocumentSymbol[];
        const verifier = symbols[0]!.children!.find((s) => s.name === 'equal');
        expect(verifier?.detail).toBe('verifier from verifiers.py');
        const { tokens } = await highlightHelper(services)(TEXT);
        const at = (needle: string) => {
            const offset = offsetOf(TEXT, needle, 0);
            return tokens.find((t) => t.offset === offset);
        };
        expect(at('equal(got')?.tokenType).toBe(SemanticTokenTypes.function);
        expect(at('equal(solver')?.tokenType).toBe(SemanticTokenTypes.function);
        expect(at('f1(solver')?.tokenType).toBe(SemanticTokenTypes.function);
    });

    it('formats a verifier declaration without changing it, twice the same', async () => {
        const format = async (text: string) => {
            const document = await parse(text);
            const edits = await services.lsp.Formatter!.formatDocument(document, {
                ...documentParams(document),
                options: { tabSize: 2, insertSpaces: true },
            });
            return TextDocument.applyEdits(document.textDocument, edits);
        };
        const messy = TEXT.replace(
            EQUAL,
            'verifier   equal( got:string,want : number )->bool from "verifiers.py"   function math_equal',
        );
        const once = await format(messy);
        expect(once).toContain(EQUAL);
        expect(await format(once)).toBe(once);
    });
});
