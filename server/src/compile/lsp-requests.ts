import { DocumentState, URI } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import type { CompileParams, CompileResult, GraphParams, GraphResponse, MasDiagnostic } from '../../../protocol/lsp.js';
import { buildGraphModel } from '../graph/graph-model.js';
import { isMasFile } from '../language/generated/ast.js';
import { visibleDocuments } from '../language/scope/imports.js';
import { compileDocument } from './compile-workflow.js';

function unknownDocument(uri: string): MasDiagnostic {
    return {
        uri, severity: 'error', code: 'compile-unknown-document',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `The language server has not loaded ${uri}; open the file in the editor and try again.`,
    };
}

/**
 * Resolves once the document `uri` and every file it imports (transitively) are validated, so a request never
 * sees a half-built state. Waiting for the document alone is not enough: Langium validates open documents first
 * and announces each one as it finishes, so right after the editor opens a file its imports may still be
 * unvalidated (Start Training then failed with "not validated yet"). The loop re-checks because an edit can reset
 * a file while we wait. A file Langium will not build resolves the wait too; the compiler then says what is missing.
 */
export async function whenValidated(uri: string, shared: LangiumSharedServices): Promise<void> {
    const documents = shared.workspace.LangiumDocuments;
    const builder = shared.workspace.DocumentBuilder;
    const parsed = URI.parse(uri);
    try {
        for (;;) {
            if (!documents.hasDocument(parsed)) return;
            await builder.waitUntil(DocumentState.Validated, parsed);
            const root = documents.getDocument(parsed)?.parseResult.value;
            if (!root || !isMasFile(root)) return;
            const pending = visibleDocuments(root, documents).filter(doc => doc.state < DocumentState.Validated);
            if (pending.length === 0) return;
            await Promise.all(pending.map(doc => builder.waitUntil(DocumentState.Validated, doc.uri)));
        }
    } catch {
        // Langium rejects a wait for a file it will not build (or the wait was cancelled): answer with what exists.
    }
}

/** `mas/compile` once the document and its imports are validated. */
export async function answerCompileRequest(params: CompileParams, shared: LangiumSharedServices): Promise<CompileResult> {
    await whenValidated(params.uri, shared);
    return handleCompileRequest(params, shared);
}

/** `mas/graph` once the document and its imports are validated. */
export async function answerGraphRequest(params: GraphParams, shared: LangiumSharedServices): Promise<GraphResponse> {
    await whenValidated(params.uri, shared);
    return handleGraphRequest(params, shared);
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
