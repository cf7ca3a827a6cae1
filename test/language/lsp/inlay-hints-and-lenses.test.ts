import { describe, expect, it } from 'vitest';
import type { InlayHint } from 'vscode-languageserver';
import { createTestServices, DESIGN_EXAMPLE, documentParams } from './lsp-test-helpers.js';

const { services, parse } = createTestServices();

async function inlayHints(text: string): Promise<InlayHint[]> {
    const document = await parse(text);
    const range = { start: { line: 0, character: 0 }, end: document.textDocument.positionAt(text.length) };
    return (
        (await services.lsp.InlayHintProvider!.getInlayHints(document, { ...documentParams(document), range })) ?? []
    );
}

async function codeLenses(text: string) {
    const document = await parse(text);
    const lenses = (await services.lsp.CodeLensProvider!.provideCodeLens(document, documentParams(document))) ?? [];
    return { document, lenses };
}

describe('inlay hints', () => {
    it('shows the normalized weight after each criterion weight when the weights do not sum to 1', async () => {
        const text = 'rubric r {\n  criterion a weight 0.7: true\n  criterion b weight 0.5: false\n}\n';
        const hints = await inlayHints(text);
        expect(hints.map((hint) => hint.label)).toEqual(['≈ 0.58', '≈ 0.42']);
        expect(hints[0]!.position).toEqual({ line: 1, character: 'criterion a weight 0.7'.length + 2 });
        expect(hints[0]!.paddingLeft).toBe(true);
    });

    it('shows nothing when the weights already sum to 1', async () => {
        expect(await inlayHints(DESIGN_EXAMPLE)).toEqual([]);
    });
});

describe('code lenses', () => {
    it('puts Train and Show graph on the workflow header with the document URI', async () => {
        const { document, lenses } = await codeLenses(DESIGN_EXAMPLE);
        expect(lenses.map((lens) => [lens.command?.title, lens.command?.command])).toEqual([
            ['Train', 'mas.training.start'],
            ['Show graph', 'mas.graph.show'],
        ]);
        expect(lenses[0]!.range.start).toEqual({ line: 0, character: 0 });
        expect(lenses[0]!.command?.arguments).toEqual([document.uri.toString()]);
    });

    it('falls back to the train block without a header, and offers nothing in a library file', async () => {
        const withTrain = await codeLenses('role R\n\ntrain { steps: 1 }');
        expect(withTrain.lenses.map((lens) => lens.range.start.line)).toEqual([2, 2]);
        expect((await codeLenses('role R\nmodel m { }')).lenses).toEqual([]);
    });
});
