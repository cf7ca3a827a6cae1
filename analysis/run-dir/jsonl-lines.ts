/**
 * Incremental reader for an append-only JSONL file (metrics.jsonl, trajectories/<step>.jsonl) that is still
 * being written: feed it the bytes as they arrive, get back the records of the complete lines.
 *
 * The trainer's appends are line-atomic (DESIGN.md §3), so:
 * - bytes after the last newline are a line still being written: they are held back until its newline arrives
 *   (or dropped by `finish()` when the file is known to be complete: a torn last line after a crash);
 * - a complete line that does not parse (or that `validate` refuses) is corrupt: it is reported with
 *   file:line and skipped, and reading goes on with the next line;
 * - blank lines are skipped silently; a trailing `\r` (CRLF) is ignored.
 *
 * Pure: no file system, no Node built-ins (TextDecoder is a global in Node and browsers), so the extension
 * host, the CLI and tests share it. Works on bytes, not strings, so a UTF-8 character split across two
 * chunks is never decoded half.
 */

import { BoundedJsonError, parseBoundedJson } from './json-bounded.js';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface JsonlIssue {
    file: string;
    /** 1-based line number in the file. */
    line: number;
    message: string;
}

export interface JsonlBatch<T> {
    records: T[];
    issues: JsonlIssue[];
}

/** Checks a parsed line: the record, or a sentence saying what is wrong with it. */
export type JsonlValidator<T> = (value: unknown) => { ok: true; value: T } | { ok: false; error: string };

export interface JsonlLinesOptions<T> {
    validate?: JsonlValidator<T>;
    /** Lines longer than this are reported and skipped without being kept in memory (default 64 MiB). */
    maxLineBytes?: number;
    /** Resume mid-file: the byte offset and 1-based number of the first line the next chunk starts with. */
    startOffset?: number;
    startLine?: number;
}

export class JsonlLines<T = unknown> {
    private readonly validate: JsonlValidator<T> | undefined;
    private readonly maxLineBytes: number;
    private pending: Uint8Array[] = [];
    private pendingLength = 0;
    /** The line being held back is already over the limit: its bytes are discarded up to its newline. */
    private overlong = false;
    private offset: number;
    private line: number;

    constructor(
        readonly file: string,
        options: JsonlLinesOptions<T> = {},
    ) {
        this.validate = options.validate;
        this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
        this.offset = options.startOffset ?? 0;
        this.line = options.startLine ?? 1;
    }

    /** Byte offset just past the last complete line: where to resume reading after a restart. */
    get consumedBytes(): number {
        return this.offset;
    }

    /** Number of the next line to complete (1-based). */
    get nextLine(): number {
        return this.line;
    }

    /** Bytes of the held-back (not yet newline-terminated) last line. */
    get pendingBytes(): number {
        return this.pendingLength;
    }

    /** Feeds the next bytes of the file; returns the records of the lines this chunk completed. */
    push(chunk: Uint8Array): JsonlBatch<T> {
        const batch: JsonlBatch<T> = { records: [], issues: [] };
        let start = 0;
        for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
            this.hold(chunk.subarray(start, newline));
            this.completeLine(batch, 1);
            start = newline + 1;
        }
        this.hold(chunk.subarray(start));
        return batch;
    }

    /**
     * The file is complete (the writer has exited or the file will not grow): a held-back last line that is a
     * whole record is kept (writers that omit the final newline); one that does not parse is a torn write and
     * is dropped silently, as DESIGN.md §3 asks. `tornBytes` says how much was dropped.
     */
    finish(): JsonlBatch<T> & { tornBytes: number } {
        const batch: JsonlBatch<T> = { records: [], issues: [] };
        if (this.pendingLength === 0 && !this.overlong) return { ...batch, tornBytes: 0 };
        const bytes = this.pendingLength;
        const parsed = this.overlong ? undefined : this.parse(this.takePending());
        if (parsed && 'record' in parsed) {
            batch.records.push(parsed.record);
            this.offset += bytes;
            this.line += 1;
            return { ...batch, tornBytes: 0 };
        }
        this.resetPending();
        return { ...batch, tornBytes: bytes };
    }

    /** Forgets everything: the file was truncated or replaced, so reading starts again from byte 0. */
    reset(): void {
        this.resetPending();
        this.offset = 0;
        this.line = 1;
    }

    private hold(bytes: Uint8Array): void {
        if (bytes.length === 0) return;
        this.pendingLength += bytes.length;
        if (this.overlong) return;
        if (this.pendingLength > this.maxLineBytes) {
            this.overlong = true;
            this.pending = [];
            return;
        }
        // Copy: the caller may reuse its read buffer for the next chunk.
        this.pending.push(bytes.slice());
    }

    private completeLine(batch: JsonlBatch<T>, newlineBytes: number): void {
        const lineNumber = this.line;
        this.offset += this.pendingLength + newlineBytes;
        this.line += 1;
        if (this.overlong) {
            batch.issues.push({
                file: this.file,
                line: lineNumber,
                message: `line is longer than ${this.maxLineBytes} bytes; skipped`,
            });
            this.resetPending();
            return;
        }
        const result = this.parse(this.takePending());
        if (!result) return;
        if ('record' in result) batch.records.push(result.record);
        else batch.issues.push({ file: this.file, line: lineNumber, message: result.error });
    }

    /** undefined for a blank line. Depth, grammar and UTF-8 are checked by parseBoundedJson before JSON.parse. */
    private parse(bytes: Uint8Array): { record: T } | { error: string } | undefined {
        const end = bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length;
        if (isBlank(bytes, end)) return undefined;
        let value: unknown;
        try {
            value = parseBoundedJson(bytes.subarray(0, end));
        } catch (error) {
            if (!(error instanceof BoundedJsonError))
                return { error: `line is not valid JSON (${(error as Error).message}); skipped` };
            if (error.kind === 'utf8') return { error: 'line is not valid UTF-8; skipped' };
            return { error: `line is ${error.message}; skipped` };
        }
        if (!this.validate) return { record: value as T };
        const checked = this.validate(value);
        return checked.ok ? { record: checked.value } : { error: `${checked.error}; skipped` };
    }

    private takePending(): Uint8Array {
        const parts = this.pending;
        const joined = parts.length === 1 ? parts[0]! : concat(parts, this.pendingLength);
        this.resetPending();
        return joined;
    }

    private resetPending(): void {
        this.pending = [];
        this.pendingLength = 0;
        this.overlong = false;
    }
}

/** Only JSON whitespace (what JSON.parse would call an empty text). */
function isBlank(bytes: Uint8Array, end: number): boolean {
    for (let k = 0; k < end; k++) {
        const c = bytes[k];
        if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return false;
    }
    return true;
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
    const out = new Uint8Array(length);
    let at = 0;
    for (const part of parts) {
        out.set(part, at);
        at += part.length;
    }
    return out;
}
