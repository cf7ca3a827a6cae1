import type { WorkerReply } from '../worker/worker-rpc.js';
import type { RunReader } from './service.js';

/** Messages between RunDirWorkerClient and worker.ts: one request per call, answered by id. */
export type ReaderMethod = Exclude<keyof RunReader, 'dispose'>;

export interface ReaderRequest {
    id: number;
    method: ReaderMethod;
    args: unknown[];
}

export type ReaderResponse = WorkerReply<unknown>;
