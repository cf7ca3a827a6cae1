import type { TrajectoryRecord } from '../../protocol/run-dir.js';
import { parseBoundedJson } from './json-bounded.js';
import { resolveInRunDir } from './paths.js';
import { openRegularFile } from './safe-file.js';
import type { LineSpan } from './scan.js';
import { validateTrajectory } from './validate.js';

/**
 * Reads one record from its byte span without touching the rest of the file: the jump behind "open step 900,
 * rollout 12". The span comes from the index; if the file changed since (a resume rewrote it), the bytes no longer
 * parse or name another rollout, and the error says to refresh the index.
 */
export async function readSpan(root: string, relative: string, span: LineSpan): Promise<unknown> {
    const handle = await openRegularFile(await resolveInRunDir(root, relative));
    try {
        const buffer = Buffer.alloc(span.length);
        const { bytesRead } = await handle.read(buffer, 0, span.length, span.offset);
        try {
            return parseBoundedJson(buffer.subarray(0, bytesRead));
        } catch (error) {
            throw new Error(
                `${relative}:${span.line}: the record changed since the run was indexed (${(error as Error).message}); refresh the run.`,
            );
        }
    } finally {
        await handle.close();
    }
}

export async function readRolloutAt(
    root: string,
    relative: string,
    span: LineSpan & { rollout: number },
): Promise<TrajectoryRecord> {
    const value = await readSpan(root, relative, span);
    const checked = validateTrajectory(value);
    if (!checked.ok) throw new Error(`${relative}:${span.line}: ${checked.error}; refresh the run.`);
    if (checked.value.rollout !== span.rollout) {
        throw new Error(
            `${relative}:${span.line}: holds rollout ${checked.value.rollout}, not ${span.rollout}; the file changed since indexing — refresh the run.`,
        );
    }
    return checked.value;
}
