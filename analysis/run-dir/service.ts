import type { TrajectoryRecord } from '../../protocol/run-dir.js';
import { readRolloutAt } from './read-rollout.js';
import { buildRunIndex, findRollout, type RunIndex } from './run-index.js';
import { SidecarStore } from './sidecar.js';
import type { RescoreSettings } from './rescore.js';
import { rescoreSteps, scoreWhatIf, type RunScoring, type WhatIfScores } from './scoring.js';

/**
 * What the viewer and the debugger ask of a run directory. `RunDirService` answers in the calling thread (tests,
 * CLI); `RunDirWorkerClient` (worker-client.ts) answers the same questions from a worker thread, so that the
 * extension host never parses a large file itself. The rubric scoring of the trajectory view (RunScoring) is
 * answered here too, so that in the extension it runs in the worker, never on the extension host's thread.
 */
export interface RunReader extends RunScoring {
    /** Indexes the run (or refreshes the index when the directory changed) and returns it. */
    index(root: string): Promise<RunIndex>;
    rollout(root: string, step: number, rollout: number): Promise<TrajectoryRecord>;
    /** The rollouts of one group (a task's G samples, tree rollouts included), in rollout order. */
    group(root: string, step: number, group: number): Promise<TrajectoryRecord[]>;
    /** Every rollout of a step, for re-scoring. */
    step(root: string, step: number): Promise<TrajectoryRecord[]>;
    dispose(): Promise<void>;
}

export interface RunDirServiceOptions {
    /** Where to keep step-file index sidecars between sessions (e.g. the extension's global storage). */
    cacheDir?: string;
}

export class RunDirService implements RunReader {
    private readonly indexes = new Map<string, RunIndex>();
    private readonly sidecars: SidecarStore | undefined;

    constructor(options: RunDirServiceOptions = {}) {
        this.sidecars = options.cacheDir ? new SidecarStore(options.cacheDir) : undefined;
    }

    async index(root: string): Promise<RunIndex> {
        const index = await buildRunIndex(root, this.indexes.get(root), this.sidecars);
        this.indexes.set(root, index);
        return index;
    }

    private async current(root: string): Promise<RunIndex> {
        return this.indexes.get(root) ?? this.index(root);
    }

    async rollout(root: string, step: number, rollout: number): Promise<TrajectoryRecord> {
        let found = findRollout(await this.current(root), step, rollout);
        if (!found) found = findRollout(await this.index(root), step, rollout); // maybe written since
        if (!found)
            throw new Error(`step ${step} has no rollout ${rollout} in ${root}; pick one from the run's index.`);
        return readRolloutAt(root, found.step.file, found.entry);
    }

    async group(root: string, step: number, group: number): Promise<TrajectoryRecord[]> {
        const stepEntry = (await this.current(root)).steps.find((s) => s.step === step);
        if (!stepEntry) throw new Error(`${root} has no step ${step}.`);
        const members = stepEntry.rollouts.filter((r) => r.group === group);
        return Promise.all(members.map((r) => readRolloutAt(root, stepEntry.file, r)));
    }

    async step(root: string, step: number): Promise<TrajectoryRecord[]> {
        const stepEntry = (await this.current(root)).steps.find((s) => s.step === step);
        if (!stepEntry) throw new Error(`${root} has no step ${step}.`);
        return Promise.all(stepEntry.rollouts.map((r) => readRolloutAt(root, stepEntry.file, r)));
    }

    async whatIf(root: string, step: number, rollout: number, turn: number, output: string): Promise<WhatIfScores> {
        const record = await this.rollout(root, step, rollout);
        return scoreWhatIf(await this.current(root), record, turn, output);
    }

    async rescore(root: string, settings: RescoreSettings): ReturnType<RunScoring['rescore']> {
        return rescoreSteps(await this.current(root), (step) => this.step(root, step), settings);
    }

    async dispose(): Promise<void> {
        this.indexes.clear();
    }
}
