import * as path from 'node:path';

/** Where a run's .mas file is looked for, and what was found. */
export interface WorkflowSource {
    /** The file to use, or undefined when no candidate exists. */
    file: string | undefined;
    /** True when `file` is the recorded path itself, outside every workspace folder (a run from another machine or checkout). */
    outsideWorkspace: boolean;
}

function inside(folder: string, file: string): boolean {
    const rel = path.relative(folder, file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The .mas file a run was compiled from, as this workspace has it. The run records the absolute path on the machine
 * that trained it (RunSpec `source.file`); re-scoring and the debugger must read the workspace's copy, which the user
 * edits, not a file in another checkout (first-hour bug B2). In order:
 * 1. the recorded path, when it lies inside a workspace folder;
 * 2. the longest tail of the recorded path that exists under a workspace folder (`/other/checkout/examples/x/x.mas`
 *    → `<folder>/examples/x/x.mas`, else `<folder>/x/x.mas`, else `<folder>/x.mas`);
 * 3. the recorded path itself when it exists (flagged `outsideWorkspace`, so the caller says so).
 */
export function resolveWorkflowSource(
    recorded: string,
    folders: readonly string[],
    exists: (file: string) => boolean,
): WorkflowSource {
    const absolute = path.isAbsolute(recorded);
    if (absolute && folders.some((folder) => inside(folder, recorded)) && exists(recorded))
        return { file: recorded, outsideWorkspace: false };
    const parts = recorded.split(/[\\/]+/).filter((part) => part !== '' && part !== '.' && part !== '..');
    for (let take = parts.length; take >= 1; take--) {
        const tail = parts.slice(parts.length - take);
        for (const folder of folders) {
            const candidate = path.join(folder, ...tail);
            if (exists(candidate)) return { file: candidate, outsideWorkspace: false };
        }
    }
    if (absolute && exists(recorded)) return { file: recorded, outsideWorkspace: true };
    return { file: undefined, outsideWorkspace: false };
}
