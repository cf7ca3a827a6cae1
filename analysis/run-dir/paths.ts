import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import * as path from 'node:path';

/** A path that would leave the run directory (`..`, absolute, or a symlink pointing outside). */
export class RunPathError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'RunPathError';
    }
}

/**
 * Resolves `relative` inside the run directory `root` and refuses anything that escapes it. Names come from
 * settings, launch configurations and webview messages, so they are untrusted: `..` segments and absolute paths
 * are refused by their text, and the resolved real path (symlinks followed) must still lie under the real root.
 */
export async function resolveInRunDir(root: string, relative: string): Promise<string> {
    checkRelative(relative);
    let realRoot: string;
    try {
        realRoot = await realpath(root);
    } catch {
        throw noRunDir(root);
    }
    const candidate = path.join(realRoot, relative);
    let real: string;
    try {
        real = await realpath(candidate);
    } catch {
        return candidate; // not there (yet): its text is already confined to the root
    }
    return confined(realRoot, relative, real);
}

/**
 * resolveInRunDir for the extension host's synchronous followers (the dashboard's metrics.jsonl, a training
 * session's files): the same rule, with the same checks.
 */
export function resolveInRunDirSync(root: string, relative: string): string {
    checkRelative(relative);
    let realRoot: string;
    try {
        realRoot = realpathSync(root);
    } catch {
        throw noRunDir(root);
    }
    const candidate = path.join(realRoot, relative);
    let real: string;
    try {
        real = realpathSync(candidate);
    } catch {
        return candidate; // not there (yet): its text is already confined to the root
    }
    return confined(realRoot, relative, real);
}

function checkRelative(relative: string): void {
    if (relative.includes('\0'))
        throw new RunPathError(`'${relative}' contains a NUL byte; use a plain file name inside the run directory.`);
    if (path.isAbsolute(relative) || /^[a-zA-Z]:/.test(relative)) {
        throw new RunPathError(`'${relative}' is an absolute path; name a file inside the run directory instead.`);
    }
    if (relative.split(/[\\/]/).includes('..')) {
        throw new RunPathError(`'${relative}' contains '..'; name a file inside the run directory instead.`);
    }
}

function noRunDir(root: string): RunPathError {
    return new RunPathError(`${root}: no such run directory; choose a folder written by the trainer (runs/<name>/).`);
}

/** `real` (the resolved path of `relative`) if it lies under the real root, else the refusal. */
function confined(realRoot: string, relative: string, real: string): string {
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
        throw new RunPathError(
            `'${relative}' is a link to '${real}', outside the run directory '${realRoot}'; it is not read.`,
        );
    }
    return real;
}
