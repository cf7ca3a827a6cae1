/**
 * Synchronous opening of run-directory files for the extension host's followers (dashboard, training session) and
 * for the extension's own records (process.log, launch.json). A run directory is untrusted: a file in it may be a
 * symbolic link out of it, or a FIFO that would block the thread that opens or reads it for ever. The async
 * readers' twin is safe-file.ts (openRegularFile); the rule is the same: only regular files, judged on the
 * opened descriptor, never through a link.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';

/** A run-directory file that is not opened: a symbolic link, a FIFO, a device, a directory. */
export class RefusedFileError extends Error {
    constructor(
        readonly file: string,
        readonly kind: string,
    ) {
        super(
            `${file} is ${kind}; a run directory holds only regular files its trainer wrote, so it is not ${kind === 'a symbolic link' ? 'followed' : 'opened'}.`,
        );
        this.name = 'RefusedFileError';
    }
}

/** O_NOFOLLOW: the kernel refuses a link as the last component (no check-then-open race). O_NONBLOCK: a FIFO never blocks the open. Both 0 where absent (Windows). */
const SAFE_FLAGS = (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** What kind of non-regular file `info` (from lstat or fstat) describes; undefined for a regular file. */
export function irregularKind(info: Stats): string | undefined {
    if (info.isFile()) return undefined;
    if (info.isSymbolicLink()) return 'a symbolic link';
    if (info.isFIFO()) return 'a FIFO (named pipe)';
    if (info.isDirectory()) return 'a directory';
    if (info.isSocket()) return 'a socket';
    if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
    return 'not a plain file';
}

/** The refusal an open error stands for: ELOOP (EMLINK on BSD) is O_NOFOLLOW meeting a link, ENXIO a FIFO without a reader opened for writing. */
function refusalOf(file: string, error: NodeJS.ErrnoException): RefusedFileError | undefined {
    if (error.code === 'ELOOP' || error.code === 'EMLINK') return new RefusedFileError(file, 'a symbolic link');
    if (error.code === 'ENXIO') return new RefusedFileError(file, 'a FIFO (named pipe)');
    if (error.code === 'EISDIR') return new RefusedFileError(file, 'a directory');
    return undefined;
}

/**
 * Opens `file` with `flags` (fs.constants, e.g. O_WRONLY | O_CREAT | O_APPEND) only if it is a regular file reached
 * without following a link; throws RefusedFileError otherwise, and the usual fs errors (ENOENT …). The caller closes
 * the descriptor.
 */
export function openRunFileSync(file: string, flags: number, mode = 0o644): number {
    let fd: number;
    try {
        fd = openSync(file, flags | SAFE_FLAGS, mode);
    } catch (error) {
        throw refusalOf(file, error as NodeJS.ErrnoException) ?? error;
    }
    const kind = irregularKind(fstatSync(fd));
    if (kind !== undefined) {
        closeSync(fd);
        throw new RefusedFileError(file, kind);
    }
    return fd;
}

/** The whole content of a regular run-directory file (see openRunFileSync). */
export function readRunFileSync(file: string): Buffer {
    const fd = openRunFileSync(file, constants.O_RDONLY);
    try {
        return readFileSync(fd);
    } finally {
        closeSync(fd);
    }
}
