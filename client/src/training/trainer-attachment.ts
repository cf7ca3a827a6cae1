/**
 * One followed run: a trainer this window launched, or one it re-attached to after a reload. Follows the run
 * directory (the source of truth, never a pipe): metrics for progress (heard from the run directory's shared
 * RunFollower, which the dashboard hears too), the trainer's output for the log channel, liveness for the end.
 * No vscode here; the UI subscribes to the events.
 */
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { LAUNCH_FILES, type LaunchRecord } from '../../../protocol/launch.js';
import { RUN_DIR_FILES } from '../../../protocol/run-dir.js';
import type { MetricsRecord } from '../../../protocol/run-dir.js';
import { RunFollowers, type RunSubscription } from '../runs/run-followers.js';
import type { TailChunk } from '../runs/file-tail.js';
import { RunFileTail } from '../runs/run-file-tail.js';
import { linuxProcFs, liveness, type Liveness, type ProcFs } from './process-identity.js';
import { RunProgress, type ProgressSnapshot } from './run-progress.js';
import { describeOutcome, type RunOutcome } from './run-outcome.js';
import { launchBelongsTo, readLaunchRecord, writeLaunchRecord } from './run-dir.js';
import { identityOf, launchTrainer, stopTrainer, type LaunchInput, type StopResult } from './trainer-process.js';
import { assertTrusted, type TrustSource } from './trust.js';
import { Emitter } from './emitter.js';
import { readLatestCheckpoint, readLogFrom, readRunStatus, specFacts } from './run-files.js';

export { readRunStatus } from './run-files.js';

export interface AttachmentOptions {
    /** The run followers shared with the dashboard; by default the attachment's own, re-reading every `pollMs`. */
    followers?: RunFollowers;
    /** Re-read interval of the attachment's own follower; fs.watch events trigger reads in between. */
    pollMs?: number;
    stopGraceMs?: number;
    proc?: ProcFs;
    /** Bytes of an existing trainer log read when attaching (older output is skipped). */
    attachTailBytes?: number;
}

const LOG_TAIL_BYTES = 64 * 1024;

export class TrainerAttachment {
    readonly onProgress = new Emitter<ProgressSnapshot>();
    readonly onLog = new Emitter<string[]>();
    readonly onEnd = new Emitter<RunOutcome>();
    private readonly progress: RunProgress;
    private readonly logTail: RunFileTail;
    private logRest = '';
    /** Files not read (links, FIFOs …), each said once in the log channel. */
    private readonly refused = new Set<string>();
    private run: RunSubscription | undefined;
    private ended: RunOutcome | undefined;
    private losing = false;
    /** finish() reads the last output first: the reads it triggers must not finish again. */
    private finishing = false;
    /** This window's child process, when it launched the trainer. */
    private child: ChildProcess | undefined;
    private stopRequested: boolean;
    private readonly proc: ProcFs;
    workflow: string;

    private constructor(
        readonly runDir: string,
        private record: LaunchRecord,
        private readonly options: AttachmentOptions,
        child?: ChildProcess,
    ) {
        this.child = child;
        const ownChild = child !== undefined;
        this.proc = options.proc ?? linuxProcFs;
        const run = readRunStatus(runDir);
        const spec = specFacts(runDir);
        this.workflow = run?.workflow ?? spec.workflow ?? path.basename(runDir);
        this.stopRequested = record.stop_requested_at !== null;
        const tailBytes = ownChild ? Number.POSITIVE_INFINITY : (options.attachTailBytes ?? LOG_TAIL_BYTES);
        this.progress = new RunProgress(path.join(runDir, RUN_DIR_FILES.metrics), run?.steps_total ?? spec.steps);
        this.logTail = new RunFileTail(runDir, LAUNCH_FILES.processLog, tailBytes, record.log_offsets.process);
    }

    /** Launches the trainer (trust checked inside launchTrainer) and starts following its run directory. */
    static async launch(input: LaunchInput, options: AttachmentOptions = {}): Promise<TrainerAttachment> {
        const { record, child } = await launchTrainer(input);
        const attachment = new TrainerAttachment(input.runDir, record, options, child);
        child.once('exit', (code, signal) => attachment.finish(code, signal));
        attachment.follow();
        return attachment;
    }

