import { openRegularFile } from './safe-file.js';
import { JsonlLines, type JsonlIssue, type JsonlValidator } from './jsonl-lines.js';

/** Where a record lies in its file, so that it can be read again alone. */
export interface LineSpan {
    /** Byte offset of the line's first byte. */
    offset: number;
    /** Bytes of the line, without its newline. */
    length: number;
    /** 1-based line number. */
    line: number;
}

export interface ScanResult {
    issues: JsonlIssue[];
    /** Bytes of a torn last line that was dropped (0 when the file ended cleanly). */
    tornBytes: number;
    /** Bytes read and accounted for (complete lines). */
    bytes: number;
}

/**
 * Streams a JSONL file once, calling `onRecord` with each valid record and its byte span. Line splitting,
 * torn-last-line and corrupt-line handling are JsonlLines' (shared with the live run watcher); this adds the
 * span of every record by feeding it one line at a time, so the index can later read a single record.
 */
export async function scanJsonl<T>(
    file: string,
    label: string,
    onRecord: (record: T, span: LineSpan) => void,
    validate?: JsonlValidator<T>,
): Promise<ScanResult> {
    const lines = new JsonlLines<T>(label, validate ? { validate } : {});
    const issues: JsonlIssue[] = [];
    const take = (records: T[], start: number, line: number, end: number): void => {
        // One line was completed by this push: at most one record, spanning [start, end - newline).
        for (const record of records) onRecord(record, { offset: start, length: lineLength(start, end), line });
    };
    let lastEnd = 0;
    const lineLength = (start: number, end: number): number => Math.max(0, end - start - 1);
    // Refused by type before a byte is read: a FIFO named metrics.jsonl would block the stream forever.
    const handle = await openRegularFile(file);
    for await (const chunk of handle.createReadStream({ highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
        let from = 0;
        for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, from)) {
            const start = lines.consumedBytes;
            const line = lines.nextLine;
            const batch = lines.push(chunk.subarray(from, newline + 1));
            issues.push(...batch.issues);
            take(batch.records, start, line, lines.consumedBytes);
            lastEnd = lines.consumedBytes;
            from = newline + 1;
        }
        if (from < chunk.length) lines.push(chunk.subarray(from));
    }
    const start = lines.consumedBytes;
    const line = lines.nextLine;
    const tail = lines.finish();
    issues.push(...tail.issues);
    // A whole record without a final newline: its span runs to the end of the file.
    for (const record of tail.records) onRecord(record, { offset: start, length: lines.consumedBytes - start, line });
    if (tail.records.length > 0) lastEnd = lines.consumedBytes;
    return { issues, tornBytes: tail.tornBytes, bytes: lastEnd };
}
