import { Worker } from 'node:worker_threads';
import type { TrajectoryRecord } from '../../protocol/run-dir.js';
import type { HeatmapGrid } from '../../protocol/trajectory-messages.js';
import type { RunIndex } from './run-index.js';
import type { RunDirServiceOptions, RunReader } from './service.js';
import type { ReaderMethod, ReaderRequest, ReaderResponse } from './worker-protocol.js';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/**
 * RunReader backed by a worker thread running worker.ts (bundled: out/run-dir-worker.cjs). The worker starts on
 * the first request; if it dies, pending calls fail with the reason and the next call starts a new one.
 */
export class RunDirWorkerClient implements RunReader {
    private worker: Worker | undefined;
    private nextId = 1;
    private readonly pending = new Map<number, Pending>();

    constructor(private readonly workerFile: string, private readonly options: RunDirServiceOptions = {}) {}

    index(root: string): Promise<RunIndex> {
        return this.call('index', [root]) as Promise<RunIndex>;
    }
    rollout(root: string, step: number, rollout: number): Promise<TrajectoryRecord> {
        return this.call('rollout', [root, step, rollout]) as Promise<TrajectoryRecord>;
    }
    group(root: string, step: number, group: number): Promise<TrajectoryRecord[]> {
        return this.call('group', [root, step, group]) as Promise<TrajectoryRecord[]>;
    }
    step(root: string, step: number): Promise<TrajectoryRecord[]> {
        return this.call('step', [root, step]) as Promise<TrajectoryRecord[]>;
    }
    runHeatmap(root: string, method: string): Promise<HeatmapGrid> {
        return this.call('runHeatmap', [root, method]) as Promise<HeatmapGrid>;
    }

    /** The worker's thread id, while one runs (lets tests prove the work is off the calling thread). */
    get threadId(): number | undefined {
        return this.worker?.threadId;
    }

    async dispose(): Promise<void> {
        const worker = this.worker;
        this.worker = undefined;
        this.failAll(new Error('the run reader was closed'));
        if (worker) await worker.terminate();
    }

    private start(): Worker {
        const worker = new Worker(this.workerFile, { workerData: this.options });
        worker.on('message', (response: ReaderResponse) => {
            const waiting = this.pending.get(response.id);
            if (!waiting) return;
            this.pending.delete(response.id);
            if (response.ok) waiting.resolve(response.value);
            else waiting.reject(new Error(response.error));
        });
        worker.on('error', error => this.crashed(worker, error));
        worker.on('exit', code => this.crashed(worker, new Error(`the run reader worker exited with code ${code}`)));
        return worker;
    }

    private crashed(worker: Worker, error: Error): void {
        if (this.worker !== worker) return;
        this.worker = undefined;
        this.failAll(error);
    }

    private failAll(error: Error): void {
        for (const waiting of this.pending.values()) waiting.reject(error);
        this.pending.clear();
    }

    private call(method: ReaderMethod, args: unknown[]): Promise<unknown> {
        this.worker ??= this.start();
        const id = this.nextId++;
        const request: ReaderRequest = { id, method, args };
        return new Promise((resolve, reject) => {
            this.pending.set(id, { resolve, reject });
            this.worker!.postMessage(request);
        });
    }
}
