/**
 * What a run directory says about its run, in one line: the one description shared by the Runs view and the Open
 * Run… picker. A run directory is untrusted: run.json is read through readRunStatus (typed fields checked), and
 * nothing else from it is trusted beyond a string.
 */
import * as path from 'node:path';
import { LAUNCH_FILES } from '../../../protocol/launch.js';
import { readLogFrom, readRunStatus } from '../training/run-files.js';
import { describeUnstartedRun } from '../training/run-outcome.js';

/**
 * `running`: its trainer is alive; `interrupted`: run.json says running but no trainer is (killed; resumable);
 * `starting`: launched, no run.json yet; `failed`: the trainer failed, or never started (the detail says why).
 */
export type RunStateKind = 'running' | 'starting' | 'complete' | 'stopped' | 'interrupted' | 'failed';

/** The Runs view's id (package.json `contributes.views`). */
export const RUNS_VIEW_ID = 'mas.runs';

/** A Runs view row's contextValue (`masRun.running`, …): package.json's view/item/context when-clauses match on it. */
export function runContextValue(kind: RunStateKind): string {
    return `masRun.${kind}`;
}

/** Every contextValue a row can have (test/build/contributions.test.ts checks the manifest's when-clauses with it). */
export const RUN_CONTEXT_VALUES: readonly string[] = (
    ['running', 'starting', 'complete', 'stopped', 'interrupted', 'failed'] as const satisfies readonly RunStateKind[]
).map(runContextValue);

export interface RunState {
    runDir: string;
    /** The folder name. */
    name: string;
    kind: RunStateKind;
    workflow?: string;
    stepsCompleted?: number;
    stepsTotal?: number;
    /** The training credit method, when run.json names one. */
    credit?: string;
    /** One line: state, `step n/N`, credit method; or why a run that never started did not. */
    detail: string;
}

const KIND_OF_STATUS: Record<string, RunStateKind> = {
    finished: 'complete',
    stopped: 'stopped',
    failed: 'failed',
};

function creditMethod(spec: unknown): string | undefined {
    const method = (spec as { train?: { credit?: { method?: unknown } } } | undefined)?.train?.credit?.method;
    return typeof method === 'string' ? method : undefined;
}

/** `updated_at − started_at` as `42 s`, `12 min`, `3.5 h`; undefined when run.json's times are not numbers. */
export function duration(startedAt: unknown, updatedAt: unknown): string | undefined {
    if (typeof startedAt !== 'number' || typeof updatedAt !== 'number') return undefined;
    const seconds = updatedAt - startedAt;
    if (!Number.isFinite(seconds) || seconds < 0) return undefined;
    if (seconds < 90) return `${Math.round(seconds)} s`;
    if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
    return `${(seconds / 3600).toFixed(1)} h`;
}

/** The state of one run directory; `alive` says whether launch.json names a live trainer of it. */
export function readRunState(runDir: string, alive: (runDir: string) => boolean): RunState {
    const name = path.basename(runDir);
    const run = readRunStatus(runDir);
    if (!run) {
        const live = alive(runDir);
        const log = live ? '' : readLogFrom(path.join(runDir, LAUNCH_FILES.processLog), 0, 64 << 10).text;
        const detail = describeUnstartedRun(runDir, live, log);
        return { runDir, name, kind: live ? 'starting' : 'failed', detail };
    }
    const kind: RunStateKind =
        run.status === 'running'
            ? alive(runDir)
                ? 'running'
                : 'interrupted'
            : Object.hasOwn(KIND_OF_STATUS, run.status)
              ? KIND_OF_STATUS[run.status]!
              : 'failed';
    const credit = creditMethod(run.spec);
    const took = duration(run.started_at, run.updated_at);
    const detail = [kind, `step ${run.steps_completed}/${run.steps_total}`, credit, took].filter(Boolean).join(' · ');
    return {
        runDir,
        name,
        kind,
        workflow: run.workflow,
        stepsCompleted: run.steps_completed,
        stepsTotal: run.steps_total,
        ...(credit ? { credit } : {}),
        detail,
    };
}
