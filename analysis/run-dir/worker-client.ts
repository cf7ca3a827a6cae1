import { Worker } from 'node:worker_threads';
import type { TrajectoryRecord } from '../../protocol/run-dir.js';
import type { RescoreResult } from '../../protocol/trajectory-messages.js';
import { WorkerRpc, type CallDeadline } from '../worker/worker-rpc.js';
import type { RescoreSettings } from './rescore.js';
import type { RunIndex } from './run-index.js';
import type { WhatIfScores } from './scoring.js';
import type { RunDirServiceOptions, RunReader } from './service.js';
import type { ReaderMethod, ReaderRequest } from './worker-protocol.js';

/**
 * How long one what-if may score (one rollout, twice) before the worker is ended. Rubric regexes come from run.json
 * and the .mas file and run over model output: a pathological one could otherwise keep the worker busy for ever.
 */
export const WHAT_IF_DEADLINE_MS = 5_000;
/** How long re-scoring a whole run may take (it reads and scores every rollout of every step). */
export const RESCORE_DEADLINE_MS = 60_000;

export interface ScoringDeadlines {
    whatIfMs: number;
    rescoreMs: number;
}

function seconds(ms: number): string {
    return `${Math.round(ms / 100) / 10} s`;
}

function scoringDeadline(ms: number, what: string, otherCause = ''): CallDeadline {
    return {
        ms,
        error: () =>
            new Error(
                `${what} took longer than ${seconds(ms)} and was stopped: a regex in the rubric may backtrack catastrophically on this text (e.g. /(a+)+$/)${otherCause}. Simplify the rubric's regexes and try again.`,
            ),
    };
}

/**
 * RunReader backed by a worker thread running worker.ts (bundled: out/run-dir-worker.cjs). The worker starts on
 * the first request; if it dies, pending calls fail with the reason and the next call starts a new one.
 */
export class RunDirWorkerClient implements RunReader {
    private readonly rpc: WorkerRpc<Omit<ReaderRequest, 'id'>>;

    private readonly deadlines: ScoringDeadlines;

    /** `deadlines`: the scoring time limits (tests shorten them); default WHAT_IF_DEADLINE_MS / RESCORE_DEADLINE_MS. */
    constructor(workerFile: string, options: RunDirServiceOptions = {}, deadlines?: ScoringDeadlines) {
        this.deadlines = deadlines ?? { whatIfMs: WHAT_IF_DEADLINE_MS, rescoreMs: RESCORE_DEADLINE_MS };
        this.rpc = new WorkerRpc({
            start: () => new Worker(workerFile, { workerData: options }),
            crashError: (reason) => new Error(`the run reader worker stopped: ${reason.message}`),
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

    whatIf(root: string, step: number, rollout: number, turn: number, output: string): Promise<WhatIfScores> {
        return this.call(
            'whatIf',
            [root, step, rollout, turn, output],
            scoringDeadline(this.deadlines.whatIfMs, 'What-if scoring'),
        );
    }
    rescore(root: string, settings: RescoreSettings): Promise<RescoreResult> {
        return this.call(
            'rescore',
            [root, settings],
            scoringDeadline(
                this.deadlines.rescoreMs,
                'Re-scoring the run',
                ', or the run is very large (re-score a copy holding fewer steps)',
            ),
        );
    }

    /** The worker's thread id, while one runs (lets tests prove the work is off the calling thread). */
    get threadId(): number | undefined {
        return this.rpc.threadId;
    }

    dispose(): Promise<void> {
        return this.rpc.dispose('the run reader was closed');
    }

    private call<Value>(method: ReaderMethod, args: unknown[], deadline?: CallDeadline): Promise<Value> {
        return this.rpc.call<Value>({ method, args }, deadline);
    }
}
