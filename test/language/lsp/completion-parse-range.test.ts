import { readFileSync } from 'node:fs';
import type { LangiumDocument } from 'langium';
import { DefaultCompletionProvider, type CompletionContext } from 'langium/lsp';
import { describe, expect, it } from 'vitest';
import type { CompletionItem, Position } from 'vscode-languageserver';
import { findCatalogContext, type CatalogContext } from '../../../server/src/language/lsp/completion-context.js';
import { MasCompletionProvider } from '../../../server/src/language/lsp/mas-completion.js';
import { MAX_REFERENCE_ITEMS } from '../../../server/src/language/lsp/windowed-completion-provider.js';
import { createTestServices, DESIGN_EXAMPLE, documentParams } from './lsp-test-helpers.js';

const { services, parse } = createTestServices();

/** The same provider with Langium's whole-file lexing and parsing: the reference the window must agree with. */
class WholeFileCompletionProvider extends MasCompletionProvider {
    protected override *buildContexts(
        document: LangiumDocument,
        position: Position,
    ): IterableIterator<CompletionContext> {
        const langiumBuilder = (
            DefaultCompletionProvider.prototype as unknown as {
                buildContexts(
                    this: DefaultCompletionProvider,
                    document: LangiumDocument,
                    position: Position,
                ): IterableIterator<CompletionContext>;
            }
        ).buildContexts;
        yield* langiumBuilder.call(this, document, position);
    }

    protected override catalogContext(
        _document: LangiumDocument,
        text: string,
        offset: number,
    ): CatalogContext | undefined {
        return findCatalogContext(this.lexer.tokenize(text.substring(0, offset)).tokens, offset);
    }
}

const windowed = services.lsp.CompletionProvider!;
const wholeFile = new WholeFileCompletionProvider(services);

async function complete(
    provider: typeof windowed,
    document: LangiumDocument,
    offset: number,
): Promise<CompletionItem[]> {
    const list = await provider.getCompletion(document, {
        ...documentParams(document),
        position: document.textDocument.positionAt(offset),
    });
    return list?.items ?? [];
}

function summary(items: CompletionItem[]): string[] {
    return items.map((item) => `${item.label}|${item.kind}|${JSON.stringify(item.textEdit)}`);
}

describe('completion reads only the declarations around the cursor', () => {
    const examples = [
        ['DESIGN.md example', DESIGN_EXAMPLE],
        ['lazy-team example', readFileSync('examples/lazy-team/lazy-team.mas', 'utf8')],
    ] as const;
    for (const [name, text] of examples) {
        it(`gives the same items as whole-file completion at every offset of the ${name}`, async () => {
            const document = await parse(text);
            let compared = 0;
            for (let offset = 0; offset <= text.length; offset++) {
                expect(summary(await complete(windowed, document, offset)), `offset ${offset}`).toEqual(
                    summary(await complete(wholeFile, document, offset)),
                );
                compared++;
            }
            expect(compared).toBe(text.length + 1);
        });
    }
});

describe('completion with many symbols in scope', () => {
    const roles = Array.from({ length: MAX_REFERENCE_ITEMS * 3 }, (_, i) => `role Role${i} "r"`).join('\n');

    it(`returns at most ${MAX_REFERENCE_ITEMS} references, as an incomplete list`, async () => {
        const text = `${roles}\nagent probe: `;
        const list = await windowed.getCompletion(await parse(text), {
            textDocument: { uri: 'file:///probe.mas' },
            position: { line: MAX_REFERENCE_ITEMS * 3, character: 'agent probe: '.length },
        });
        expect(list?.items).toHaveLength(MAX_REFERENCE_ITEMS);
        expect(list?.isIncomplete).toBe(true);
        expect(new Set(list?.items.map((item) => item.label)).size).toBe(MAX_REFERENCE_ITEMS);
    });

    it('finds a name beyond the first items once its prefix is typed', async () => {
        const last = `Role${MAX_REFERENCE_ITEMS * 3 - 1}`;
        const document = await parse(`${roles}\nagent probe: ${last}`);
        const labels = (await complete(windowed, document, document.textDocument.getText().length)).map(
            (item) => item.label,
        );
        expect(labels).toContain(last);
        expect(labels.length).toBeLessThan(MAX_REFERENCE_ITEMS);
    });

    it('documents the references it returns', async () => {
        const document = await parse(`/** The one that checks. */\nrole Checker "c"\n${roles}\nagent probe: Check`);
        const checker = (await complete(windowed, document, document.textDocument.getText().length)).find(
            (item) => item.label === 'Checker',
        );
        expect(JSON.stringify(checker?.documentation)).toContain('The one that checks.');
    });
});
