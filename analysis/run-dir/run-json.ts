import * as path from 'node:path';
import { RUN_DIR_FILES, RUN_DIR_VERSION, type RunJson } from '../../protocol/run-dir.js';
import { BoundedJsonError, parseBoundedJson } from './json-bounded.js';
import { resolveInRunDir } from './paths.js';
import { runJsonChecker } from './run-json-schema.js';
import { NotRegularFileError, readRegularFile } from './safe-file.js';

/** One schema check per process, compiled when run.json is first read. */
const checkRunJson = runJsonChecker();

/**
 * Reads `run.json`; a clear error when it is missing, not a regular file, unparsable, nested too deep, of a version
 * this reader does not know, or not matching protocol/schemas/run-dir/run.schema.json (the message names the field).
 */
export async function readRunJson(root: string): Promise<RunJson> {
    const file = await resolveInRunDir(root, RUN_DIR_FILES.run);
    let bytes: Uint8Array;
    try {
        bytes = await readRegularFile(file);
    } catch (error) {
        // Through a link, the refused file has another name: say both.
        if (error instanceof NotRegularFileError) {
            const named = path.join(root, RUN_DIR_FILES.run);
            throw new Error(error.file === named ? error.message : `${named}: ${error.message}`);
        }
        throw new Error(`${file}: no run.json here; choose a run directory written by the trainer (runs/<name>/).`);
    }
    let value: unknown;
    try {
        value = parseBoundedJson(bytes);
    } catch (error) {
        const what =
            error instanceof BoundedJsonError && error.kind === 'depth'
                ? error.message
                : `not valid JSON (${(error as Error).message})`;
        throw new Error(
            `${file}: ${what}; the trainer writes it atomically, so the file was changed by hand or by another tool.`,
        );
    }
    const version = (value as { version?: unknown } | null)?.version;
    if (version !== RUN_DIR_VERSION) {
        throw new Error(
            `${file}: run directory version ${JSON.stringify(version)} is not supported (this extension reads version ${RUN_DIR_VERSION}); update MAS Studio or the trainer so they match.`,
        );
    }
    const checked = await checkRunJson(value);
    if (!checked.ok) {
        throw new Error(
            `${file}: ${checked.error}; run.json is written by the trainer, so it was changed by hand or by another tool (protocol/schemas/run-dir/run.schema.json).`,
        );
    }
    return checked.value;
}
