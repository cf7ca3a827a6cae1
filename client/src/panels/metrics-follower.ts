/**
 * Follows one run directory for the dashboard: the records appended to metrics.jsonl and the status in
 * run.json. New bytes are noticed by fs.watch on the run directory (it also sees the atomic replace of
 * metrics.jsonl on resume and of run.json) and, because watching is unreliable on some file systems (network
 * drives, containers), by polling as well; both only trigger an incremental read, so a line reaches the
 * dashboard well within a second of being written. Nothing is kept here but the read position.
 *
 * The run directory is untrusted (a colleague's zip, a folder picked with Browse…): metrics.jsonl is located by the
 * trajectory reader's rule and read only if it is a regular file (RunFileTail: a link out of the run directory,
 * a FIFO or a device is refused, never followed or opened).
 */
import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { JsonlLines, type JsonlIssue } from '../../../analysis/run-dir/jsonl-lines.js';
import { readRunJson } from '../../../analysis/run-dir/run-json.js';
import { validateMetrics } from '../../../analysis/run-dir/validate.js';
import { RUN_DIR_FILES, type MetricsRecord, type RunJson } from '../../../protocol/run-dir.js';
import { RunFileTail } from '../training/run-file-tail.js';

export interface MetricsFollowerEvents {
    /** metrics.jsonl was replaced or truncated (a resume rewrote it): forget the records shown so far. */
    onReset(): void;
    /** Records appended since the last call, in file order (at most `batchSize` per call). */
    onRecords(records: MetricsRecord[]): void;
    /** A corrupt line (file:line), skipped. */
    onIssue(issue: JsonlIssue): void;
    /** metrics.jsonl is not read (a link out of the run directory, a FIFO …): the reason, once until it changes. */
    onRefused(reason: string): void;
    /** run.json changed (or could not be read: `error` says why). */
    onRunJson(run: RunJson | undefined, error: string | undefined): void;
    /** The run directory disappeared (`gone: true`) or came back. */
    onDirectory(gone: boolean): void;
}

export interface MetricsFollowerOptions {
    /** Polling fallback period; fs.watch usually triggers the read first. */
    pollMs?: number;
    /** Records per `onRecords` call, so a 100 000-step history reaches the view in several messages. */
    batchSize?: number;
    /** Use fs.watch besides polling (default true; the benchmark turns it off to measure polling alone). */
    watch?: boolean;
    /**
     * Reads triggered by fs.watch are at least this far apart (default 100 ms): a trainer writing 100 lines/s
     * then costs the view ~10 messages and redraws per second instead of 100, for at most this much delay.
     */
    minReadIntervalMs?: number;
}

const MAX_ISSUES = 100;

export class MetricsFollower {
    private readonly tail: RunFileTail;
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

    constructor(readonly runDir: string, private readonly events: MetricsFollowerEvents, options: MetricsFollowerOptions = {}) {
        const file = join(runDir, RUN_DIR_FILES.metrics);
        this.tail = new RunFileTail(runDir, RUN_DIR_FILES.metrics);
        this.lines = new JsonlLines<MetricsRecord>(file, { validate: validateMetrics });
        this.pollMs = options.pollMs ?? 250;
        this.batchSize = options.batchSize ?? 5000;
        this.useWatch = options.watch ?? true;
        this.minReadIntervalMs = options.minReadIntervalMs ?? 100;
    }

    /** Reads what is there, then follows. */
    start(): void {
        this.watchDirectory();
        this.timer = setInterval(() => void this.poll(), this.pollMs);
        void this.poll();
    }

    /** Reads everything new. Safe to call at any time; calls never overlap their reads. */
    async poll(): Promise<void> {
        if (this.disposed) return;
        const present = existsSync(this.runDir);
        if (present === this.gone) {
            this.gone = !present;
            this.events.onDirectory(this.gone);
            if (present) this.watchDirectory();
        }
        if (!present) return;
        this.lastRead = Date.now();
        this.readMetrics();
        await this.readRunJson();
    }

    dispose(): void {
        this.disposed = true;
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
                this.events.onReset();
            }
            const batch = this.lines.push(chunk.bytes);
            for (const issue of batch.issues) {
                if (this.issues++ < MAX_ISSUES) this.events.onIssue(issue);
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
        this.events.onRefused(reason);
    }

    private flush(records: MetricsRecord[]): void {
        if (records.length > 0) this.events.onRecords(records);
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
        try {
            this.events.onRunJson(await readRunJson(this.runDir), undefined);
        } catch (error) {
            this.events.onRunJson(undefined, (error as Error).message);
        }
    }
}
