/**
 * Creating a run directory for a new run and the extension's own records in it (protocol/launch.ts).
 * Everything read back from a run directory is untrusted (it lives in the workspace): launch.json is checked
 * field by field before its pid is ever used.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LAUNCH_FILES, LAUNCH_VERSION, type LaunchRecord } from '../../../protocol/launch.js';
import { readJsonObject } from './run-files.js';
import { trainerSubcommand } from './trainer-args.js';

/** `lazy-team` + date → `lazy-team-20261130-001502`: sortable, and safe on every file system. */
export function runDirName(workflow: string, now: Date): string {
    const safe =
        workflow
            .replace(/[^A-Za-z0-9_.-]+/g, '_')
            .replace(/^[.-]+/, '')
            .slice(0, 80) || 'run';
    const pad = (n: number): string => String(n).padStart(2, '0');
    const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
    return `${safe}-${stamp}`;
}

/**
 * Creates `<runsRoot>/<name>` (and runsRoot); never reuses an existing folder, so an earlier run is never
 * overwritten: `-2`, `-3`, ... are appended until mkdir succeeds.
 */
export function createRunDir(runsRoot: string, workflow: string, now: Date): string {
    mkdirSync(runsRoot, { recursive: true });
    const base = runDirName(workflow, now);
    for (let attempt = 1; attempt < 1000; attempt++) {
        const dir = path.join(runsRoot, attempt === 1 ? base : `${base}-${attempt}`);
        try {
            mkdirSync(dir);
            return dir;
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
    }
    throw new Error(`${runsRoot}: could not find a free run directory name for ${base}; remove old runs.`);
}

/**
 * temp + rename in the same folder: a reader sees the old file or the new one, never half. The temporary name is
 * created exclusively ('wx': O_EXCL never follows a link), after removing whatever a crash or the folder's author
 * left under it; rename replaces a link named `file` instead of writing through it.
 */
export function writeJsonAtomic(file: string, value: unknown): void {
    const tmp = path.join(path.dirname(file), `.tmp-${path.basename(file)}-${process.pid}`);
    rmSync(tmp, { force: true });
    writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n', { encoding: 'utf8', flag: 'wx' });
    renameSync(tmp, file);
}

export function writeSpec(runDir: string, spec: unknown): string {
    const file = path.join(runDir, LAUNCH_FILES.spec);
    writeJsonAtomic(file, spec);
    return file;
}

/** The .mas file a run was compiled from (RunSpec `source.file` in spec.json), when spec.json says so. */
export function runSourceFile(runDir: string): string | undefined {
    const source = readJsonObject(path.join(runDir, LAUNCH_FILES.spec))?.['source'];
    const file =
        typeof source === 'object' && source !== null ? (source as Record<string, unknown>)['file'] : undefined;
    return typeof file === 'string' ? file : undefined;
}

export function writeLaunchRecord(runDir: string, record: LaunchRecord): void {
    writeJsonAtomic(path.join(runDir, LAUNCH_FILES.launch), record);
}

const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isIntOrNull = (v: unknown): v is number | null => v === null || isInt(v);
const validOffsets = (v: unknown): boolean =>
    typeof v === 'object' &&
    v !== null &&
    isInt((v as Record<string, unknown>)['process']) &&
    isInt((v as Record<string, unknown>)['trainer']);

/** launch.json, or undefined when absent or malformed (a hand-edited file is never trusted with a pid). */
export function readLaunchRecord(runDir: string): LaunchRecord | undefined {
    const v = readJsonObject(path.join(runDir, LAUNCH_FILES.launch));
    if (v === undefined) return undefined;
    const args = v['args'];
    const valid =
        v['version'] === LAUNCH_VERSION &&
        isInt(v['pid']) &&
        (v['pid'] as number) > 1 &&
        typeof v['python'] === 'string' &&
        Array.isArray(args) &&
        args.every((a) => typeof a === 'string') &&
        isIntOrNull(v['start_ticks']) &&
        typeof v['launched_at'] === 'number' &&
        (v['stop_requested_at'] === null || typeof v['stop_requested_at'] === 'number') &&
        validOffsets(v['log_offsets']);
    return valid ? (v as unknown as LaunchRecord) : undefined;
}

/**
 * A launch record may only describe a trainer of *this* run directory: its arguments must be the trainer's
 * `run` command with `--run-dir=<this dir>`. A crafted launch.json naming some other process is refused.
 */
export function launchBelongsTo(record: LaunchRecord, runDir: string): boolean {
    const command = trainerSubcommand(record.args);
    return command?.[0] === 'run' && command.includes(`--run-dir=${path.resolve(runDir)}`);
}

/** Runs under `runsRoot` that hold a run.json or launch.json, newest name first. */
export function listRunDirs(
    runsRoot: string,
    entries: (dir: string) => string[],
    isRun: (dir: string) => boolean,
): string[] {
    let names: string[];
    try {
        names = entries(runsRoot);
    } catch {
        return [];
    }
    return names
        .map((n) => path.join(runsRoot, n))
        .filter(isRun)
        .sort()
        .reverse();
}
