import { readdir, stat } from 'node:fs/promises';
import { RUN_DIR_FILES, type MetricsRecord, type RunJson } from '../../protocol/run-dir.js';
import { AggregateBuilder, type StepAggregate } from './aggregate.js';
import { sameStamp, stampFile, type FileStamp } from './file-stamp.js';
import type { JsonlIssue } from './jsonl-lines.js';
import { resolveInRunDir } from './paths.js';
import type { SidecarStore } from './sidecar.js';
import { readRunJson } from './run-json.js';
import { scanJsonl, type LineSpan } from './scan.js';
import { scanStepFile, type StepScanScratch } from './step-scan.js';
import type { IndexedFields } from './trajectory-scan.js';
import { validateMetrics } from './validate.js';

/** What the index keeps of one rollout (the fields the line scanner extracts) plus where to re-read it. */
export interface RolloutEntry extends LineSpan, IndexedFields {}

export interface StepEntry {
    step: number;
    /** Relative to the run directory. */
    file: string;
    /** File size, mtime and head hash when indexed: a later refresh re-scans only files that changed. */
    size: number;
    mtimeMs: number;
    headHash: string;
    rollouts: RolloutEntry[];
    tornBytes: number;
    /** Credit method → agent × turn sums and counts of this step (run-level heatmaps merge these). */
    aggregates: Record<string, StepAggregate>;
}

export interface RunIndex {
    root: string;
    run: RunJson;
    metrics: MetricsRecord[];
    steps: StepEntry[];
    /** Corrupt lines and unreadable files, as `file:line: message`; reading went on past each. */
    issues: JsonlIssue[];
}

/** Indexes one `trajectories/<step>.jsonl` in a single streaming pass (byte-level: see step-scan.ts). */
export async function indexStepFile(root: string, relative: string, step: number, stamp?: FileStamp, scratch?: StepScanScratch): Promise<{ entry: StepEntry; issues: JsonlIssue[] }> {
    const file = await resolveInRunDir(root, relative);
    // Stamped before the scan: if the file grows meanwhile, the next refresh sees another size and scans again.
    const { size, mtimeMs, headHash } = stamp ?? await stampFile(file);
    const rollouts: RolloutEntry[] = [];
    const aggregate = new AggregateBuilder();
    const scan = await scanStepFile(file, relative, (fields, span) => {
        const entry: RolloutEntry = {
            offset: span.offset, length: span.length, line: span.line, step: fields.step, rollout: fields.rollout, group: fields.group,
            sample: fields.sample, parent: fields.parent, reward: fields.reward, success: fields.success, agents: fields.agents,
            decisionTurns: fields.decisionTurns, credit: fields.credit,
        };
        rollouts.push(entry);
        aggregate.add(entry.agents, entry.decisionTurns, entry.credit);
    }, scratch ? { scratch } : {});
    return {
        entry: { step, file: relative, size, mtimeMs, headHash, rollouts, tornBytes: scan.tornBytes, aggregates: aggregate.build() },
        issues: scan.issues,
    };
}

/** The step files of a run, in step order (none before the first step finishes). */
export async function stepFiles(root: string): Promise<{ step: number; relative: string }[]> {
    const dir = await resolveInRunDir(root, RUN_DIR_FILES.trajectoriesDir);
    let names: string[];
    try {
        names = await readdir(dir);
    } catch {
        return []; // no trajectories yet: the first step has not finished
    }
    return names.flatMap(name => {
        const match = /^(\d+)\.jsonl$/.exec(name);
        return match ? [{ step: Number(match[1]), relative: `${RUN_DIR_FILES.trajectoriesDir}/${name}` }] : [];
    }).sort((a, b) => a.step - b.step);
}

async function readMetrics(root: string, issues: JsonlIssue[]): Promise<MetricsRecord[]> {
    const file = await resolveInRunDir(root, RUN_DIR_FILES.metrics);
    const metrics: MetricsRecord[] = [];
    try {
        await stat(file);
    } catch {
        return metrics;
    }
    const scan = await scanJsonl(file, RUN_DIR_FILES.metrics, (record: MetricsRecord) => metrics.push(record), validateMetrics);
    issues.push(...scan.issues);
    return metrics;
}

/**
 * Builds (or refreshes) the index of a run directory: run.json, every metrics record, and per step file the byte
 * span of each rollout. A step file whose stamp (size, mtime, head hash) did not change is reused from `previous`,
 * else from its saved index in `sidecars`, else scanned again; so following a live run costs one pass over the new
 * files only, and reopening a run costs reading its saved index.
 */
export async function buildRunIndex(root: string, previous?: RunIndex, sidecars?: SidecarStore): Promise<RunIndex> {
    const run = await readRunJson(root);
    const issues: JsonlIssue[] = [];
    const metrics = await readMetrics(root, issues);
    const known = new Map((previous?.root === root ? previous.steps : []).map(s => [s.file, s]));
    const previousIssues = previous?.root === root ? previous.issues : [];
    const realRoot = await resolveInRunDir(root, '.');
    let scanned = false;
    // Stamps and saved indexes are read concurrently; only changed files are scanned (one at a time: memory).
    type Found = { entry: StepEntry; issues: JsonlIssue[] } | { relative: string; step: number; stamp: FileStamp } | { error: JsonlIssue };
    const results = await Promise.all((await stepFiles(root)).map(async ({ step, relative }): Promise<Found> => {
        try {
            const file = await resolveInRunDir(root, relative);
            const stamp = await stampFile(file);
            const old = known.get(relative);
            if (old && sameStamp(old, stamp)) return { entry: old, issues: previousIssues.filter(i => i.file === relative) };
            const cached = await sidecars?.load(realRoot, step, stamp);
            return cached ?? { relative, step, stamp };
        } catch (error) {
            return { error: { file: relative, line: 0, message: `could not be read (${(error as Error).message}); skipped` } };
        }
    }));
    const steps: StepEntry[] = [];
    // Saved indexes are written while the next file is scanned (best effort: the write never fails the build).
    const saves: Promise<void>[] = [];
    const scratch: StepScanScratch = {};
    for (const result of results) {
        if ('error' in result) { issues.push(result.error); continue; }
        if ('entry' in result) { steps.push(result.entry); issues.push(...result.issues); continue; }
        try {
            const indexed = await indexStepFile(root, result.relative, result.step, result.stamp, scratch);
            scanned = true;
            if (sidecars) saves.push(sidecars.save(realRoot, indexed.entry, indexed.issues));
            steps.push(indexed.entry);
            issues.push(...indexed.issues);
        } catch (error) {
            issues.push({ file: result.relative, line: 0, message: `could not be read (${(error as Error).message}); skipped` });
        }
    }
    if (sidecars && (scanned || !previous)) saves.push(sidecars.saveAggregates(realRoot, steps));
    await Promise.all(saves);
    return { root, run, metrics, steps, issues };
}

/** `file:line: message`, the form editors turn into links. */
export function formatIssue(issue: JsonlIssue): string {
    return issue.line > 0 ? `${issue.file}:${issue.line}: ${issue.message}` : `${issue.file}: ${issue.message}`;
}

export function findRollout(index: RunIndex, step: number, rollout: number): { step: StepEntry; entry: RolloutEntry } | undefined {
    const stepEntry = index.steps.find(s => s.step === step);
    const entry = stepEntry?.rollouts.find(r => r.rollout === rollout);
    return stepEntry && entry ? { step: stepEntry, entry } : undefined;
}
