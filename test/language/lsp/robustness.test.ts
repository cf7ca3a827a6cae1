import { describe, expect, it } from 'vitest';
import type { LangiumDocument } from 'langium';
import { createTestServices, DESIGN_EXAMPLE, documentParams } from './lsp-test-helpers.js';

const { services, parse } = createTestServices();

/** Every editor feature of this module at `offset`; each must answer, whatever the text. */
async function runEveryFeature(document: LangiumDocument, offset: number): Promise<void> {
    const lsp = services.lsp;
    const params = documentParams(document);
    const position = document.textDocument.positionAt(offset);
    const whole = {
        start: { line: 0, character: 0 },
        end: document.textDocument.positionAt(document.textDocument.getText().length),
    };
    await lsp.CompletionProvider!.getCompletion(document, { ...params, position });
    await lsp.HoverProvider!.getHoverContent(document, { ...params, position });
    await lsp.DocumentSymbolProvider!.getSymbols(document, params);
    await lsp.FoldingRangeProvider!.getFoldingRanges(document, params);
    await lsp.SemanticTokenProvider!.semanticHighlight(document, params);
    await lsp.InlayHintProvider!.getInlayHints(document, { ...params, range: whole });
    await lsp.CodeLensProvider!.provideCodeLens(document, params);
    await lsp.Formatter!.formatDocument(document, { ...params, options: { tabSize: 2, insertSpaces: true } });
}

describe('editor features on incomplete text', () => {
    it('answer on every prefix of the DESIGN.md example (the text as it is being typed)', async () => {
        let checked = 0;
        for (let end = 0; end <= DESIGN_EXAMPLE.length; end += 11) {
            const text = DESIGN_EXAMPLE.substring(0, end);
            const document = await parse(text);
            await runEveryFeature(document, text.length);
            await runEveryFeature(document, Math.floor(text.length / 2));
            checked++;
        }
        expect(checked).toBeGreaterThan(100);
    });

    it('answer on documents with stray tokens, unterminated strings and templates', async () => {
        const texts = [
            'agent a: { prompt: "{{task. }}" }',
            'agent a: R { prompt: "x {{ }} {{a.}} {{.output}}" }',
            'train { credit: counterfactual(fanout: [2, ) algorithm: grpo(group: ,) }',
            'rubric r { criterion c weight : }\nrubric r2 { criterion weight 0: a.output matches /unterminated }',
            'model m { from: scratch(vocab: ) adapter: lora(rank: rank: 2) }',
            '}}}} {{{{ "" """ /* unterminated',
        ];
        for (const text of texts) {
            const document = await parse(text);
            for (let offset = 0; offset <= text.length; offset += 3) {
                await runEveryFeature(document, offset);
            }
        }
        expect(texts.length).toBe(6);
    });
});
