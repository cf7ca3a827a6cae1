import type { LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver';
import type { MasDiagnostic, MasSeverity } from '../../../../protocol/lsp.js';

const SEVERITIES: Record<number, MasSeverity> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

/** A Langium/LSP diagnostic as the protocol carries it: with its document and a named severity. */
export function toMasDiagnostic(uri: string, diagnostic: Diagnostic): MasDiagnostic {
    const data = diagnostic.data as { code?: unknown } | undefined;
    const code = diagnostic.code ?? data?.code;
    return {
        uri,
        range: diagnostic.range,
        severity: SEVERITIES[diagnostic.severity ?? 1] ?? 'error',
        ...(code !== undefined ? { code: String(code) } : {}),
        message: diagnostic.message,
    };
}

/** Every diagnostic of the documents, in document order, then by position. */
export function diagnosticsOf(documents: readonly LangiumDocument[]): MasDiagnostic[] {
    return documents.flatMap((document) => {
        const uri = document.uri.toString();
        return [...(document.diagnostics ?? [])]
            .sort(
                (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
            )
            .map((diagnostic) => toMasDiagnostic(uri, diagnostic));
    });
}

export function errorsOnly(diagnostics: readonly MasDiagnostic[]): MasDiagnostic[] {
    return diagnostics.filter((d) => d.severity === 'error');
}
