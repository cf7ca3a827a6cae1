/**
 * What `python -m mas_trainer rescore RUN_DIR [RUN_DIR ...] --spec SPEC [--steps A..B]` prints on stdout: one JSON
 * object per line, in this order: `start`, `progress` (done 0), then per step batch its `rollout` lines and a
 * `progress`, then `done`. The editor's trajectory view and `mas rescore` read it (analysis/run-dir/rescore-stream.ts
 * checks every line: the process and what it scores are untrusted). Python twin: trainer/mas_trainer/rescore/stream.py.
 * Exit codes: trainer/README.md (0 done, 130 cancelled by SIGINT/SIGTERM, 2/3/7 bad arguments, spec, run directory).
 */

/** Python twin: RESCORE_STREAM_VERSION (trainer/mas_trainer/rescore/stream.py). */
export const RESCORE_STREAM_VERSION = 1 as const;

export interface RescoreStartLine {
    type: 'start';
    version: typeof RESCORE_STREAM_VERSION;
    /** The run directories as given; `run` in the rollout lines is an index into this list. */
    runs: string[];
    /** How many recorded rollouts will be scored. */
    rollouts: number;
}

export interface RescoreProgressLine {
    type: 'progress';
    done: number;
    total: number;
}

/** One recorded rollout scored with the spec's reward exactly as training scores it (mas_trainer/rewards.py). */
export interface RescoreRolloutLine {
    type: 'rollout';
    run: number;
    step: number;
    rollout: number;
    /** null where the reward was not a finite number (written as null, strict JSON). */
    reward: number | null;
    /** Criterion -> score on the final transcript. */
    criteria: Record<string, number | null>;
    /** Criterion -> error kind (`verifier_error`, or an expression error kind); absent criteria had none. */
    errors: Record<string, string>;
    /** One per trainable decision (the rollout's turns that are not nulled, in order); null at trajectory level. */
    decision_rewards: (number | null)[];
}

export interface RescoreDoneLine {
    type: 'done';
    rollouts: number;
    /** Verifier -> failed calls (raised, timed out, over memory, wrong type): those criteria scored null. */
    verifier_errors: Record<string, number>;
    /** Trajectory lines skipped as unreadable (each named with file:line on stderr). */
    skipped_lines: number;
}

export type RescoreLine = RescoreStartLine | RescoreProgressLine | RescoreRolloutLine | RescoreDoneLine;
