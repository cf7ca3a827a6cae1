import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { JsonlIssue } from './jsonl-lines.js';
import type { StepEntry } from './run-index.js';

const SIDECAR_VERSION = 1;

interface SidecarFile {
    version: typeof SIDECAR_VERSION;
    entry: StepEntry;
    issues: JsonlIssue[];
}

/**
 * The index of each step file kept on disk (outside the run directory, which belongs to the trainer), so that
 * reopening a run reads small sidecars instead of parsing every trajectory again. A sidecar is used only while its
 * step file has the size and modification time it was built from; anything unreadable is ignored and rebuilt.
 */
export class SidecarStore {
    constructor(private readonly cacheDir: string) {}

    private file(realRoot: string, step: number): string {
        const key = createHash('sha256').update(realRoot).digest('hex').slice(0, 24);
        return path.join(this.cacheDir, key, `${step}.json`);
    }

    async load(realRoot: string, step: number, size: number, mtimeMs: number): Promise<{ entry: StepEntry; issues: JsonlIssue[] } | undefined> {
        try {
            const value = JSON.parse(await readFile(this.file(realRoot, step), 'utf8')) as SidecarFile;
            if (value.version !== SIDECAR_VERSION || value.entry.size !== size || value.entry.mtimeMs !== mtimeMs || value.entry.step !== step) return undefined;
            return { entry: value.entry, issues: value.issues };
        } catch {
            return undefined;
        }
    }

    /** Best effort: a cache that cannot be written only costs a re-parse next time. */
    async save(realRoot: string, entry: StepEntry, issues: JsonlIssue[]): Promise<void> {
        const file = this.file(realRoot, entry.step);
        try {
            await mkdir(path.dirname(file), { recursive: true });
            const temp = `${file}.${process.pid}.tmp`;
            await writeFile(temp, JSON.stringify({ version: SIDECAR_VERSION, entry, issues } satisfies SidecarFile));
            await rename(temp, file);
        } catch {
            // ignored on purpose (read-only storage, disk full): the index in memory is complete
        }
    }
}
