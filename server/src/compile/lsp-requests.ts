import { URI } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import type { CompileParams, CompileResult, GraphParams, GraphResponse, MasDiagnostic } from '../../../protocol/lsp.js';
import { buildGraphModel } from '../graph/graph-model.js';
import { compileDocument } from './compile-workflow.js';

function unknownDocument(uri: string): MasDiagnostic {
    return {
        uri, severity: 'error', code: 'compile-unknown-document',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `The language server has not loaded ${uri}; open the file in the editor and try again.`,
    };
}

/**
 * Answers `mas/compile` from the language server's workspace (documents are already built there;
 * the server's main file registers this handler on its connection).
 */
export function handleCompileRequest(params: CompileParams, shared: LangiumSharedServices): CompileResult {
    const documents = shared.workspace.LangiumDocuments;
    const document = documents.getDocument(URI.parse(params.uri));
    if (!document) return { diagnostics: [unknownDocument(params.uri)] };
    const outcome = compileDocument(document, documents);
    return outcome.ok ? { spec: outcome.spec } : { diagnostics: outcome.diagnostics };
}

/** Answers `mas/graph`; null when the server has not loaded the document. */
export function handleGraphRequest(params: GraphParams, shared: LangiumSharedServices): GraphResponse {
    const documents = shared.workspace.LangiumDocuments;
    const document = documents.getDocument(URI.parse(params.uri));
    return document ? buildGraphModel(document, documents) : null;
}
