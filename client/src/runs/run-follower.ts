/**
 * Follows one run directory for everyone who shows it (the dashboard, a followed trainer and so the status bar):
 * the records appended to metrics.jsonl and the status in run.json, told to each listener. RunFollowers keeps one
 * per run directory. New bytes are noticed by fs.watch on the run directory (it also sees the atomic replace of
 * metrics.jsonl on resume and of run.json) and, because watching is unreliable on some file systems (network
 * drives, containers), by polling as well; both only trigger an incremental read, so a line reaches the
 * listeners well within a second of being written. Nothing is kept here but the read position: a listener that
 * joins later is given the history by reading the file again from the start (every listener hears `onReset`).
 *
 * The run directory is untrusted (a colleague's zip, a folder picked with Browse…): metrics.jsonl is located by the
 * trajectory reader's rule and read only if it is a regular file (RunFileTail: a link out of the run directory,
 * a FIFO or a device is refused, never followed or opened).
 */
import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { JsonlLines } from '../../../analysis/run-dir/jsonl-lines.js';
import { readRunJson } from '../../../analysis/run-dir/run-json.js';
import { validateMetrics } from '../../../analysis/run-dir/validate.js';
import { RUN_DIR_FILES, type MetricsRecord, type RunJson } from '../../../protocol/run-dir.js';
import { RunFileTail } from './run-file-tail.js';
import type { RunFollowerOptions, RunListener } from './run-listener.js';

export type { ResetCause, RunFollowerOptions, RunListener } from './run-listener.js';

const MAX_ISSUES = 100;

export class RunFollower {
    private readonly listeners = new Set<RunListener>();
    private tail: RunFileTail;
    private refusal: string | undefined;
    private lines: JsonlLines<MetricsRecord>;
    private watcher: FSWatcher | undefined;
    private timer: ReturnType<typeof setInterval> | undefined;
    private runJsonStamp = '';
    private gone = false;
    private issues = 0;
    private disposed = false;
    private readonly pollMs: number;
    private readonly batchSize: number;
    private readonly useWatch: boolean;
    private readonly minReadIntervalMs: number;
    private lastRead = 0;
    private throttle: ReturnType<typeof setTimeout> | undefined;
    private started = false;

    constructor(readonly runDir: string, options: RunFollowerOptions = {}) {
        this.tail = new RunFileTail(runDir, RUN_DIR_FILES.metrics);
        this.lines = new JsonlLines<MetricsRecord>(join(runDir, RUN_DIR_FILES.metrics), { validate: validateMetrics });
        this.pollMs = options.pollMs ?? 250;
        this.batchSize = options.batchSize ?? 5000;
        this.useWatch = options.watch ?? true;
        this.minReadIntervalMs = options.minReadIntervalMs ?? 100;
    }

    get listenerCount(): number {
        return this.listeners.size;
    }

    /**
     * Adds a listener. The first one starts the following (what is there is read at once, before this returns);
     * a later one gets the history because the files are read again from their start (`reread`).
     */
    add(listener: RunListener): void {
        this.listeners.add(listener);
        if (!this.started) {
            this.start();
            return;
        }
        if (this.gone) listener.onDirectory?.(true);
        this.reread();
    }

    remove(listener: RunListener): void {
        this.listeners.delete(listener);
    }

    /** Every listener forgets what it was told and hears the files again from their start (a view reloaded). */
    reread(): void {
        this.tail = new RunFileTail(this.runDir, RUN_DIR_FILES.metrics);
        this.lines = new JsonlLines<MetricsRecord>(this.lines.file, { validate: validateMetrics });
        this.runJsonStamp = '';
        this.refusal = undefined;
        this.emit((l) => l.onReset?.('reread'));
        void this.poll();
    }

    /** Reads what is there, then follows. */
    private start(): void {
        this.started = true;
        this.watchDirectory();
        this.timer = setInterval(() => void this.poll(), this.pollMs);
        this.timer.unref?.(); // following a run never keeps the host process alive
        void this.poll();
    }

    private emit(tell: (listener: RunListener) => void): void {
        for (const listener of [...this.listeners]) tell(listener);
    }

    /** Reads everything new. Safe to call at any time; calls never overlap their reads. */
    async poll(): Promise<void> {
        if (this.disposed) return;
        const present = existsSync(this.runDir);
        if (present === this.gone) {
            this.gone = !present;
            this.emit((l) => l.onDirectory?.(this.gone));
            if (present) this.watchDirectory();
        }
        if (!present) return;
        this.lastRead = Date.now();
        this.readMetrics();
        this.emit((l) => l.onPoll?.());
        await this.readRunJson();
    }

    dispose(): void {
        this.disposed = true;
        this.listeners.clear();
        this.watcher?.close();
        this.watcher = undefined;
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
        if (this.throttle) clearTimeout(this.throttle);
        this.throttle = undefined;
    }

    private onWatchEvent(): void {
        if (this.throttle) return; // a read is already scheduled and will see these bytes too
        const wait = this.lastRead + this.minReadIntervalMs - Date.now();
        if (wait <= 0) {
            void this.poll();
            return;
        }
        this.throttle = setTimeout(() => {
            this.throttle = undefined;
            void this.poll();
        }, wait);
    }

    private watchDirectory(): void {
        this.watcher?.close();
        this.watcher = undefined;
        if (!this.useWatch) return;
        try {
            this.watcher = watch(this.runDir, { persistent: false }, () => this.onWatchEvent());
            this.watcher.on('error', () => {
                // The directory went away or the platform cannot watch it: polling carries on alone.
                this.watcher?.close();
                this.watcher = undefined;
            });
        } catch {
            // No watching possible here: polling alone still keeps the delay under the poll period.
        }
    }

    private readMetrics(): void {
        let pending: MetricsRecord[] = [];
        let chunk = this.tail.read();
        if (chunk.kind === 'refused') this.refuse(chunk.reason);
        else this.refusal = undefined;
        for (; chunk.kind === 'data'; chunk = this.tail.read()) {
            if (chunk.fromStart && this.lines.consumedBytes + this.lines.pendingBytes > 0) {
                this.flush(pending);
                pending = [];
                this.lines = new JsonlLines<MetricsRecord>(this.lines.file, { validate: validateMetrics });
                this.emit((l) => l.onReset?.('rewritten'));
            }
            const batch = this.lines.push(chunk.bytes);
            for (const issue of batch.issues) {
                if (this.issues++ < MAX_ISSUES) this.emit((l) => l.onIssue?.(issue));
            }
            for (const record of batch.records) {
                pending.push(record);
                if (pending.length >= this.batchSize) {
                    this.flush(pending);
                    pending = [];
                }
            }
            if (chunk.bytes.length === 0) break;
        }
        this.flush(pending);
    }

    private refuse(reason: string): void {
        if (reason === this.refusal) return;
        this.refusal = reason;
        this.emit((l) => l.onRefused?.(reason));
    }

    private flush(records: MetricsRecord[]): void {
        if (records.length > 0) this.emit((l) => l.onRecords?.(records));
    }

    private async readRunJson(): Promise<void> {
        const file = join(this.runDir, RUN_DIR_FILES.run);
        let stamp: string;
        try {
            const stat = statSync(file);
            stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
        } catch {
            stamp = 'missing';
        }
        if (stamp === this.runJsonStamp) return;
        this.runJsonStamp = stamp;
        let run: RunJson | undefined;
        let problem: string | undefined;
        try {
            run = await readRunJson(this.runDir);
        } catch (error) {
            problem = (error as Error).message;
        }
        this.emit((l) => l.onRunJson?.(run, problem));
    }
}
