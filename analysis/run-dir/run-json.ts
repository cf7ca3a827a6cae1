import { readFile } from 'node:fs/promises';
import { RUN_DIR_FILES, RUN_DIR_VERSION, type RunJson } from '../../protocol/run-dir.js';
import { resolveInRunDir } from './paths.js';

/** Reads `run.json`; a clear error when it is missing, unparsable or of a version this reader does not know. */
export async function readRunJson(root: string): Promise<RunJson> {
    const file = await resolveInRunDir(root, RUN_DIR_FILES.run);
    let text: string;
    try {
        text = await readFile(file, 'utf8');
    } catch {
        throw new Error(`${file}: no run.json here; choose a run directory written by the trainer (runs/<name>/).`);
    }
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (error) {
        throw new Error(`${file}: not valid JSON (${(error as Error).message}); the trainer writes it atomically, so the file was changed by hand or by another tool.`);
    }
    const version = (value as { version?: unknown } | null)?.version;
    if (version !== RUN_DIR_VERSION) {
        throw new Error(`${file}: run directory version ${JSON.stringify(version)} is not supported (this extension reads version ${RUN_DIR_VERSION}); update MAS Studio or the trainer so they match.`);
    }
    return value as RunJson;
}
