import { Worker } from 'node:worker_threads';
import type { TrajectoryRecord } from '../../protocol/run-dir.js';
import type { HeatmapGrid } from '../../protocol/trajectory-messages.js';
import { WorkerRpc } from '../worker/worker-rpc.js';
import type { RunIndex } from './run-index.js';
import type { RunDirServiceOptions, RunReader } from './service.js';
import type { ReaderMethod, ReaderRequest } from './worker-protocol.js';

/**
 * RunReader backed by a worker thread running worker.ts (bundled: out/run-dir-worker.cjs). The worker starts on
 * the first request; if it dies, pending calls fail with the reason and the next call starts a new one.
 */
export class RunDirWorkerClient implements RunReader {
    private readonly rpc: WorkerRpc<Omit<ReaderRequest, 'id'>>;

    constructor(workerFile: string, options: RunDirServiceOptions = {}) {
        this.rpc = new WorkerRpc({
            start: () => new Worker(workerFile, { workerData: options }),
            crashError: reason => new Error(`the run reader worker stopped: ${reason.message}`),
        });
    }

    index(root: string): Promise<RunIndex> {
        return this.call('index', [root]);
    }
    rollout(root: string, step: number, rollout: number): Promise<TrajectoryRecord> {
        return this.call('rollout', [root, step, rollout]);
    }
    group(root: string, step: number, group: number): Promise<TrajectoryRecord[]> {
        return this.call('group', [root, step, group]);
    }
    step(root: string, step: number): Promise<TrajectoryRecord[]> {
        return this.call('step', [root, step]);
    }
    runHeatmap(root: string, method: string): Promise<HeatmapGrid> {
        return this.call('runHeatmap', [root, method]);
    }

    /** The worker's thread id, while one runs (lets tests prove the work is off the calling thread). */
    get threadId(): number | undefined {
        return this.rpc.threadId;
    }

    dispose(): Promise<void> {
        return this.rpc.dispose('the run reader was closed');
    }

    private call<Value>(method: ReaderMethod, args: unknown[]): Promise<Value> {
        return this.rpc.call<Value>({ method, args });
    }
}
