import { describe, expect, it } from 'vitest';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { expectFoldings, expectSymbols } from 'langium/test';
import { createTestServices, DESIGN_EXAMPLE } from './lsp-test-helpers.js';

const { services } = createTestServices();
const symbols = expectSymbols(services);
const foldings = expectFoldings(services);

const KIND_NAMES = new Map(Object.entries(SymbolKind).map(([name, kind]) => [kind, name]));

/** `name (Kind)` with children indented, for readable comparisons. */
function outline(list: DocumentSymbol[], depth = 0): string[] {
    return list.flatMap((symbol) => [
        `${'  '.repeat(depth)}${symbol.name} (${KIND_NAMES.get(symbol.kind)})`,
        ...outline(symbol.children ?? [], depth + 1),
    ]);
}

describe('document symbols', () => {
    it('outlines the DESIGN.md example under its workflow', async () => {
        await symbols({
            text: DESIGN_EXAMPLE,
            assert: (list) =>
                expect(outline(list)).toEqual([
                    'MathTeam (Module)',
                    '  train (Struct)',
                    '    question (Field)',
                    '    answer (Field)',
                    '  base (Class)',
                    '  Planner (Interface)',
                    '  Solver (Interface)',
                    '  Verifier (Interface)',
                    '  planner (Object)',
                    '  solver (Object)',
                    '  verifier (Object)',
                    '  graph (Namespace)',
                    '    start -> planner -> solver -> verifier (Event)',
                    '    verifier -> solver (Event)',
                    '    verifier -> end (Event)',
                    '  correctness (Function)',
                    '    answer (Property)',
                    '    format (Property)',
                    '    brevity (Property)',
                    '  team (Event)',
                    '  train (Package)',
                    '    algorithm (Property)',
                    '    credit (Property)',
                    '    steps (Property)',
                    '    batch (Property)',
                    '    lr (Property)',
                    '    seed (Property)',
                ]),
        });
    });

    it('lists the data set and critic of a train block', async () => {
        await symbols({
            text: 'dataset d from "x" { }\nmodel v { }\ntrain {\n  dataset: d\n  critic: v\n  steps: 3\n}',
            assert: (list) =>
                expect(outline(list).slice(2)).toEqual([
                    'train (Package)',
                    '  dataset (Property)',
                    '  critic (Property)',
                    '  steps (Property)',
                ]),
        });
    });

    it('gives details and selects names', async () => {
        await symbols({
            text: 'role R "Plans"\nagent a: R { }',
            assert: (list) => {
                expect(list.map((symbol) => symbol.detail)).toEqual(['Plans', 'R']);
                expect(list[1]!.selectionRange).toEqual({
                    start: { line: 1, character: 6 },
                    end: { line: 1, character: 7 },
                });
            },
        });
    });
});

describe('folding', () => {
    it('folds blocks and comments of three lines or more', async () => {
        await foldings({
            text: '<|/* a\n   b|>\n   c */\nrole R\n<|model m {\n  from: hf "x"|>\n}\n<|graph {\n  start -> end|>\n}\n<|train {\n  steps: 1|>\n}',
        });
    });
});
