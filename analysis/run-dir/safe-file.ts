import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { irregularKind } from './safe-file-sync.js';

/** A run-directory path that is not a regular file (a FIFO, a socket, a device, a directory): never read. */
export class NotRegularFileError extends Error {
    constructor(
        readonly file: string,
        kind: string,
    ) {
        super(
            `${file} is ${kind}, not a regular file; run directories hold only files the trainer wrote, so it is not read.`,
        );
        this.name = 'NotRegularFileError';
    }
}

/** O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer (0 on Windows). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Opens a run-directory file for reading only if it is a regular file, judged on the opened descriptor (fstat), so
 * nothing can be swapped in between a check and the open. A FIFO named run.json or 3.jsonl would otherwise block the
 * reading thread forever (open() waits for a writer, read() for data). The caller closes the handle.
 */
export async function openRegularFile(file: string): Promise<FileHandle> {
    const handle = await open(file, OPEN_FLAGS);
    try {
        const info = await handle.stat();
        const kind = irregularKind(info); // one description of file kinds, shared with the synchronous twin
        if (kind !== undefined) throw new NotRegularFileError(file, kind);
        return handle;
    } catch (error) {
        await handle.close();
        throw error;
    }
}

/** The whole content of a regular file (see openRegularFile). */
export async function readRegularFile(file: string): Promise<Buffer> {
    const handle = await openRegularFile(file);
    try {
        return await handle.readFile();
    } finally {
        await handle.close();
    }
}
