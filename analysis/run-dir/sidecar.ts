import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseBoundedJson } from './json-bounded.js';
import { sameStamp, type FileStamp } from './file-stamp.js';
import { decodeRollouts, encodeRollouts, type RolloutColumns } from './index-codec.js';
import type { JsonlIssue } from './jsonl-lines.js';
import type { StepEntry } from './run-index.js';

const SIDECAR_VERSION = 3;

type StepHead = Omit<StepEntry, 'rollouts'>;

interface SidecarFile {
    version: typeof SIDECAR_VERSION;
    entry: StepHead;
    columns: RolloutColumns;
    issues: JsonlIssue[];
}

/**
 * The index of each step file kept on disk (outside the run directory, which belongs to the trainer), so that
 * reopening a run reads small sidecars instead of scanning every trajectory again. A saved index is used only
 * while its step file has the size, modification time and head hash it was built from; anything unreadable or stale
 * is ignored and rebuilt.
 */
export class SidecarStore {
    constructor(private readonly cacheDir: string) {}

    private dir(realRoot: string): string {
        return path.join(this.cacheDir, createHash('sha256').update(realRoot).digest('hex').slice(0, 24));
    }

    async load(
        realRoot: string,
        step: number,
        stamp: FileStamp,
    ): Promise<{ entry: StepEntry; issues: JsonlIssue[] } | undefined> {
        try {
            const value = parseBoundedJson(
                await readFile(path.join(this.dir(realRoot), `${step}.json`)),
            ) as SidecarFile;
            if (value.version !== SIDECAR_VERSION || value.entry.step !== step || !sameStamp(value.entry, stamp))
                return undefined;
            return { entry: { ...value.entry, rollouts: decodeRollouts(value.columns) }, issues: value.issues };
        } catch {
            return undefined;
        }
    }

    async save(realRoot: string, entry: StepEntry, issues: JsonlIssue[]): Promise<void> {
        const { rollouts, ...head } = entry;
        const file: SidecarFile = { version: SIDECAR_VERSION, entry: head, columns: encodeRollouts(rollouts), issues };
        await this.write(path.join(this.dir(realRoot), `${entry.step}.json`), file);
    }

    /** Best effort, atomic: a cache that cannot be written only costs a re-scan next time. */
    private async write(file: string, value: unknown): Promise<void> {
        try {
            await mkdir(path.dirname(file), { recursive: true });
            const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
            await writeFile(temp, JSON.stringify(value));
            await rename(temp, file);
        } catch {
            // ignored on purpose (read-only storage, disk full): the index in memory is complete
        }
    }
}
