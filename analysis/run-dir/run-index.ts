import { lstat } from 'node:fs/promises';
import { RUN_DIR_FILES, type MetricsRecord, type RunJson } from '../../protocol/run-dir.js';
import { AgentTable } from './agent-table.js';
import { AggregateBuilder, type StepAggregate } from './aggregate.js';
import { sameStamp, stampFile, type FileStamp } from './file-stamp.js';
import type { JsonlIssue } from './jsonl-lines.js';
import { resolveInRunDir } from './paths.js';
import type { SidecarStore } from './sidecar.js';
import { readRunJson } from './run-json.js';
import { scanJsonl, type LineSpan } from './scan.js';
import { stepFiles } from './step-files.js';
import { scanStepFile, type StepScanScratch } from './step-scan.js';
import { MAX_AGENTS_PER_RUN, MAX_ROLLOUT_GRID_CELLS } from './limits.js';
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

/** A rollout whose views would need more than MAX_ROLLOUT_GRID_CELLS heatmap cells: the sentence saying so. */
function gridTooLarge(rows: number, fields: IndexedFields): string | undefined {
    const turns = fields.agents.length,
        methods = Object.keys(fields.credit).length;
    const cells = rows * turns * methods;
    if (cells <= MAX_ROLLOUT_GRID_CELLS) return undefined;
    return `its heatmaps would need ${cells} cells (${rows} agents × ${turns} turns × ${methods} credit methods), more than the ${MAX_ROLLOUT_GRID_CELLS} a rollout may have (MAX_ROLLOUT_GRID_CELLS)`;
}

/**
 * Indexes one `trajectories/<step>.jsonl` in a single streaming pass (byte-level: see step-scan.ts). Lines the
 * trainer would never write are reported with file:line and left out, the first one winning: a record whose `step`
 * is not its file's, a rollout id already seen in the file, a rollout that would take the run past
 * MAX_AGENTS_PER_RUN agents (`table`: the run's agents, shared by the step files of one index build).
 */
export async function indexStepFile(
    root: string,
    relative: string,
    step: number,
    table: AgentTable,
    stamp?: FileStamp,
    scratch?: StepScanScratch,
): Promise<{ entry: StepEntry; issues: JsonlIssue[] }> {
    const file = await resolveInRunDir(root, relative);
    // Stamped before the scan: if the file grows meanwhile, the next refresh sees another size and scans again.
    const { size, mtimeMs, headHash } = stamp ?? (await stampFile(file));
    const rollouts: RolloutEntry[] = [];
    const issues: JsonlIssue[] = [];
    const firstLineOf = new Map<number, number>();
    const aggregate = new AggregateBuilder(table);
    const refuse = (line: number, message: string): void => {
        issues.push({ file: relative, line, message: `${message}; skipped` });
    };
    const take = (fields: IndexedFields, span: LineSpan): void => {
        if (fields.step !== step) return refuse(span.line, `holds step ${fields.step}, but its file is step ${step}'s`);
        const first = firstLineOf.get(fields.rollout);
        if (first !== undefined) return refuse(span.line, `rollout ${fields.rollout} already appears at line ${first}`);
        // Checked before the agents join the run's table, so a refused rollout leaves no empty row behind.
        const rows = table.sizeWith(fields.agents);
        const tooMany =
            (rows <= MAX_AGENTS_PER_RUN ? gridTooLarge(rows, fields) : undefined) ?? table.admit(fields.agents);
        if (tooMany) return refuse(span.line, tooMany);
        firstLineOf.set(fields.rollout, span.line);
        const entry: RolloutEntry = {
            offset: span.offset,
            length: span.length,
            line: span.line,
            step: fields.step,
            rollout: fields.rollout,
            group: fields.group,
            sample: fields.sample,
            parent: fields.parent,
            reward: fields.reward,
            success: fields.success,
            agents: fields.agents,
            decisionTurns: fields.decisionTurns,
            credit: fields.credit,
        };
        aggregate.add(entry.agents, entry.decisionTurns, entry.credit);
        rollouts.push(entry);
    };
    const scan = await scanStepFile(
        file,
        relative,
        (fields, span) => {
            // One bad line costs that line, never the step's other rollouts (an exception here used to drop the file).
            try {
                take(fields, span);
            } catch (error) {
                refuse(span.line, `could not be indexed (${(error as Error).message})`);
            }
        },
        scratch ? { scratch } : {},
    );
    return {
        entry: {
            step,
            file: relative,
            size,
            mtimeMs,
            headHash,
            rollouts,
            tornBytes: scan.tornBytes,
            aggregates: aggregate.build(),
        },
        // The scanner's issues and these, in line order.
        issues: [...scan.issues, ...issues].sort((a, b) => a.line - b.line),
    };
}

