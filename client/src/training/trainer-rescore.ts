/**
 * Re-scoring through the trainer from the extension: the workspace must be trusted (the rubric's verifiers are
 * workspace code), and the trainer runs as training runs it (the same interpreter, isolated with -I: trainer-args.ts).
 * The process and its output: analysis/run-dir/rescore-process.ts. Free of vscode.
 */
import {
    runRescoreProcess,
    type RescoreOutcome,
    type RescoreProcessOptions,
} from '../../../analysis/run-dir/rescore-process.js';
import { trainerRescoreArgs } from './trainer-args.js';
import { assertTrusted, type TrustSource } from './trust.js';

export type { RescoreOutcome } from '../../../analysis/run-dir/rescore-process.js';

export interface TrainerRescoreOptions extends Omit<RescoreProcessOptions, 'args'> {
    trainerRoot: string;
    trust: TrustSource;
    runDirs: readonly string[];
    /** `A..B`, `A..`, `..B` or `N`; every recorded step when left out. */
    steps?: string;
}

/** Refuses (throws) in an untrusted workspace before anything is spawned; otherwise never rejects. */
export function runTrainerRescore(options: TrainerRescoreOptions): Promise<RescoreOutcome> {
    assertTrusted(options.trust, 'Re-scoring with Python verifiers');
    const { trainerRoot, runDirs, steps, trust: _trust, ...process } = options;
    return runRescoreProcess({ ...process, args: trainerRescoreArgs({ trainerRoot, runDirs, steps }) });
}
