/**
 * Files the extension (not the trainer) writes into a run directory when it launches a run, beside the
 * trainer's own files (protocol/run-dir.ts). They let any later window re-attach to the detached trainer
 * and explain how it ended. The trainer neither reads nor writes them.
 */
export const LAUNCH_VERSION = 1 as const;

export const LAUNCH_FILES = {
    /** LaunchRecord, rewritten atomically. */
    launch: 'launch.json',
    /** The RunSpec passed to `--spec`. */
    spec: 'spec.json',
    /** The trainer process's stdout + stderr (`error: ...` lines and Python tracebacks land here). */
    processLog: 'process.log',
} as const;

/** `launch.json`: who was started, so a reused pid is never taken for the trainer. */
export interface LaunchRecord {
    version: typeof LAUNCH_VERSION;
    pid: number;
    /** The interpreter as it was given to spawn (a setting, a venv path or `python3`). */
    python: string;
    /** The arguments after the interpreter, exactly as passed: `-m mas_trainer run --spec ... --run-dir ...`. */
    args: string[];
    /**
     * Linux: the process start time (field 22 of /proc/<pid>/stat, clock ticks since boot), read right after
     * the spawn; a process with this pid but another start time is not the trainer. null where unknown.
     */
    start_ticks: number | null;
    /** Unix milliseconds. */
    launched_at: number;
    /**
     * Sizes of process.log and trainer.log (bytes) when this launch began: a resumed run appends to both, and
     * only what follows belongs to this launch (its crash cause is never taken from an earlier attempt).
     */
    log_offsets: { process: number; trainer: number };
    /** Set when the user asked to stop: the run then ends as "stopped", not as a crash. Unix milliseconds. */
    stop_requested_at: number | null;
}
