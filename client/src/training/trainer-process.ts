/**
 * Launching and stopping the trainer process. It is spawned detached (own process group, no pipes: its output
 * goes to process.log in the run directory), so closing or reloading the window does not kill it and any
 * later window can re-attach through launch.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, fstatSync, lstatSync } from 'node:fs';
import * as path from 'node:path';
import { LAUNCH_FILES, LAUNCH_VERSION, type LaunchRecord } from '../../../protocol/launch.js';
import { RUN_DIR_FILES } from '../../../protocol/run-dir.js';
import { openRunFileSync } from '../../../analysis/run-dir/safe-file-sync.js';
import {
    liveness,
    readStartTicks,
    linuxProcFs,
    type Liveness,
    type ProcFs,
    type ProcessIdentity,
} from './process-identity.js';
import { writeLaunchRecord } from './run-dir.js';
import { assertTrusted, type TrustSource } from './trust.js';

export interface LaunchInput {
    python: string;
    args: string[];
    /** Also the trainer's working directory (its own folder; nothing in it is imported: trainer-args.ts). */
    runDir: string;
    env: NodeJS.ProcessEnv;
    /** Checked before anything is opened or spawned. */
    trust: TrustSource;
}

export interface Launched {
    record: LaunchRecord;
    /** Present only in the window that spawned it: gives the exit code. */
    child: ChildProcess;
}

/** Spawns the trainer; rejects (with the OS reason) when the interpreter cannot be started at all. */
export async function launchTrainer(input: LaunchInput): Promise<Launched> {
    assertTrusted(input.trust, 'Starting the trainer');
    // Appended to, never through a link or into a FIFO: a run directory from elsewhere (resume) could hold either.
    const log = openRunFileSync(
        path.join(input.runDir, LAUNCH_FILES.processLog),
        constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND,
    );
    let trainerLogSize = 0;
    try {
        const trainerLog = lstatSync(path.join(input.runDir, RUN_DIR_FILES.log));
        if (trainerLog.isFile()) trainerLogSize = trainerLog.size;
    } catch {
        // no trainer.log yet: a new run
    }
    const logOffsets = { process: fstatSync(log).size, trainer: trainerLogSize };
    let child: ChildProcess;
    try {
        child = spawn(input.python, input.args, {
            cwd: input.runDir,
            env: input.env,
            detached: true,
            stdio: ['ignore', log, log],
            windowsHide: true,
            shell: false,
        });
    } finally {
        closeSync(log); // the child holds its own copy of the descriptor
    }
    return new Promise((resolve, reject) => {
        child.once('error', (error) => reject(new Error(`cannot start ${input.python}: ${error.message}`)));
        child.once('spawn', () => {
            const pid = child.pid!;
            const record: LaunchRecord = {
                version: LAUNCH_VERSION,
                pid,
                python: input.python,
                args: input.args,
                start_ticks: readStartTicks(pid),
                launched_at: Date.now(),
                log_offsets: logOffsets,
                stop_requested_at: null,
            };
            writeLaunchRecord(input.runDir, record);
            // Let the extension host exit without waiting for the trainer.
            child.unref();
            resolve({ record, child });
        });
    });
}

export function identityOf(record: LaunchRecord): ProcessIdentity {
    return { pid: record.pid, args: record.args, startTicks: record.start_ticks };
}

export type StopResult = 'not-running' | 'terminated' | 'killed' | 'unknown';

export interface StopOptions {
    /** How long the trainer has after SIGTERM before SIGKILL. */
    graceMs: number;
    /** How often liveness is re-read while waiting (the trainer is not our child after a reload, so no exit event). */
    pollMs?: number;
    proc?: ProcFs;
    /** Wall clock source, injectable for tests of the escalation logic. */
    now?: () => number;
    /**
     * Liveness when this window holds the child process: its exit status is exact on every platform (the pid
     * cannot be reused before Node has reaped it, which sets the exit status). Default: /proc identity check.
     */
    alive?: () => Liveness;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
    try {
        process.kill(-pid, signal); // the whole group: torchrun workers too
    } catch {
        try {
            process.kill(pid, signal);
        } catch {
            // gone in between: nothing to signal
        }
    }
}

/** Resolves when `alive()` turns false, or with false once `deadline` passes. */
async function waitUntilDead(
    alive: () => boolean,
    deadline: number,
    pollMs: number,
    now: () => number,
): Promise<boolean> {
    while (alive()) {
        if (now() >= deadline) return false;
        await new Promise((r) => setTimeout(r, pollMs));
    }
    return true;
}

/**
 * SIGTERM, then SIGKILL after the grace period. Each signal is sent only after re-checking that the pid is
 * still the trainer (pid + start time + command line), so a reused pid is never signalled.
 */
export async function stopTrainer(identity: ProcessIdentity, options: StopOptions): Promise<StopResult> {
    const proc = options.proc ?? linuxProcFs;
    const now = options.now ?? Date.now;
    const pollMs = options.pollMs ?? 100;
    const check = options.alive ?? (() => liveness(identity, proc));
    const state = check();
    if (state === 'unknown') return 'unknown';
    if (state === 'dead') return 'not-running';
    const alive = (): boolean => check() === 'alive';
    signalGroup(identity.pid, 'SIGTERM');
    if (await waitUntilDead(alive, now() + options.graceMs, pollMs, now)) return 'terminated';
    if (alive()) signalGroup(identity.pid, 'SIGKILL');
    // SIGKILL cannot be caught; the wait only covers the kernel tearing the process down.
    await waitUntilDead(alive, now() + 10_000, pollMs, now);
    return 'killed';
}
