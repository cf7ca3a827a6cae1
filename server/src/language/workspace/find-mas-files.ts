import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LoadProblem } from './load-workspace.js';

/** Folders never searched for .mas files: dependencies, build output and hidden folders. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'out', 'dist']);

/**
 * The .mas files named by `paths`: files as given (whatever their extension), folders searched
 * recursively in sorted order. Paths that do not exist become problems, not exceptions.
 */
export async function findMasFiles(paths: readonly string[]): Promise<{ files: string[]; problems: LoadProblem[] }> {
    const files: string[] = [];
    const problems: LoadProblem[] = [];
    for (const path of paths) {
        const absolute = resolve(path);
        try {
            const info = await stat(absolute);
            if (info.isDirectory()) files.push(...(await walk(absolute, problems)));
            else files.push(absolute);
        } catch {
            problems.push({
                path,
                message: `${path} does not exist; pass a .mas file or a folder that contains some.`,
            });
        }
    }
    return { files: [...new Set(files)], problems };
}

async function walk(folder: string, problems: LoadProblem[]): Promise<string[]> {
    let entries;
    try {
        entries = await readdir(folder, { withFileTypes: true });
    } catch {
        problems.push({ path: folder, message: `The folder ${folder} cannot be read; check its permissions.` });
        return [];
    }
    const found: string[] = [];
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) {
            if (!entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name))
                found.push(...(await walk(path, problems)));
        } else if (entry.isFile() && entry.name.endsWith('.mas')) {
            found.push(path);
        }
    }
    return found;
}
