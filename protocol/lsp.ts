// The one class of the JSON-RPC library, from its dependency-free module: the client bundle loads the
// language-client library lazily, and this keeps that so.
import { NotificationType, RequestType } from 'vscode-jsonrpc/lib/common/messages.js';
import type { Expr } from './expression.js';
import type { GraphModel } from './graph-model.js';
import type { RunSpec } from './run-spec.js';

/**
 * Custom LSP methods the language server answers beside the standard ones. Each is a typed `RequestType`
 * (method name, parameters, result) used by both sides: `connection.onRequest(COMPILE_REQUEST, …)` in the
 * server, `client.sendRequest(COMPILE_REQUEST, …)` in the extension host.
 */

/** A position in a document: zero-based line and UTF-16 character offset, like LSP. */
export interface MasPosition {
    line: number;
    character: number;
}

export interface MasRange {
    start: MasPosition;
    end: MasPosition;
}

export type MasSeverity = 'error' | 'warning' | 'info' | 'hint';

/** A diagnostic with the document it belongs to (a compile refusal may come from an imported file). */
export interface MasDiagnostic {
    /** Document URI (`file:///...`). */
    uri: string;
    range: MasRange;
    severity: MasSeverity;
    /** The validator's issue code, when the diagnostic has one (`linking-error`, `parsing-error`, ...). */
    code?: string;
    message: string;
}

/** `mas/compile`: compile the workflow in a document to a RunSpec, answered once it and its imports are validated. */
export const COMPILE_METHOD = 'mas/compile' as const;

export interface CompileParams {
    uri: string;
}

/** The spec, or the error diagnostics (of the document and its imports) that stopped compilation. */
export type CompileResult = { spec: RunSpec } | { diagnostics: MasDiagnostic[] };

export const COMPILE_REQUEST = new RequestType<CompileParams, CompileResult, void>(COMPILE_METHOD);

/** `mas/graph`: the agent graph of a document, for the graph view (answered, too, once it and its imports are validated). */
export const GRAPH_METHOD = 'mas/graph' as const;

export interface GraphParams {
    uri: string;
}

/** `null` when the server has not loaded the document. */
export type GraphResult = GraphModel;
export type GraphResponse = GraphResult | null;

export const GRAPH_REQUEST = new RequestType<GraphParams, GraphResponse, void>(GRAPH_METHOD);

/**
 * `mas/compileExpression`: compile a debugger condition or debug-console expression, text typed at run time with no
 * document behind it, with the language server's grammar (the one grammar of the expression language).
 */
export const COMPILE_EXPRESSION_METHOD = 'mas/compileExpression' as const;

export interface CompileExpressionParams {
    text: string;
    /** Bare names the caller binds to values before evaluating (the debugger's `credit`, `reward`, ...). */
    names: string[];
}

/**
 * The expression tree of protocol/expression.ts in which a leaf may also be `{ op: 'name' }`, a name of
 * `CompileExpressionParams.names`; analysis/expression/bind-names.ts turns those into literals.
 */
export type OpenExpr = Expr | { op: 'name'; name: string };

/** The tree, or why the text is not an expression: a message and the zero-based column it points at. */
export type CompileExpressionResult = { expr: OpenExpr } | { error: string; column: number };

export const COMPILE_EXPRESSION_REQUEST = new RequestType<CompileExpressionParams, CompileExpressionResult, void>(
    COMPILE_EXPRESSION_METHOD,
);

/**
 * `mas/workspaceTrust` (client → server notification): whether VS Code trusts the workspace, sent when the server
 * starts and again when trust is granted. The server reads it for `verifier-untrusted` (verifiers are workspace
 * code and never run in an untrusted workspace) and revalidates the open documents when it changes. A server
 * that never hears it (the CLI, tests) reports nothing about trust.
 */
export const WORKSPACE_TRUST_METHOD = 'mas/workspaceTrust' as const;

export interface WorkspaceTrustParams {
    trusted: boolean;
}

export const WORKSPACE_TRUST_NOTIFICATION = new NotificationType<WorkspaceTrustParams>(WORKSPACE_TRUST_METHOD);
