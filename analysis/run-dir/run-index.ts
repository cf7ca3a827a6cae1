import { readdir, stat } from 'node:fs/promises';
import { RUN_DIR_FILES, type MetricsRecord, type RunJson, type TrajectoryRecord } from '../../protocol/run-dir.js';
import { AggregateBuilder, type StepAggregate } from './aggregate.js';
import type { JsonlIssue } from './jsonl-lines.js';
import { resolveInRunDir } from './paths.js';
import type { SidecarStore } from './sidecar.js';
import { readRunJson } from './run-json.js';
import { scanJsonl, type LineSpan } from './scan.js';
import { validateMetrics, validateTrajectory } from './validate.js';

/** What the index keeps of one rollout: enough for navigation and run-level heatmaps, plus where to re-read it. */
export interface RolloutEntry extends LineSpan {
    step: number;
    rollout: number;
    group: number;
    sample: number;
    parent: number | null;
    reward: number;
    success: boolean;
    /** Acting agent of each turn. */
    agents: string[];
    decisionTurns: number[];
    /** Credit method → one credit per decision. */
    credit: Record<string, number[]>;
}

export interface StepEntry {
    step: number;
    /** Relative to the run directory. */
    file: string;
    /** File size when indexed: a later refresh re-scans only files that changed. */
    size: number;
    mtimeMs: number;
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

function entryOf(record: TrajectoryRecord, span: LineSpan): RolloutEntry {
    const agents = new Array<string>(record.turns.length);
    for (let i = 0; i < record.turns.length; i++) agents[i] = record.turns[i]!.agent;
    return {
        offset: span.offset, length: span.length, line: span.line,
        step: record.step, rollout: record.rollout, group: record.group, sample: record.sample,
        parent: record.parent, reward: record.reward, success: record.success === true,
        agents, decisionTurns: record.decision_turns, credit: record.credit,
    };
}

/** Indexes one `trajectories/<step>.jsonl` in a single streaming pass. */
export async function indexStepFile(root: string, relative: string, step: number): Promise<{ entry: StepEntry; issues: JsonlIssue[] }> {
    const file = await resolveInRunDir(root, relative);
    const info = await stat(file);
    const rollouts: RolloutEntry[] = [];
    const aggregate = new AggregateBuilder();
    const scan = await scanJsonl(file, relative, (record: TrajectoryRecord, span) => {
        const entry = entryOf(record, span);
        rollouts.push(entry);
        aggregate.add(entry.agents, entry.decisionTurns, entry.credit);
    }, validateTrajectory);
    return {
        entry: { step, file: relative, size: info.size, mtimeMs: info.mtimeMs, rollouts, tornBytes: scan.tornBytes, aggregates: aggregate.build() },
        issues: scan.issues,
    };
}

async function stepFiles(root: string): Promise<{ step: number; relative: string }[]> {
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
 * span of each rollout. With `previous`, step files whose size and mtime did not change are reused as they are, so
 * following a live run costs one pass over the new files only.
 */
export async function buildRunIndex(root: string, previous?: RunIndex, sidecars?: SidecarStore): Promise<RunIndex> {
    const run = await readRunJson(root);
    const issues: JsonlIssue[] = [];
    const metrics = await readMetrics(root, issues);
    const known = new Map((previous?.root === root ? previous.steps : []).map(s => [s.file, s]));
    const previousIssues = previous?.root === root ? previous.issues : [];
    const steps: StepEntry[] = [];
    const realRoot = await resolveInRunDir(root, '.');
    for (const { step, relative } of await stepFiles(root)) {
        const old = known.get(relative);
        try {
            const info = await stat(await resolveInRunDir(root, relative));
            if (old && old.size === info.size && old.mtimeMs === info.mtimeMs) {
                steps.push(old);
                issues.push(...previousIssues.filter(i => i.file === relative));
                continue;
            }
            const cached = await sidecars?.load(realRoot, step, info.size, info.mtimeMs);
            const indexed = cached ?? await indexStepFile(root, relative, step);
            if (sidecars && !cached) await sidecars.save(realRoot, indexed.entry, indexed.issues);
            steps.push(indexed.entry);
            issues.push(...indexed.issues);
        } catch (error) {
            issues.push({ file: relative, line: 0, message: `could not be read (${(error as Error).message}); skipped` });
        }
    }
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
