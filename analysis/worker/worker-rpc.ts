import type { Worker } from 'node:worker_threads';

/** What a worker answers to one request: the request's id and a value, or the error text. */
export type WorkerReply<Value> = { id: number; ok: true; value: Value } | { id: number; ok: false; error: string };

export interface WorkerRpcOptions {
    /** Starts the worker thread (called on the first request, and on the next one after a crash). */
    start(): Worker;
    /** The error that pending calls fail with when the worker dies (`reason` says how it died). */
    crashError(reason: Error): Error;
}

/** A time limit for one call: past it, the worker is ended (its thread may be stuck) and the call fails. */
export interface CallDeadline {
    ms: number;
    /** The error the late call fails with (the other pending calls fail with `crashError`, as on a crash). */
    error(): Error;
}

type Pending = {
    resolve: (value: unknown) => void;
    reject: (error: Error) => void;
    timer?: ReturnType<typeof setTimeout>;
};

/**
 * Request/response calls to a worker thread, answered by id. The worker starts on the first call; if it dies,
 * every pending call fails with the reason and the next call starts a new worker. The run reader and the ONNX
 * critic both talk to their workers through this, so their crash and restart rules are the same.
 */
export class WorkerRpc<Request extends object> {
    private worker: Worker | undefined;
    private nextId = 1;
    private readonly pending = new Map<number, Pending>();

    constructor(private readonly options: WorkerRpcOptions) {}

    /** The worker's thread id, while one runs (lets tests prove the work is off the calling thread). */
    get threadId(): number | undefined {
        return this.worker?.threadId;
    }

    /**
     * Sends `request` and resolves with the worker's answer. With a `deadline`, a call still unanswered after
     * `deadline.ms` fails with `deadline.error()` and the worker is terminated like a crashed one (a thread stuck
     * in a loop cannot be interrupted any other way); the next call starts a new worker.
     */
    call<Value>(request: Request, deadline?: CallDeadline): Promise<Value> {
        this.worker ??= this.start();
        const id = this.nextId++;
        const worker = this.worker;
        return new Promise<Value>((resolve, reject) => {
            const waiting: Pending = { resolve: resolve as (value: unknown) => void, reject };
            if (deadline) waiting.timer = setTimeout(() => this.late(worker, id, deadline), deadline.ms);
            this.pending.set(id, waiting);
            worker.postMessage({ ...request, id });
        });
    }

    /** Fails the pending calls with `reason` and ends the worker; a later call starts a new one. */
    async dispose(reason: string): Promise<void> {
        const worker = this.worker;
        this.worker = undefined;
        this.failAll(new Error(reason));
        if (worker) await worker.terminate();
    }

    private start(): Worker {
        const worker = this.options.start();
        worker.on('message', (reply: WorkerReply<unknown>) => {
            const waiting = this.pending.get(reply.id);
            if (!waiting) return;
            this.pending.delete(reply.id);
            clearTimeout(waiting.timer);
            if (reply.ok) waiting.resolve(reply.value);
            else waiting.reject(new Error(reply.error));
        });
        worker.on('error', (error) => this.crashed(worker, error));
        worker.on('exit', (code) => this.crashed(worker, new Error(`exit code ${code}`)));
        return worker;
    }

    private late(worker: Worker, id: number, deadline: CallDeadline): void {
        const waiting = this.pending.get(id);
        if (!waiting) return;
        this.pending.delete(id);
        waiting.reject(deadline.error());
        this.crashed(worker, new Error(`a call ran past its ${deadline.ms} ms deadline`));
        void worker.terminate();
    }

    private crashed(worker: Worker, reason: Error): void {
        if (this.worker !== worker) return; // a worker already replaced or disposed: its calls were settled then
        this.worker = undefined;
        this.failAll(this.options.crashError(reason));
    }

    private failAll(error: Error): void {
        for (const waiting of this.pending.values()) {
            clearTimeout(waiting.timer);
            waiting.reject(error);
        }
        this.pending.clear();
    }
}