async function readMetrics(root: string, issues: JsonlIssue[]): Promise<MetricsRecord[]> {
    const metrics: MetricsRecord[] = [];
    try {
        const file = await resolveInRunDir(root, RUN_DIR_FILES.metrics);
        // lstat: a dangling link is reported below (open fails), not taken for "no metrics yet".
        if (
            !(await lstat(file).then(
                () => true,
                () => false,
            ))
        )
            return metrics;
        const scan = await scanJsonl(
            file,
            RUN_DIR_FILES.metrics,
            (record: MetricsRecord) => metrics.push(record),
            validateMetrics,
        );
        issues.push(...scan.issues);
    } catch (error) {
        // A link out of the run directory, not a regular file (a FIFO, a directory), unreadable: the trajectories
        // can still be shown.
        issues.push({
            file: RUN_DIR_FILES.metrics,
            line: 0,
            message: `could not be read (${(error as Error).message}); skipped`,
        });
        return [];
    }
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
    const declared = run.spec.agents.map((a) => a.name);
    if (new Set(declared).size > MAX_AGENTS_PER_RUN) {
        throw new Error(
            `${root}: run.json declares ${declared.length} agents, more than the ${MAX_AGENTS_PER_RUN} a run may have (MAX_AGENTS_PER_RUN); it cannot be shown.`,
        );
    }
    const issues: JsonlIssue[] = [];
    const metrics = await readMetrics(root, issues);
    const known = new Map((previous?.root === root ? previous.steps : []).map((s) => [s.file, s]));
    const previousIssues = previous?.root === root ? previous.issues : [];
    const realRoot = await resolveInRunDir(root, '.');
    // Stamps and saved indexes are read concurrently; only changed files are scanned (one at a time: memory).
    type Found =
        | { entry: StepEntry; issues: JsonlIssue[] }
        | { relative: string; step: number; stamp: FileStamp }
        | { error: JsonlIssue };
    const results = await Promise.all(
        (await stepFiles(root, issues)).map(async ({ step, relative }): Promise<Found> => {
            try {
                const file = await resolveInRunDir(root, relative);
                const stamp = await stampFile(file);
                const old = known.get(relative);
                if (old && sameStamp(old, stamp))
                    return { entry: old, issues: previousIssues.filter((i) => i.file === relative) };
                const cached = await sidecars?.load(realRoot, step, stamp);
                return cached ?? { relative, step, stamp };
            } catch (error) {
                return {
                    error: {
                        file: relative,
                        line: 0,
                        message: `could not be read (${(error as Error).message}); skipped`,
                    },
                };
            }
        }),
    );
    const steps: StepEntry[] = [];
    // Saved indexes are written while the next file is scanned (best effort: the write never fails the build).
    const saves: Promise<void>[] = [];
    const scratch: StepScanScratch = {};
    // The run's agents, in step order: a reused step's agents were admitted when it was scanned, so they fit again.
    const table = new AgentTable(declared);
    for (const result of results) {
        if ('error' in result) {
            issues.push(result.error);
            continue;
        }
        if ('entry' in result) {
            for (const r of result.entry.rollouts) table.admit(r.agents);
            steps.push(result.entry);
            issues.push(...result.issues);
            continue;
        }
        try {
            const indexed = await indexStepFile(root, result.relative, result.step, table, result.stamp, scratch);
            if (sidecars) saves.push(sidecars.save(realRoot, indexed.entry, indexed.issues));
            steps.push(indexed.entry);
            issues.push(...indexed.issues);
        } catch (error) {
            issues.push({
                file: result.relative,
                line: 0,
                message: `could not be read (${(error as Error).message}); skipped`,
            });
        }
    }
    await Promise.all(saves);
    return { root, run, metrics, steps, issues };
}

/** `file:line: message`, the form editors turn into links. */
export function formatIssue(issue: JsonlIssue): string {
    return issue.line > 0 ? `${issue.file}:${issue.line}: ${issue.message}` : `${issue.file}: ${issue.message}`;
}

export function findRollout(
    index: RunIndex,
    step: number,
    rollout: number,
): { step: StepEntry; entry: RolloutEntry } | undefined {
    const stepEntry = index.steps.find((s) => s.step === step);
    const entry = stepEntry?.rollouts.find((r) => r.rollout === rollout);
    return stepEntry && entry ? { step: stepEntry, entry } : undefined;
}
