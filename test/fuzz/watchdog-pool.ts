import { Worker } from 'node:worker_threads';
import type { FuzzJob, FuzzJobResult } from './fuzz-worker.js';

/** What happened to one job: answered (maybe with an exception), hung past its limit, or killed its worker. */
export type JobOutcome =
    | { kind: 'answered'; result: FuzzJobResult; millis: number }
    | { kind: 'hang'; limitMillis: number }
    | { kind: 'crash'; error: string };

export interface PooledJob extends FuzzJob {
    limitMillis: number;
}

/**
 * Runs jobs on `size` worker threads, one document per worker at a time. Each document gets a
 * timer; when it fires the worker is terminated (a hung parse cannot be interrupted any other
 * way), the job is reported as a hang and a fresh worker takes the next job.
 */
export async function runPool(
    workerFile: string,
    size: number,
    jobs: PooledJob[],
    onOutcome: (job: PooledJob, outcome: JobOutcome) => void,
): Promise<void> {
    let next = 0;
    const lane = async (): Promise<void> => {
        let worker = spawn(workerFile);
        try {
            while (next < jobs.length) {
                const job = jobs[next++]!;
                const outcome = await runOne(worker, job);
                onOutcome(job, outcome);
                if (outcome.kind !== 'answered') {
                    await worker.terminate();
                    worker = spawn(workerFile);
                }
            }
        } finally {
            await worker.terminate();
        }
    };
    await Promise.all(Array.from({ length: size }, lane));
}

function spawn(workerFile: string): Worker {
    // 1 MB of stack, like the language server's main thread (a worker would get 4 MB by default
    // and hide overflows that crash the real server).
    return new Worker(workerFile, { resourceLimits: { stackSizeMb: 1, maxOldGenerationSizeMb: 2048 } });
}

function runOne(worker: Worker, job: PooledJob): Promise<JobOutcome> {
    return new Promise((resolve) => {
        const started = performance.now();
        const finish = (outcome: JobOutcome): void => {
            clearTimeout(timer);
            worker.off('message', onMessage);
            worker.off('error', onError);
            worker.off('exit', onExit);
            resolve(outcome);
        };
        const onMessage = (result: FuzzJobResult): void =>
            finish({ kind: 'answered', result, millis: performance.now() - started });
        const onError = (error: Error): void => finish({ kind: 'crash', error: `${error.stack ?? error}` });
        const onExit = (code: number): void => finish({ kind: 'crash', error: `worker exited with code ${code}` });
        const timer = setTimeout(() => finish({ kind: 'hang', limitMillis: job.limitMillis }), job.limitMillis);
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        const { limitMillis: _limit, ...message } = job;
        worker.postMessage(message);
    });
}