    /**
     * Re-attaches to a run directory whose trainer is still alive (pid, start time and command line all match
     * launch.json); undefined otherwise. Only in a trusted workspace: launch.json is a workspace file.
     */
    static attach(runDir: string, trust: TrustSource, options: AttachmentOptions = {}): TrainerAttachment | undefined {
        assertTrusted(trust, 'Re-attaching to a running trainer');
        if (!TrainerAttachment.trainerAlive(runDir, options.proc)) return undefined;
        const record = readLaunchRecord(runDir)!;
        const attachment = new TrainerAttachment(runDir, record, options);
        attachment.follow();
        return attachment;
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

    /** Hears the run directory's follower: what metrics.jsonl holds now (before this returns), then each read. */
    private follow(): void {
        const followers = this.options.followers ?? new RunFollowers({ pollMs: this.options.pollMs ?? 500 });
        this.run = followers.follow(this.runDir, {
            onReset: () => this.progress.reset(false),
            onRecords: (records) => this.addRecords(records),
            onRefused: (reason) => this.sayRefused(reason),
            onDirectory: (gone) => {
                if (gone && !this.ended) void this.lost();
            },
            onPoll: () => this.afterRead(),
        });
    }

    /** Reads what is new now (instead of at the next poll). */
    poll(): void {
        if (!this.ended) this.run?.poll();
    }

    private addRecords(records: MetricsRecord[]): void {
        if (this.progress.total === undefined) this.progress.total = readRunStatus(this.runDir)?.steps_total;
        if (this.progress.push(records)) this.onProgress.fire(this.progress.snapshot()!);
    }

    /** After each read of the run directory: the trainer's output, and (after a re-attach) the trainer's death. */
    private afterRead(): void {
        if (this.ended || this.finishing) return;
        this.readLog();
        if (!this.child && liveness(identityOf(this.record), this.proc) !== 'alive') this.finish(undefined, null);
    }

    private readLog(): void {
        let chunk: TailChunk;
        for (chunk = this.logTail.read(); chunk.kind === 'data'; chunk = this.logTail.read()) {
            if (chunk.fromStart) this.logRest = '';
            const text = this.logRest + chunk.bytes.toString('utf8');
            const lines = text.split(/\r?\n/);
            this.logRest = lines.pop() ?? '';
            if (chunk.skipped && lines.length > 0) lines.shift(); // a partial first line
            if (lines.length > 0) this.onLog.fire(lines);
            if (chunk.bytes.length === 0) break;
        }
        if (chunk.kind === 'refused') this.sayRefused(chunk.reason);
    }

    private sayRefused(reason: string): void {
        if (this.refused.has(reason)) return;
        this.refused.add(reason);
        this.onLog.fire([`MAS: ${reason}`]);
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
        if (alive)
            await stopTrainer(identityOf(this.record), {
                graceMs: this.options.stopGraceMs ?? 5000,
                proc: this.proc,
                alive: () => this.liveness(),
            });
        this.end({
            kind: 'failed',
            message: `MAS: the run directory ${this.runDir} was deleted while the run was followed${alive ? '; its trainer was stopped, since it could no longer save anything' : ''}.`,
        });
    }

    private finish(exitCode: number | null | undefined, signal: string | null): void {
        if (this.ended || this.losing || this.finishing) return; // a deleted run directory is reported by lost(), not as a crash
        this.finishing = true;
        this.run?.poll();
        this.readLog();
        if (this.logRest) this.onLog.fire([this.logRest]);
        const run = readRunStatus(this.runDir);
        const processLog = readLogFrom(
            path.join(this.runDir, LAUNCH_FILES.processLog),
            this.record.log_offsets.process,
        );
        const trainerLog = readLogFrom(path.join(this.runDir, RUN_DIR_FILES.log), this.record.log_offsets.trainer);
        this.end(
            describeOutcome({
                runDir: this.runDir,
                exitCode,
                signal,
                runStatus: run?.status,
                runError: run?.error ?? null,
                stopRequested: this.stopRequested || readLaunchRecord(this.runDir)?.stop_requested_at != null,
                checkpointStep: readLatestCheckpoint(this.runDir),
                processLog: processLog.text,
                processLogFirstLine: processLog.firstLine,
                trainerLog: trainerLog.text,
                trainerLogFirstLine: trainerLog.firstLine,
            }),
        );
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
        const result = await stopTrainer(identityOf(this.record), {
            graceMs: this.options.stopGraceMs ?? 5000,
            proc: this.proc,
            alive: () => this.liveness(),
        });
        if (!this.child) this.poll();
        return result;
    }

    private unfollow(): void {
        this.run?.dispose();
        this.run = undefined;
    }

    /** Stops following; the trainer keeps running (detached) and can be re-attached later. */
    dispose(): void {
        this.unfollow();
        this.onProgress.clear();
        this.onLog.clear();
        this.onEnd.clear();
    }
}
