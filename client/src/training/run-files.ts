/** Reading the run directory's files for a followed session: run.json, the spec, the logs. Missing or torn files read as absent. */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseBoundedJson } from '../../../analysis/run-dir/json-bounded.js';
import { LAUNCH_FILES } from '../../../protocol/launch.js';
import { RUN_DIR_FILES, type RunJson } from '../../../protocol/run-dir.js';
// Logs and the checkpoint marker are read on the extension host's thread: never behind a link, never from a FIFO.
import { readRunFileSync } from '../../../analysis/run-dir/safe-file-sync.js';

/**
 * A log's text from `offset` on (at most its last `maxBytes`) and the 1-based number of its first line in the
 * file, so "Show Log" can open the right line.
 */
export function readLogFrom(file: string, offset: number, maxBytes = 16 << 20): { text: string; firstLine: number } {
    let buffer: Buffer;
    try {
        buffer = readRunFileSync(file);
    } catch {
        return { text: '', firstLine: 1 };
    }
    const start = Math.min(buffer.length, Math.max(offset, buffer.length - maxBytes));
    let firstLine = 1;
    for (let i = buffer.indexOf(0x0a); i !== -1 && i < start; i = buffer.indexOf(0x0a, i + 1)) firstLine++;
    return { text: buffer.subarray(start).toString('utf8'), firstLine };
}

/** A JSON object read from a run-directory file; undefined when the file is missing, unparsable or not an object. */
export function readJsonObject(file: string): Record<string, unknown> | undefined {
    let value: unknown;
    try {
        // A FIFO would block this (synchronous) read forever; a value too deep would overflow a stack later.
        if (!statSync(file).isFile()) return undefined;
        value = parseBoundedJson(readFileSync(file));
    } catch {
        return undefined;
    }
    return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
}

/** run.json, when it parses and its fields used here have their declared types (it is a workspace file: untrusted). */
export function readRunStatus(runDir: string): RunJson | undefined {
    const v = readJsonObject(path.join(runDir, RUN_DIR_FILES.run));
    if (v === undefined) return undefined;
    const ok =
        typeof v['workflow'] === 'string' &&
        typeof v['status'] === 'string' &&
        Number.isSafeInteger(v['steps_total']) &&
        Number.isSafeInteger(v['steps_completed']) &&
        (v['error'] === null || v['error'] === undefined || typeof v['error'] === 'string');
    return ok ? (v as unknown as RunJson) : undefined;
}

/**
 * The step of the newest complete checkpoint, from `latest_checkpointed_iteration.txt` (the trainer rewrites it
 * atomically after each checkpoint folder is in place); undefined when no checkpoint was saved yet or the file is
 * not a step number.
 */
export function readLatestCheckpoint(runDir: string): number | undefined {
    let text: string;
    try {
        text = readRunFileSync(path.join(runDir, RUN_DIR_FILES.latestCheckpoint)).toString('utf8');
    } catch {
        return undefined;
    }
    const step = /^\s*(\d{1,15})\s*$/.exec(text)?.[1];
    return step === undefined ? undefined : Number(step);
}

/** Workflow name and step count from the spec the extension wrote (run.json does not exist before the trainer starts). */
export function specFacts(runDir: string): { workflow?: string; steps?: number } {
    try {
        const spec = parseBoundedJson(readFileSync(path.join(runDir, LAUNCH_FILES.spec))) as {
            workflow?: unknown;
            train?: { steps?: unknown };
        };
        const steps = spec.train?.steps;
        return {
            ...(typeof spec.workflow === 'string' ? { workflow: spec.workflow } : {}),
            ...(typeof steps === 'number' ? { steps } : {}),
        };
    } catch {
        return {};
    }
}
