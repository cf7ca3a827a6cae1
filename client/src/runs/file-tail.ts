/**
 * Reads what was appended to a file since the last call. Handles the file being absent (not written yet),
 * replaced (the trainer rewrites metrics.jsonl atomically on --resume: new inode) and truncated; a caller
 * starting on a long file may skip to its last bytes. The file lives in an untrusted run directory: a symbolic
 * link, a FIFO or any other non-regular file is refused (`refused`, with the reason), never followed or opened.
 */
import { closeSync, constants, fstatSync, lstatSync, readSync } from 'node:fs';
import { irregularKind, openRunFileSync, RefusedFileError } from '../../../analysis/run-dir/safe-file-sync.js';

export type TailChunk =
    | { kind: 'data'; bytes: Buffer; fromStart: boolean; skipped: boolean }
    | { kind: 'none' }
    | { kind: 'missing' }
    | { kind: 'refused'; reason: string };

export class FileTail {
    private offset = 0;
    private inode: number | undefined;
    private first = true;

    /**
     * `startTailBytes`: on first read of a file larger than this, start this many bytes before its end.
     * `startAt`: never read before this byte (what an earlier process wrote to a shared log).
     */
    constructor(readonly file: string, private readonly startTailBytes = Number.POSITIVE_INFINITY, private readonly startAt = 0, private readonly maxChunk = 4 << 20) {}

    /** New bytes (at most maxChunk per call; call again while it returns data). */
    read(): TailChunk {
        let size: number;
        let ino: number;
        try {
            const st = lstatSync(this.file);
            const kind = irregularKind(st);
            if (kind !== undefined) return { kind: 'refused', reason: new RefusedFileError(this.file, kind).message };
            size = st.size;
            ino = st.ino;
        } catch {
            return { kind: 'missing' };
        }
        let fromStart = false;
        let skipped = false;
        if (this.inode !== undefined && (ino !== this.inode || size < this.offset)) {
            this.offset = 0; // replaced or truncated: read it again from the top
            fromStart = true;
        }
        if (this.first) {
            this.first = false;
            fromStart = true;
            this.offset = Math.min(this.startAt, size);
            if (size - this.offset > this.startTailBytes) {
                this.offset = size - this.startTailBytes;
                skipped = true;
            }
        }
        this.inode = ino;
        if (size <= this.offset) return fromStart ? { kind: 'data', bytes: Buffer.alloc(0), fromStart, skipped } : { kind: 'none' };
        let fd: number;
        try {
            fd = openRunFileSync(this.file, constants.O_RDONLY); // the type is checked again on the descriptor: no swap in between
        } catch (error) {
            if (error instanceof RefusedFileError) return { kind: 'refused', reason: error.message };
            return { kind: 'none' }; // gone between lstat and open: the next call says missing
        }
        try {
            if (fstatSync(fd).ino !== ino) return { kind: 'none' }; // swapped between stat and open: next call
            const length = Math.min(size - this.offset, this.maxChunk);
            const bytes = Buffer.alloc(length);
            const got = readSync(fd, bytes, 0, length, this.offset);
            this.offset += got;
            return { kind: 'data', bytes: bytes.subarray(0, got), fromStart, skipped };
        } finally {
            closeSync(fd);
        }
    }
}
