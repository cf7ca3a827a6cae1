import type { JsonlIssue } from './jsonl-lines.js';
import { openRegularFile } from './safe-file.js';
import type { LineSpan, ScanResult } from './scan.js';
import { TrajectoryLineScanner, type IndexedFields } from './trajectory-scan.js';

const CHUNK_BYTES = 8 * 1024 * 1024;
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Indexes one `trajectories/<step>.jsonl` in large sequential reads, handing each line's bytes to the
 * TrajectoryLineScanner (no per-line string, no JSON.parse). Same contract as scanJsonl + validateTrajectory:
 * a torn last line is dropped silently (a whole record without its final newline is kept), a corrupt or invalid
 * middle line is reported with file:line and skipped, blank lines are ignored, a CRLF's `\r` is tolerated.
 */
export interface StepScanOptions {
    /** First read size (default 8 MiB); the buffer doubles for a longer line. */
    chunkBytes?: number;
    /** Lines longer than this are reported and skipped without being held in memory (default 64 MiB). */
    maxLineBytes?: number;
    /** Reused across the files of one index build, one file at a time (never by two scans at once): the read
     *  buffer and the agent-name cache, so 100 step files do not allocate 100 buffers. */
    scratch?: StepScanScratch;
}

export interface StepScanScratch {
    buffer?: Buffer;
    scanner?: TrajectoryLineScanner;
}

export async function scanStepFile(
    file: string,
    label: string,
    onEntry: (fields: IndexedFields, span: LineSpan) => void,
    options: StepScanOptions = {},
): Promise<ScanResult> {
    const chunkBytes = options.chunkBytes ?? CHUNK_BYTES,
        maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
    const scratch = options.scratch ?? {};
    const scanner = (scratch.scanner ??= new TrajectoryLineScanner());
    const issues: JsonlIssue[] = [];
    const handle = await openRegularFile(file);
    // Large sequential reads; a small file gets a buffer of its own size (+1 so end of file shows in one read).
    const wanted = Math.min(chunkBytes, Math.max(Math.min(chunkBytes, 64 * 1024), (await handle.stat()).size + 1));
    let buf =
        scratch.buffer && scratch.buffer.length >= wanted && scratch.buffer.length <= chunkBytes
            ? scratch.buffer
            : Buffer.allocUnsafe(wanted);
    let filled = 0,
        base = 0,
        line = 1;
    /** Bytes of an over-long line being discarded up to its newline (-1 when none). */
    let overlong = -1;
    const take = (start: number, newline: number, whole: boolean): boolean => {
        const end = newline > start && buf[newline - 1] === 0x0d ? newline - 1 : newline;
        let blank = true;
        for (let k = start; k < end && blank; k++) {
            const c = buf[k];
            blank = c === 0x20 || c === 0x09 || c === 0x0d;
        }
        if (blank) return true;
        const outcome = scanner.scan(buf, start, end);
        if (outcome.ok) onEntry(outcome.fields, { offset: base + start, length: newline - start, line });
        else if (whole) issues.push({ file: label, line, message: `${outcome.error}; skipped` });
        return outcome.ok;
    };
    try {
        for (;;) {
            const { bytesRead } = await handle.read(buf, filled, buf.length - filled, base + filled);
            if (bytesRead === 0) break;
            const from = filled;
            filled += bytesRead;
            let start = 0;
            for (
                let newline = buf.indexOf(0x0a, from);
                newline !== -1 && newline < filled;
                newline = buf.indexOf(0x0a, start)
            ) {
                if (overlong >= 0) {
                    issues.push({ file: label, line, message: `line is longer than ${maxLineBytes} bytes; skipped` });
                    overlong = -1;
                } else take(start, newline, true);
                start = newline + 1;
                line++;
            }
            if (overlong >= 0) {
                overlong += filled - start;
                start = filled;
            }
            buf.copy(buf, 0, start, filled);
            base += start;
            filled -= start;
            if (filled === buf.length) {
                if (buf.length >= maxLineBytes) {
                    overlong = filled;
                    base += filled;
                    filled = 0;
                } else {
                    const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxLineBytes));
                    buf.copy(bigger, 0, 0, filled);
                    buf = bigger;
                }
            }
        }
    } finally {
        await handle.close();
    }
    if (buf.length <= chunkBytes) scratch.buffer = buf;
    // The last line has no newline: kept if it is a whole record, else a torn write, dropped silently.
    if (overlong >= 0) return { issues, tornBytes: overlong + filled, bytes: base };
    if (filled > 0 && !take(0, filled, false)) return { issues, tornBytes: filled, bytes: base };
    return { issues, tornBytes: 0, bytes: base + filled };
}
