import { DocumentState, URI } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import type {
    CompileExpressionParams,
    CompileExpressionResult,
    CompileParams,
    CompileResult,
    GraphParams,
    GraphResponse,
    MasDiagnostic,
} from '../../../protocol/lsp.js';
import { buildGraphModel } from '../language/graph/graph-model.js';
import { isMasFile } from '../language/generated/ast.js';
import { visibleDocuments } from '../language/scope/imports.js';
import { compileExpressionText } from '../compile/compile-expression-text.js';
import { compileDocument } from '../compile/compile-workflow.js';
import type { MasServices } from '../language/mas-module.js';

function unknownDocument(uri: string): MasDiagnostic {
    return {
        uri,
        severity: 'error',
        code: 'compile-unknown-document',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `The language server has not loaded ${uri}; open the file in the editor and try again.`,
    };
}

/** Rounds of waiting before answering with what exists (each round is one build that an edit may have cut short). */
const MAX_WAIT_ROUNDS = 5;

/**
 * Resolves once the document `uri` and every file it imports (transitively) are validated, so a request never
 * sees a half-built state. Two races made Start Training fail with "not validated yet" right after a file was
 * opened: Langium validates open documents first and announces each as it finishes, so the imports were still
 * being validated; and Langium's first workspace build does not validate at all, so when it ran after the
 * editor's document had been built, the imported files stayed unvalidated until the next edit. In that second
 * case nothing would ever validate them, so this asks for the catch-up build an edit would trigger.
 */
export async function whenValidated(uri: string, shared: LangiumSharedServices): Promise<void> {
    const documents = shared.workspace.LangiumDocuments;
    const builder = shared.workspace.DocumentBuilder;
    const parsed = URI.parse(uri);
    // Langium rejects a wait for a document no build will bring to the state (and a cancelled one): false.
    const validated = (target: URI) =>
        builder.waitUntil(DocumentState.Validated, target).then(
            () => true,
            () => false,
        );
    for (let round = 0; round < MAX_WAIT_ROUNDS; round++) {
        if (!documents.hasDocument(parsed) || !(await validated(parsed))) return;
        const root = documents.getDocument(parsed)?.parseResult.value;
        if (!root || !isMasFile(root)) return;
        const pending = visibleDocuments(root, documents).filter((doc) => doc.state < DocumentState.Validated);
        if (pending.length === 0) return;
        const waited = await Promise.all(pending.map((doc) => validated(doc.uri)));
        if (waited.every(Boolean)) continue; // validated meanwhile: check again, an edit may have reset one
        // An update with no changes rebuilds every document that is not validated, like the next edit would.
        await shared.workspace.WorkspaceLock.write((token) => builder.update([], [], token));
    }
}

/** `mas/compile` once the document and its imports are validated. */
export async function answerCompileRequest(
    params: CompileParams,
    shared: LangiumSharedServices,
): Promise<CompileResult> {
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

/** Answers `mas/compileExpression` (debugger conditions): parsing only, no document to wait for. */
export function handleCompileExpressionRequest(
    params: CompileExpressionParams,
    services: MasServices,
): CompileExpressionResult {
    const { text, names } = (params ?? {}) as Partial<CompileExpressionParams>;
    if (typeof text !== 'string' || !Array.isArray(names) || !names.every((name) => typeof name === 'string')) {
        return { error: 'mas/compileExpression needs { text: string, names: string[] }', column: 0 };
    }
    return compileExpressionText(text, names, services);
}
