/**
 * One followed run: a trainer this window launched, or one it re-attached to after a reload. Follows the run
 * directory (the source of truth, never a pipe): metrics for progress, the trainer's output for the log
 * channel, liveness for the end. No vscode here; the UI subscribes to the events.
 */
import type { ChildProcess } from 'node:child_process';
import { statSync, watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { LAUNCH_FILES, type LaunchRecord } from '../../../protocol/launch.js';
import { RUN_DIR_FILES } from '../../../protocol/run-dir.js';
import type { TailChunk } from './file-tail.js';
import { RunFileTail } from './run-file-tail.js';
import { linuxProcFs, liveness, type Liveness, type ProcFs } from './process-identity.js';
import { RunProgress, type ProgressSnapshot } from './run-progress.js';
import { describeOutcome, type RunOutcome } from './run-outcome.js';
import { launchBelongsTo, readLaunchRecord, writeLaunchRecord } from './run-dir.js';
import { identityOf, launchTrainer, stopTrainer, type LaunchInput, type StopResult } from './trainer-process.js';
import { assertTrusted, type TrustSource } from './trust.js';
import { Emitter } from './emitter.js';
import { readLatestCheckpoint, readLogFrom, readRunStatus, specFacts } from './run-files.js';

export { readRunStatus } from './run-files.js';

export interface SessionOptions {
    /** Re-read interval; fs.watch events trigger reads in between. */
    pollMs?: number;
    stopGraceMs?: number;
    proc?: ProcFs;
    /** Bytes of an existing log/metrics file read when attaching (older content is skipped). */
    attachTailBytes?: number;
}

const LOG_TAIL_BYTES = 64 * 1024;

export class TrainingSession {
    readonly onProgress = new Emitter<ProgressSnapshot>();
    readonly onLog = new Emitter<string[]>();
    readonly onEnd = new Emitter<RunOutcome>();
    private readonly progress: RunProgress;
    private readonly metricsTail: RunFileTail;
    private readonly logTail: RunFileTail;
    private logRest = '';
    /** Files not read (links, FIFOs …), each said once in the log channel. */
    private readonly refused = new Set<string>();
    private timer: NodeJS.Timeout | undefined;
    private watcher: FSWatcher | undefined;
    private ended: RunOutcome | undefined;
    private losing = false;
    /** This window's child process, when it launched the trainer. */
    private child: ChildProcess | undefined;
    private stopRequested: boolean;
    private readonly proc: ProcFs;
    workflow: string;

    private constructor(readonly runDir: string, private record: LaunchRecord, private readonly options: SessionOptions, child?: ChildProcess) {
        this.child = child;
        const ownChild = child !== undefined;
        this.proc = options.proc ?? linuxProcFs;
        const run = readRunStatus(runDir);
        const spec = specFacts(runDir);
        this.workflow = run?.workflow ?? spec.workflow ?? path.basename(runDir);
        this.stopRequested = record.stop_requested_at !== null;
        const tailBytes = ownChild ? Number.POSITIVE_INFINITY : options.attachTailBytes ?? LOG_TAIL_BYTES;
        this.progress = new RunProgress(path.join(runDir, RUN_DIR_FILES.metrics), run?.steps_total ?? spec.steps);
        this.metricsTail = new RunFileTail(runDir, RUN_DIR_FILES.metrics, tailBytes);
        this.logTail = new RunFileTail(runDir, LAUNCH_FILES.processLog, tailBytes, record.log_offsets.process);
    }

    /** Launches the trainer (trust checked inside launchTrainer) and starts following its run directory. */
    static async launch(input: LaunchInput, options: SessionOptions = {}): Promise<TrainingSession> {
        const { record, child } = await launchTrainer(input);
        const session = new TrainingSession(input.runDir, record, options, child);
        child.once('exit', (code, signal) => session.finish(code, signal));
        session.follow();
        return session;
    }

    /**
     * Re-attaches to a run directory whose trainer is still alive (pid, start time and command line all match
     * launch.json); undefined otherwise. Only in a trusted workspace: launch.json is a workspace file.
     */
    static attach(runDir: string, trust: TrustSource, options: SessionOptions = {}): TrainingSession | undefined {
        assertTrusted(trust, 'Re-attaching to a running trainer');
        if (!TrainingSession.trainerAlive(runDir, options.proc)) return undefined;
        const record = readLaunchRecord(runDir)!;
        const session = new TrainingSession(runDir, record, options);
        session.follow();
        return session;
    }

    /** Whether launch.json names a live trainer of this run directory (pid, start time and command line). */
    static trainerAlive(runDir: string, proc: ProcFs = linuxProcFs): boolean {
        const record = readLaunchRecord(runDir);
        return !!record && launchBelongsTo(record, runDir) && liveness(identityOf(record), proc) === 'alive';
    }

    get pid(): number {
        return this.record.pid;
    }

    get outcome(): RunOutcome | undefined {
        return this.ended;
    }

    get snapshot(): ProgressSnapshot | undefined {
        return this.progress.snapshot();
    }

    private follow(): void {
        this.timer = setInterval(() => this.poll(), this.options.pollMs ?? 500);
        this.timer.unref(); // following a run never keeps the host process alive
        try {
            this.watcher = watch(this.runDir, () => this.poll());
            this.watcher.on('error', () => this.watcher?.close());
        } catch {
            this.watcher = undefined; // polling alone still follows the run
        }
        this.poll();
    }

    /** Reads what is new; detects a deleted run directory and (after a re-attach) the trainer's death. */
    poll(): void {
        if (this.ended) return;
        try {
            statSync(this.runDir);
        } catch {
            void this.lost();
            return;
        }
        this.readNew();
        if (!this.child && liveness(identityOf(this.record), this.proc) !== 'alive') this.finish(undefined, null);
    }

    private readNew(): void {
        let chunk = this.metricsTail.read();
        for (; chunk.kind === 'data'; chunk = this.metricsTail.read()) {
            const before = this.progress.total;
            if (before === undefined) this.progress.total = readRunStatus(this.runDir)?.steps_total;
            if (this.progress.feed(chunk)) this.onProgress.fire(this.progress.snapshot()!);
            if (chunk.bytes.length === 0) break;
        }
        this.sayRefused(chunk);
        for (chunk = this.logTail.read(); chunk.kind === 'data'; chunk = this.logTail.read()) {
            if (chunk.fromStart) this.logRest = '';
            const text = this.logRest + chunk.bytes.toString('utf8');
            const lines = text.split(/\r?\n/);
            this.logRest = lines.pop() ?? '';
            if (chunk.skipped && lines.length > 0) lines.shift(); // a partial first line
            if (lines.length > 0) this.onLog.fire(lines);
            if (chunk.bytes.length === 0) break;
        }
        this.sayRefused(chunk);
    }

    private sayRefused(chunk: TailChunk): void {
        if (chunk.kind !== 'refused' || this.refused.has(chunk.reason)) return;
        this.refused.add(chunk.reason);
        this.onLog.fire([`MAS: ${chunk.reason}`]);
    }

    /** Liveness: exact from the child's exit status when this window spawned it, else by /proc identity. */
    private liveness(): Liveness {
        const child = this.child;
        if (child) return child.exitCode === null && child.signalCode === null ? 'alive' : 'dead';
        return liveness(identityOf(this.record), this.proc);
    }

    private async lost(): Promise<void> {
        if (this.losing) return;
        this.losing = true;
        const alive = this.liveness() === 'alive';
        if (alive) await stopTrainer(identityOf(this.record), { graceMs: this.options.stopGraceMs ?? 5000, proc: this.proc, alive: () => this.liveness() });
        this.end({
            kind: 'failed',
            message: `MAS: the run directory ${this.runDir} was deleted while the run was followed${alive ? '; its trainer was stopped, since it could no longer save anything' : ''}.`,
        });
    }

    private finish(exitCode: number | null | undefined, signal: string | null): void {
        if (this.ended || this.losing) return; // a deleted run directory is reported by lost(), not as a crash
        this.readNew();
        if (this.logRest) this.onLog.fire([this.logRest]);
        const run = readRunStatus(this.runDir);
        const processLog = readLogFrom(path.join(this.runDir, LAUNCH_FILES.processLog), this.record.log_offsets.process);
        const trainerLog = readLogFrom(path.join(this.runDir, RUN_DIR_FILES.log), this.record.log_offsets.trainer);
        this.end(describeOutcome({
            runDir: this.runDir, exitCode, signal, runStatus: run?.status, runError: run?.error ?? null,
            stopRequested: this.stopRequested || readLaunchRecord(this.runDir)?.stop_requested_at != null,
            checkpointStep: readLatestCheckpoint(this.runDir),
            processLog: processLog.text, processLogFirstLine: processLog.firstLine,
            trainerLog: trainerLog.text, trainerLogFirstLine: trainerLog.firstLine,
        }));
    }

    private end(outcome: RunOutcome): void {
        if (this.ended) return;
        this.ended = outcome;
        this.unfollow();
        this.onEnd.fire(outcome);
    }

    /** SIGTERM, then SIGKILL after the grace period; the end is reported through onEnd as "stopped". */
    async stop(): Promise<StopResult> {
        if (this.ended) return 'not-running';
        this.stopRequested = true;
        this.record = { ...this.record, stop_requested_at: Date.now() };
        try {
            writeLaunchRecord(this.runDir, this.record); // so a window that re-attaches later does not call it a crash
        } catch {
            // the run directory is gone: stopping still matters more than the record
        }
        const result = await stopTrainer(identityOf(this.record), { graceMs: this.options.stopGraceMs ?? 5000, proc: this.proc, alive: () => this.liveness() });
        if (!this.child) this.poll();
        return result;
    }

    private unfollow(): void {
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
        this.watcher?.close();
        this.watcher = undefined;
    }

    /** Stops following; the trainer keeps running (detached) and can be re-attached later. */
    dispose(): void {
        this.unfollow();
        this.onProgress.clear();
        this.onLog.clear();
        this.onEnd.clear();
    }
}
