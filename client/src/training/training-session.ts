/**
 * One followed run: a trainer this window launched, or one it re-attached to after a reload. Follows the run
 * directory (the source of truth, never a pipe): metrics for progress, the trainer's output for the log
 * channel, liveness for the end. No vscode here; the UI subscribes to the events.
 */
import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { LAUNCH_FILES, type LaunchRecord } from '../../../protocol/launch.js';
import { RUN_DIR_FILES, type RunJson } from '../../../protocol/run-dir.js';
import { FileTail } from './file-tail.js';
import { linuxProcFs, liveness, type ProcFs } from './process-identity.js';
import { RunProgress, type ProgressSnapshot } from './run-progress.js';
import { describeOutcome, type RunOutcome } from './run-outcome.js';
import { launchBelongsTo, readLaunchRecord, writeLaunchRecord } from './run-dir.js';
import { identityOf, launchTrainer, stopTrainer, type LaunchInput, type StopResult } from './trainer-process.js';
import { assertTrusted, type TrustSource } from './trust.js';

type Listener<T> = (value: T) => void;

class Emitter<T> {
    private listeners: Listener<T>[] = [];
    on(listener: Listener<T>): { dispose(): void } {
        this.listeners.push(listener);
        return { dispose: () => { this.listeners = this.listeners.filter((l) => l !== listener); } };
    }
    fire(value: T): void {
        for (const l of [...this.listeners]) l(value);
    }
    clear(): void {
        this.listeners = [];
    }
}

export interface SessionOptions {
    /** Re-read interval; fs.watch events trigger reads in between. */
    pollMs?: number;
    stopGraceMs?: number;
    proc?: ProcFs;
    /** Bytes of an existing log/metrics file read when attaching (older content is skipped). */
    attachTailBytes?: number;
}

const LOG_TAIL_BYTES = 64 * 1024;

function readText(file: string, maxBytes = 16 << 20): string {
    try {
        const buffer = readFileSync(file);
        return buffer.subarray(Math.max(0, buffer.length - maxBytes)).toString('utf8');
    } catch {
        return '';
    }
}

export function readRunStatus(runDir: string): RunJson | undefined {
    try {
        const value = JSON.parse(readFileSync(path.join(runDir, RUN_DIR_FILES.run), 'utf8')) as RunJson;
        return typeof value === 'object' && value !== null ? value : undefined;
    } catch {
        return undefined;
    }
}

export class TrainingSession {
    readonly onProgress = new Emitter<ProgressSnapshot>();
    readonly onLog = new Emitter<string[]>();
    readonly onEnd = new Emitter<RunOutcome>();
    private readonly progress: RunProgress;
    private readonly metricsTail: FileTail;
    private readonly logTail: FileTail;
    private logRest = '';
    private timer: NodeJS.Timeout | undefined;
    private watcher: FSWatcher | undefined;
    private ended: RunOutcome | undefined;
    private stopRequested: boolean;
    private readonly proc: ProcFs;
    workflow: string;

    private constructor(readonly runDir: string, private record: LaunchRecord, private readonly options: SessionOptions, private readonly ownChild: boolean) {
        this.proc = options.proc ?? linuxProcFs;
        const run = readRunStatus(runDir);
        const spec = specFacts(runDir);
        this.workflow = run?.workflow ?? spec.workflow ?? path.basename(runDir);
        this.stopRequested = record.stop_requested_at !== null;
        const tailBytes = ownChild ? Number.POSITIVE_INFINITY : options.attachTailBytes ?? LOG_TAIL_BYTES;
        this.progress = new RunProgress(path.join(runDir, RUN_DIR_FILES.metrics), run?.steps_total ?? spec.steps);
        this.metricsTail = new FileTail(path.join(runDir, RUN_DIR_FILES.metrics), tailBytes);
        this.logTail = new FileTail(path.join(runDir, LAUNCH_FILES.processLog), tailBytes);
    }

    /** Launches the trainer (trust checked inside launchTrainer) and starts following its run directory. */
    static async launch(input: LaunchInput, options: SessionOptions = {}): Promise<TrainingSession> {
        const { record, child } = await launchTrainer(input);
        const session = new TrainingSession(input.runDir, record, options, true);
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
        const session = new TrainingSession(runDir, record, options, false);
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
        if (!this.ownChild && liveness(identityOf(this.record), this.proc) !== 'alive') this.finish(undefined, null);
    }

    private readNew(): void {
        for (let chunk = this.metricsTail.read(); chunk.kind === 'data'; chunk = this.metricsTail.read()) {
            const before = this.progress.total;
            if (before === undefined) this.progress.total = readRunStatus(this.runDir)?.steps_total;
            if (this.progress.feed(chunk)) this.onProgress.fire(this.progress.snapshot()!);
            if (chunk.bytes.length === 0) break;
        }
        for (let chunk = this.logTail.read(); chunk.kind === 'data'; chunk = this.logTail.read()) {
            if (chunk.fromStart) this.logRest = '';
            const text = this.logRest + chunk.bytes.toString('utf8');
            const lines = text.split(/\r?\n/);
            this.logRest = lines.pop() ?? '';
            if (chunk.skipped && lines.length > 0) lines.shift(); // a partial first line
            if (lines.length > 0) this.onLog.fire(lines);
            if (chunk.bytes.length === 0) break;
        }
    }

    private async lost(): Promise<void> {
        const alive = liveness(identityOf(this.record), this.proc) === 'alive';
        if (alive) await stopTrainer(identityOf(this.record), { graceMs: this.options.stopGraceMs ?? 5000, proc: this.proc });
        this.end({
            kind: 'failed',
            message: `MAS: the run directory ${this.runDir} was deleted while the run was followed${alive ? '; its trainer was stopped, since it could no longer save anything' : ''}.`,
        });
    }

    private finish(exitCode: number | null | undefined, signal: string | null): void {
        if (this.ended) return;
        this.readNew();
        if (this.logRest) this.onLog.fire([this.logRest]);
        const run = readRunStatus(this.runDir);
        this.end(describeOutcome({
            runDir: this.runDir, exitCode, signal, runStatus: run?.status, runError: run?.error ?? null,
            stopRequested: this.stopRequested || readLaunchRecord(this.runDir)?.stop_requested_at != null,
            processLog: readText(path.join(this.runDir, LAUNCH_FILES.processLog)),
            trainerLog: readText(path.join(this.runDir, RUN_DIR_FILES.log)),
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
        const result = await stopTrainer(identityOf(this.record), { graceMs: this.options.stopGraceMs ?? 5000, proc: this.proc });
        if (!this.ownChild) this.poll();
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

/** Workflow name and step count from the spec the extension wrote (run.json does not exist before the trainer starts). */
function specFacts(runDir: string): { workflow?: string; steps?: number } {
    try {
        const spec = JSON.parse(readFileSync(path.join(runDir, LAUNCH_FILES.spec), 'utf8')) as { workflow?: unknown; train?: { steps?: unknown } };
        const steps = spec.train?.steps;
        return {
            ...(typeof spec.workflow === 'string' ? { workflow: spec.workflow } : {}),
            ...(typeof steps === 'number' ? { steps } : {}),
        };
    } catch {
        return {};
    }
}
