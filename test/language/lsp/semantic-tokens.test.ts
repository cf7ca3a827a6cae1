import { describe, expect, it } from 'vitest';
import { SemanticTokenTypes } from 'vscode-languageserver';
import { expectSemanticToken, highlightHelper } from 'langium/test';
import { createTestServices } from './lsp-test-helpers.js';

const { services } = createTestServices();
const highlight = highlightHelper(services);

/** The token type at each `<|...|>` range, in order. */
async function typesAtRanges(text: string): Promise<string[]> {
    const { tokens, ranges } = await highlight(text);
    return ranges.map(([start, end]) => {
        const token = tokens.find((t) => t.offset === start && t.offset + t.text.length === end);
        return token?.tokenType ?? `none at ${start}`;
    });
}

describe('semantic tokens', () => {
    it('colours declarations by kind', async () => {
        const types = await typesAtRanges(
            'workflow <|W|>\ndataset <|d|> from "x" { <|q|>: string }\nmodel <|m|> { }\n' +
                'role <|R|>\nagent <|a|>: R { }\nrubric <|r|> { criterion <|c|> weight 1: true }\nreward <|t|>: r per turn',
        );
        expect(types).toEqual([
            SemanticTokenTypes.namespace,
            SemanticTokenTypes.struct,
            SemanticTokenTypes.property,
            SemanticTokenTypes.class,
            SemanticTokenTypes.interface,
            SemanticTokenTypes.variable,
            SemanticTokenTypes.function,
            SemanticTokenTypes.property,
            SemanticTokenTypes.event,
        ]);
    });

    it('colours references like their declarations', async () => {
        const types = await typesAtRanges(
            'dataset d from "x" { q: string }\nmodel m { }\nrole R\n' +
                'agent a: <|R|> { model: <|m|> }\ngraph { start -> <|a|> -> end }\nrubric r { criterion c weight 1: <|a|>.<|output|> == <|task|>.<|q|> }\n' +
                'reward t: <|r|> per turn\ntrain { dataset: <|d|> }',
        );
        expect(types).toEqual([
            SemanticTokenTypes.interface,
            SemanticTokenTypes.class,
            SemanticTokenTypes.variable,
            SemanticTokenTypes.variable,
            SemanticTokenTypes.property,
            SemanticTokenTypes.variable,
            SemanticTokenTypes.property,
            SemanticTokenTypes.function,
            SemanticTokenTypes.struct,
        ]);
    });

    it('colours template holes as references and their delimiters as operators, leaving the text to the string colour', async () => {
        const text =
            'dataset d from "x" { q: string }\nrole R\nagent a: R { }\n' +
            'agent b: R { prompt: "Q: <|{{|><|task|>.<|q|><|}}|> and <|{{|><|a|>.<|output|><|}}|>!" }';
        const types = await typesAtRanges(text);
        expect(types).toEqual([
            SemanticTokenTypes.operator,
            SemanticTokenTypes.variable,
            SemanticTokenTypes.property,
            SemanticTokenTypes.operator,
            SemanticTokenTypes.operator,
            SemanticTokenTypes.variable,
            SemanticTokenTypes.property,
            SemanticTokenTypes.operator,
        ]);
        const { tokens } = await highlight(text.replace(/<\|/g, '').replace(/\|>/g, ''));
        expect(tokens.some((token) => token.text.includes('Q: '))).toBe(false);
    });

    it('colours catalogue words: credit methods as keywords, arguments as parameters', async () => {
        const result = await highlight(
            'train {\n  credit: <|counterfactual|>(<|fanout|>: [2, 4])\n  algorithm: <|grpo|>(group: 4)\n  device: <|cuda|>\n}',
        );
        expectSemanticToken(result, { rangeIndex: 0, tokenType: SemanticTokenTypes.keyword });
        expectSemanticToken(result, { rangeIndex: 1, tokenType: SemanticTokenTypes.parameter });
        expectSemanticToken(result, { rangeIndex: 2, tokenType: SemanticTokenTypes.keyword });
        expectSemanticToken(result, { rangeIndex: 3, tokenType: SemanticTokenTypes.enumMember });
    });

    it('colours regex literals', async () => {
        const result = await highlight(
            'role R\nagent a: R { }\nrubric r { criterion c weight 1: a.output matches <|/x+/i|> }',
        );
        expectSemanticToken(result, { rangeIndex: 0, tokenType: SemanticTokenTypes.regexp });
    });
});
