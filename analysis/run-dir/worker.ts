/**
 * Worker-thread entry (bundled to out/run-dir-worker.cjs): owns a RunDirService and answers ReaderRequests, so
 * that indexing and parsing run off the extension host's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RunDirService, type RunDirServiceOptions } from './service.js';
import type { ReaderRequest, ReaderResponse } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('run-dir worker: start this file with new Worker(...), not directly.');
const service = new RunDirService((workerData ?? {}) as RunDirServiceOptions);

port.on('message', (request: ReaderRequest) => {
    const method = service[request.method] as (...args: unknown[]) => Promise<unknown>;
    void Promise.resolve()
        .then(() => method.apply(service, request.args))
        .then(
            (value): ReaderResponse => ({ id: request.id, ok: true, value }),
            (error: unknown): ReaderResponse => ({
                id: request.id,
                ok: false,
                error: error instanceof Error ? error.message : String(error),
            }),
        )
        .then((response) => port.postMessage(response));
});
