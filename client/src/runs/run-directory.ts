/**
 * The one rule for "is this folder a run directory", used by Open Run…, the dashboard, the trajectory view's picker
 * and re-attach on activation. A run directory is untrusted: this only looks at names, it reads nothing.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LAUNCH_FILES } from '../../../protocol/launch.js';
import { RUN_DIR_FILES } from '../../../protocol/run-dir.js';
import { listRunDirs } from '../training/run-dir.js';

/**
 * Any of these makes a folder a run directory: run.json and metrics.jsonl are the trainer's; launch.json is a run
 * the extension has just launched, before the trainer wrote its first file.
 */
export const RUN_DIR_MARKERS = [RUN_DIR_FILES.run, RUN_DIR_FILES.metrics, LAUNCH_FILES.launch] as const;

/** Why a folder cannot be shown as a run, or undefined when it looks like a run directory. */
export function runDirProblem(dir: string): string | undefined {
    if (!existsSync(dir)) return `${dir} does not exist.`;
    if (!isRunDirectory(dir)) {
        return `${dir} is not a run directory (it has none of ${RUN_DIR_MARKERS.join(', ')}). Choose a folder under runs/ written by the trainer.`;
    }
    return undefined;
}

export function isRunDirectory(dir: string): boolean {
    return RUN_DIR_MARKERS.some((name) => existsSync(join(dir, name)));
}

/** The run directories under each folder's runs/ (newest first, as their names are dated). */
export function workspaceRunDirs(folders: readonly string[]): string[] {
    return folders.map((f) => join(f, 'runs')).flatMap((root) => listRunDirs(root, (d) => readdirSync(d), isRunDirectory));
}
