/**
 * Progress of a run from its metrics.jsonl: the latest step, reward and a time-to-go estimate, and the text
 * of the status bar item. Keeps only a short window of records, so following a 100 000-step run costs the
 * same memory as a 10-step one.
 */
import { JsonlLines, type JsonlIssue } from '../../../analysis/run-dir/jsonl-lines.js';
import { validateMetrics } from '../../../analysis/run-dir/validate.js';
import type { MetricsRecord } from '../../../protocol/run-dir.js';
import type { TailChunk } from '../runs/file-tail.js';

/** Records used for the rate: recent enough to follow speed changes, enough to smooth step jitter. */
const RATE_WINDOW = 20;

export interface ProgressSnapshot {
    step: number;
    total: number | undefined;
    rewardMean: number | undefined;
    /** Seconds to go, once two steps have been seen. */
    etaSeconds: number | undefined;
}

export class RunProgress {
    private lines: JsonlLines<MetricsRecord>;
    private window: { step: number; time: number }[] = [];
    private last: MetricsRecord | undefined;
    private dropUntilNewline = false;
    readonly issues: JsonlIssue[] = [];

    constructor(
        private readonly file: string,
        public total: number | undefined,
    ) {
        this.lines = new JsonlLines<MetricsRecord>(file, { validate: validateMetrics });
    }

    /** Forgets what was seen (the file was rewritten or is read again); `skipped`: reading starts mid-file. */
    reset(skipped: boolean): void {
        this.lines = new JsonlLines<MetricsRecord>(this.file, { validate: validateMetrics });
        this.window = [];
        this.last = undefined;
        this.dropUntilNewline = skipped; // started mid-file: the first piece is part of a line
    }

    /** Records already parsed (by a RunFollower); returns true when a new step arrived. */
    push(records: readonly MetricsRecord[]): boolean {
        for (const record of records) this.add(record);
        return records.length > 0;
    }

    /** Feeds a chunk from a FileTail; returns true when a new step arrived. */
    feed(chunk: TailChunk): boolean {
        if (chunk.kind !== 'data') return false;
        if (chunk.fromStart) this.reset(chunk.skipped);
        let bytes: Uint8Array = chunk.bytes;
        if (this.dropUntilNewline) {
            const newline = bytes.indexOf(0x0a);
            if (newline < 0) return false;
            bytes = bytes.subarray(newline + 1);
            this.dropUntilNewline = false;
        }
        const batch = this.lines.push(bytes);
        this.issues.push(...batch.issues.slice(0, Math.max(0, 100 - this.issues.length)));
        return this.push(batch.records);
    }

    private add(record: MetricsRecord): void {
        this.last = record;
        if (typeof record.time === 'number' && Number.isFinite(record.time)) {
            // A resume rewinds steps: the window restarts so the rate never spans the gap.
            const previous = this.window[this.window.length - 1];
            if (previous && record.step <= previous.step) this.window = [];
            this.window.push({ step: record.step, time: record.time });
            if (this.window.length > RATE_WINDOW) this.window.shift();
        }
    }

    snapshot(): ProgressSnapshot | undefined {
        if (!this.last) return undefined;
        return {
            step: this.last.step,
            total: this.total,
            rewardMean: this.last.reward_mean ?? undefined,
            etaSeconds: this.eta(),
        };
    }

    /**
     * Steps to go × the MEDIAN seconds per step over the window. A mean let a few slow steps (the machine busy with
     * a window reload, a checkpoint) swing the estimate: it jumped from 3m21s to 8m11s after a reload (first-hour
     * bug B14); the median ignores such outliers and still follows a lasting change of speed within the window.
     */
    private eta(): number | undefined {
        const last = this.window[this.window.length - 1];
        if (!last || this.total === undefined) return undefined;
        const perStep: number[] = [];
        for (let i = 1; i < this.window.length; i++) {
            const a = this.window[i - 1]!,
                b = this.window[i]!;
            if (b.step > a.step && b.time >= a.time) perStep.push((b.time - a.time) / (b.step - a.step));
        }
        if (perStep.length === 0) return undefined;
        perStep.sort((x, y) => x - y);
        const mid = perStep.length >> 1;
        const median = perStep.length % 2 ? perStep[mid]! : (perStep[mid - 1]! + perStep[mid]!) / 2;
        return Math.max(0, this.total - last.step) * median;
    }
}

export function formatDuration(seconds: number): string {
    const s = Math.round(seconds);
    if (s < 60) return `${s}s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
    const h = Math.floor(m / 60);
    return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

function formatReward(value: number): string {
    return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(3);
}

/** `$(sync~spin) MAS lazy-team 12/200 · R 0.531 · ETA 4m 10s` (status bar text; codicons are VS Code's). */
export function statusText(workflow: string, snapshot: ProgressSnapshot | undefined): string {
    // The name comes from run.json (untrusted): keep it plain so it cannot inject `$(icon)` markup.
    const plain = workflow.replace(/[^\w.-]+/g, '_');
    const name = plain.length > 40 ? `${plain.slice(0, 39)}…` : plain;
    if (!snapshot) return `$(sync~spin) MAS ${name}: starting`;
    const parts = [`$(sync~spin) MAS ${name} ${snapshot.step}/${snapshot.total ?? '?'}`];
    if (snapshot.rewardMean !== undefined && Number.isFinite(snapshot.rewardMean))
        parts.push(`R ${formatReward(snapshot.rewardMean)}`);
    if (snapshot.etaSeconds !== undefined) parts.push(`ETA ${formatDuration(snapshot.etaSeconds)}`);
    return parts.join(' · ');
}
