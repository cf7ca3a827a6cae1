import { createHash } from 'node:crypto';
import { openRegularFile } from './safe-file.js';

/** Bytes at the start of a file that a saved index remembers the hash of. */
export const HEAD_BYTES = 16 * 1024;

/**
 * What a saved index remembers of the file it was built from. Size and mtime catch appends and most rewrites; the
 * hash of the head catches a file rewritten to the same size within the clock's resolution (a resumed run that
 * re-wrote a step), which size + mtime alone would miss.
 */
export interface FileStamp {
    size: number;
    mtimeMs: number;
    headHash: string;
}

export async function stampFile(file: string): Promise<FileStamp> {
    const handle = await openRegularFile(file);
    try {
        const info = await handle.stat();
        const head = Buffer.alloc(Math.min(HEAD_BYTES, info.size));
        const { bytesRead } = await handle.read(head, 0, head.length, 0);
        const headHash = createHash('sha256').update(head.subarray(0, bytesRead)).digest('hex').slice(0, 32);
        return { size: info.size, mtimeMs: info.mtimeMs, headHash };
    } finally {
        await handle.close();
    }
}

export function sameStamp(a: FileStamp | undefined, b: FileStamp): boolean {
    return a !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs && a.headHash === b.headHash;
}
