// The bundled language server must start under the Node that runs these tests (Node 20 here), answer
// initialize, and serve the custom methods of protocol/lsp.ts to a client that opened a document.
// Builds out/server.cjs first when it is missing (`npm test` builds before the unit suite).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';
import { describe, expect, it } from 'vitest';
import {
    COMPILE_EXPRESSION_METHOD,
    COMPILE_METHOD,
    GRAPH_METHOD,
    type CompileExpressionResult,
    type CompileResult,
    type GraphResponse,
} from '../../protocol/lsp.js';

const SERVER = 'out/server.cjs';

const TEAM = `workflow Pair
dataset tasks from "tasks.jsonl" { question: string  answer: string }
model base { from: scratch(layers: 1, hidden: 32, vocab: chars) }
role Asker
role Answerer
agent asker: Asker { model: base  prompt: "Ask about {{task.question}}" }
agent answerer: Answerer { model: base  prompt: "{{asker.output}}" }
graph { start -> asker -> answerer -> end }
rubric exact { criterion right weight 1: answerer.output contains task.answer }
reward team: exact per trajectory
train { steps: 2 }
`;

describe('bundled language server', () => {
    it('answers initialize, then mas/compile and mas/graph for an open document, and mas/compileExpression', async () => {
        if (!existsSync(SERVER)) {
            const built = spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
            expect(built.status).toBe(0);
        }
        const server = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
        const connection = createMessageConnection(
            new StreamMessageReader(server.stdout),
            new StreamMessageWriter(server.stdin),
        );
        connection.listen();
        try {
            const init = await connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
                processId: process.pid,
                rootUri: null,
                capabilities: {},
                workspaceFolders: null,
            });
            expect(init.capabilities.completionProvider).toBeDefined();
            expect(init.capabilities.textDocumentSync).toBeDefined();
            await connection.sendNotification('initialized', {});

            const uri = 'file:///ws/pair.mas';
            await connection.sendNotification('textDocument/didOpen', {
                textDocument: { uri, languageId: 'mas', version: 1, text: TEAM },
            });
            const compiled = await connection.sendRequest<CompileResult>(COMPILE_METHOD, { uri });
            if (!('spec' in compiled)) throw new Error(`expected a spec, got ${JSON.stringify(compiled.diagnostics)}`);
            expect(compiled.spec.agents.map((a) => a.name)).toEqual(['asker', 'answerer']);
            const graph = await connection.sendRequest<GraphResponse>(GRAPH_METHOD, { uri });
            expect(graph?.nodes.map((n) => n.id)).toContain('agent:asker');
            const condition = await connection.sendRequest<CompileExpressionResult>(COMPILE_EXPRESSION_METHOD, {
                text: 'credit < 0',
                names: ['credit'],
            });
            expect(condition).toEqual({
                expr: { op: '<', left: { op: 'name', name: 'credit' }, right: { op: 'num', value: 0 } },
            });

            await connection.sendNotification('textDocument/didChange', {
                textDocument: { uri, version: 2 },
                contentChanges: [
                    { text: TEAM.replace('model: base  prompt: "{{asker', 'model: nowhere  prompt: "{{asker') },
                ],
            });
            const refused = await connection.sendRequest<CompileResult>(COMPILE_METHOD, { uri });
            expect('diagnostics' in refused && refused.diagnostics.map((d) => d.code)).toContain('linking-error');
        } finally {
            connection.dispose();
            server.kill();
        }
    });
});
