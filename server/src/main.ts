/**
 * Entry point of the language server process (bundled to out/server.cjs). This is the only
 * file of server/ that creates an LSP connection; everything else stays usable from tests and the CLI.
 */
import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node.js';
import {
    COMPILE_EXPRESSION_REQUEST,
    COMPILE_REQUEST,
    GRAPH_REQUEST,
    WORKSPACE_TRUST_NOTIFICATION,
} from '../../protocol/lsp.js';
import { answerCompileRequest, answerGraphRequest, handleCompileExpressionRequest } from './handlers/lsp-requests.js';
import { handleWorkspaceTrust } from './handlers/workspace-trust.js';
import { createMasServices } from './language/mas-module.js';

// The transport (--stdio, --node-ipc, --socket) is chosen from the process arguments.
const connection = createConnection(ProposedFeatures.all);
const { shared, Mas } = createMasServices({ connection, ...NodeFileSystem });

// Both answer once the document and its imports are validated (lsp-requests.ts says why that matters).
connection.onRequest(COMPILE_REQUEST, (params) => answerCompileRequest(params, shared));
connection.onRequest(GRAPH_REQUEST, (params) => answerGraphRequest(params, shared));
// Debugger conditions and debug-console expressions: one grammar for the expression language (compile-expression-text.ts).
connection.onRequest(COMPILE_EXPRESSION_REQUEST, (params) => handleCompileExpressionRequest(params, Mas));
// Verifiers never run in an untrusted workspace; the declarations say so (verifier-untrusted).
connection.onNotification(WORKSPACE_TRUST_NOTIFICATION, (params) => handleWorkspaceTrust(params, Mas, shared));

startLanguageServer(shared);
