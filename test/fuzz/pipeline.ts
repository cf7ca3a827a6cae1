import { Cancellation, URI, type LangiumDocument } from 'langium';
import type { Diagnostic, Position, Range } from 'vscode-languageserver';
import type { createMasServices } from '../../server/src/language/mas-module.js';
import { Prng } from './prng.js';

type Services = ReturnType<typeof createMasServices>;

/** How many random offsets each mutant is queried at (completion, hover). */
const OFFSETS_PER_DOCUMENT = 3;

/** Problems that are not exceptions: the document must still be answered correctly. */
export interface PipelineReport {
    problems: string[];
}

function lineLengths(text: string): number[] {
    return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

function positionInside(position: Position, lengths: number[]): boolean {
    return (
        position.line >= 0 &&
        position.line < lengths.length &&
        position.character >= 0 &&
        position.character <= lengths[position.line]!
    );
}

function rangeProblem(range: Range, lengths: number[]): string | undefined {
    if (!positionInside(range.start, lengths) || !positionInside(range.end, lengths)) {
        return `range ${JSON.stringify(range)} is outside the document (${lengths.length} lines)`;
    }
    const ordered =
        range.start.line < range.end.line ||
        (range.start.line === range.end.line && range.start.character <= range.end.character);
    return ordered ? undefined : `range ${JSON.stringify(range)} ends before it starts`;
}

function diagnosticProblems(diagnostics: Diagnostic[], lengths: number[]): string[] {
    return diagnostics.flatMap((diagnostic) => {
        const problem = rangeProblem(diagnostic.range, lengths);
        return problem ? [`diagnostic "${diagnostic.message}": ${problem}`] : [];
    });
}

/**
 * Runs one document through everything the language server does with it: parse, link, validate,
 * then every bound LSP provider (at random offsets where they take one). Exceptions propagate to
 * the caller; wrong answers are returned as problems. The document is removed afterwards so the
 * workspace does not grow.
 */
export async function runPipeline(
    services: Services,
    text: string,
    name: string,
    offsetSeed: number,
): Promise<PipelineReport> {
    const { shared } = services;
    const uri = URI.parse(`file:///fuzz/${encodeURIComponent(name)}.mas`);
    const document: LangiumDocument = shared.workspace.LangiumDocumentFactory.fromString(text, uri);
    shared.workspace.LangiumDocuments.addDocument(document);
    try {
        await shared.workspace.DocumentBuilder.build([document], { validation: true });
        const lengths = lineLengths(document.textDocument.getText());
        const problems = diagnosticProblems(document.diagnostics ?? [], lengths);
        await queryProviders(services, document, new Prng(offsetSeed));
        return { problems };
    } finally {
        shared.workspace.LangiumDocuments.deleteDocument(uri);
    }
}

async function queryProviders(services: Services, document: LangiumDocument, prng: Prng): Promise<void> {
    const lsp = services.Mas.lsp;
    const textDocument = { uri: document.uri.toString() };
    const cancel = Cancellation.CancellationToken.None;
    const length = document.textDocument.getText().length;
    for (let i = 0; i < OFFSETS_PER_DOCUMENT; i++) {
        const position = document.textDocument.positionAt(prng.int(length + 1));
        await lsp.CompletionProvider?.getCompletion(document, { textDocument, position }, cancel);
        await lsp.HoverProvider?.getHoverContent(document, { textDocument, position }, cancel);
    }
    const whole = { start: { line: 0, character: 0 }, end: document.textDocument.positionAt(length) };
    await lsp.DocumentSymbolProvider?.getSymbols(document, { textDocument }, cancel);
    await lsp.SemanticTokenProvider?.semanticHighlight(document, { textDocument }, cancel);
    await lsp.Formatter?.formatDocument(
        document,
        { textDocument, options: { tabSize: 2, insertSpaces: true } },
        cancel,
    );
    await lsp.FoldingRangeProvider?.getFoldingRanges(document, { textDocument }, cancel);
    await lsp.InlayHintProvider?.getInlayHints(document, { textDocument, range: whole }, cancel);
    await lsp.CodeLensProvider?.provideCodeLens(document, { textDocument }, cancel);
    await lsp.CodeActionProvider?.getCodeActions(
        document,
        {
            textDocument,
            range: whole,
            context: { diagnostics: document.diagnostics ?? [] },
        },
        cancel,
    );
}
