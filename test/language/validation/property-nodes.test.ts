import { readFileSync } from 'node:fs';
import { AstUtils, GrammarUtils } from 'langium';
import { describe, expect, it } from 'vitest';
import { propertyNodes } from '../../../server/src/language/validation/property-nodes.js';
import { createTestServices, DESIGN_EXAMPLE } from '../lsp/lsp-test-helpers.js';

const { parse } = createTestServices();

const REPEATED = `model m { from: hf "a"  from: hf "b"  adapter: none  adapter: lora(rank: 4) }
role R "r"
agent a: R { model: m  prompt: "x"  model: m  max_tokens: 3  prompt: "y {{task.q}}"  max_tokens: 4 }
train { dataset: d  steps: 3  dataset: d  critic: m  critic: m }
`;

describe('propertyNodes', () => {
    for (const [name, text] of [
        ['DESIGN.md example', DESIGN_EXAMPLE],
        ['repeated properties', REPEATED],
        ['math-team example', readFileSync('examples/math-team/math-team.mas', 'utf8')],
    ] as const) {
        it(`finds, for every node of the ${name}, the same nodes as Langium's findNodesForProperty`, async () => {
            const document = await parse(text);
            let compared = 0;
            for (const node of AstUtils.streamAst(document.parseResult.value)) {
                const found = propertyNodes(node);
                const properties = new Set([
                    ...found.keys(),
                    ...Object.keys(node).filter((key) => !key.startsWith('$')),
                ]);
                for (const property of properties) {
                    // Compared by identity: a deep comparison of CST nodes would walk into the AST and resolve references.
                    const expected = [...GrammarUtils.findNodesForProperty(node.$cstNode, property)];
                    const actual = found.get(property) ?? [];
                    expect(actual.length, `${node.$type}.${property}`).toBe(expected.length);
                    expect(
                        actual.every((cst, i) => cst === expected[i]),
                        `${node.$type}.${property}`,
                    ).toBe(true);
                    compared++;
                }
            }
            expect(compared).toBeGreaterThan(20);
        });
    }

    it('lists a repeated property once per occurrence, in text order', async () => {
        const document = await parse(REPEATED);
        const agent = AstUtils.streamAst(document.parseResult.value).find((node) => node.$type === 'Agent')!;
        expect(
            propertyNodes(agent)
                .get('maxTokens')
                ?.map((node) => node.text),
        ).toEqual(['3', '4']);
    });
});
