/** What a RunFollower tells its listeners, and how it follows (run-follower.ts). */
import type { JsonlIssue } from '../../../analysis/run-dir/jsonl-lines.js';
import type { MetricsRecord, RunJson } from '../../../protocol/run-dir.js';

/** Why the records shown so far must be forgotten: the file was rewritten, or is read again for a newcomer. */
export type ResetCause = 'rewritten' | 'reread';

export interface RunListener {
    /** metrics.jsonl was replaced or truncated (a resume rewrote it), or is read again from its start. */
    onReset?(cause: ResetCause): void;
    /** Records appended since the last call, in file order (at most `batchSize` per call). */
    onRecords?(records: MetricsRecord[]): void;
    /** A corrupt line (file:line), skipped. */
    onIssue?(issue: JsonlIssue): void;
    /** metrics.jsonl is not read (a link out of the run directory, a FIFO …): the reason, once until it changes. */
    onRefused?(reason: string): void;
    /** run.json changed (or could not be read: `error` says why). */
    onRunJson?(run: RunJson | undefined, error: string | undefined): void;
    /** The run directory disappeared (`gone: true`) or came back. */
    onDirectory?(gone: boolean): void;
    /** After each read of a present run directory: for what a listener follows beside metrics.jsonl (a log, a pid). */
    onPoll?(): void;
}

export interface RunFollowerOptions {
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
