/**
 * Entry point of the language server process (bundled to out/server.cjs). This is the only
 * file of server/ that creates an LSP connection; everything else stays usable from tests and the CLI.
 */
import { DocumentState, URI } from 'langium';
import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node.js';
import { COMPILE_METHOD, GRAPH_METHOD, type CompileParams, type GraphParams } from '../../protocol/lsp.js';
import { handleCompileRequest, handleGraphRequest } from './compile/lsp-requests.js';
import { createMasServices } from './language/mas-module.js';

// The transport (--stdio, --node-ipc, --socket) is chosen from the process arguments.
const connection = createConnection(ProposedFeatures.all);
const { shared } = createMasServices({ connection, ...NodeFileSystem });

/** Answer after the document (and what it imports) has been validated, so a request never sees a half-built state. */
async function whenValidated(uri: string): Promise<void> {
    const parsed = URI.parse(uri);
    if (shared.workspace.LangiumDocuments.hasDocument(parsed)) {
        await shared.workspace.DocumentBuilder.waitUntil(DocumentState.Validated, parsed);
    }
}

connection.onRequest(COMPILE_METHOD, async (params: CompileParams) => {
    await whenValidated(params.uri);
    return handleCompileRequest(params, shared);
});
connection.onRequest(GRAPH_METHOD, async (params: GraphParams) => {
    await whenValidated(params.uri);
    return handleGraphRequest(params, shared);
});

startLanguageServer(shared);
