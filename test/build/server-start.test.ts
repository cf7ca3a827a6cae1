// The bundled language server must start under the Node that runs these tests (Node 20 here) and answer
// an LSP initialize request. Builds out/server.cjs first when it is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const SERVER = 'out/server.cjs';

function frame(message: object): string {
    const body = JSON.stringify(message);
    return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
}

describe('bundled language server', () => {
    it('answers initialize with capabilities over stdio', async () => {
        if (!existsSync(SERVER)) {
            const built = spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
            expect(built.status).toBe(0);
        }
        const server = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
        try {
            const response = await new Promise<{ id: number; result: { capabilities: Record<string, unknown> } }>((resolve, reject) => {
                let buffer = Buffer.alloc(0);
                server.on('error', reject);
                server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
                server.stdout.on('data', (chunk: Buffer) => {
                    buffer = Buffer.concat([buffer, chunk]);
                    const text = buffer.toString('utf8');
                    const header = /Content-Length: (\d+)\r\n\r\n/.exec(text);
                    if (!header) return;
                    const start = buffer.indexOf('\r\n\r\n') + 4;
                    const length = Number(header[1]);
                    if (buffer.length < start + length) return;
                    const message = JSON.parse(buffer.subarray(start, start + length).toString('utf8'));
                    if (message.id === 1) resolve(message);
                    buffer = buffer.subarray(start + length);
                });
                server.stdin.write(frame({
                    jsonrpc: '2.0', id: 1, method: 'initialize',
                    params: { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null },
                }));
            });
            expect(response.result.capabilities).toBeTypeOf('object');
            expect(response.result.capabilities.completionProvider).toBeDefined();
            expect(response.result.capabilities.textDocumentSync).toBeDefined();
        } finally {
            server.kill();
        }
    });
});
