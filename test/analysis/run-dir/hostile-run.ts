import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach } from 'vitest';
import type { HeatmapGrid } from '../../../protocol/trajectory-messages.js';
import { aggregateOf, mergeAggregates } from '../../../analysis/run-dir/aggregate.js';
import type { RunIndex } from '../../../analysis/run-dir/run-index.js';
import { copyFixtureRun } from './fixture-run.js';

/** Scratch copies of the fixture run for tests that damage them; removed after each test. */
export function scratchRuns(): () => string {
    const cleanups: (() => void)[] = [];
    afterEach(() => {
        for (const c of cleanups.splice(0)) c();
    });
    return () => {
        const run = copyFixtureRun();
        cleanups.push(run.dispose);
        return run.root;
    };
}

export const stepFile = (root: string, step: number): string => path.join(root, 'trajectories', `${step}.jsonl`);

export function readStepLines(root: string, step: number): string[] {
    return readFileSync(stepFile(root, step), 'utf8').split('\n').filter(Boolean);
}

export function writeStepLines(root: string, step: number, lines: readonly string[]): void {
    writeFileSync(stepFile(root, step), lines.join('\n') + '\n');
}

type Record = { [key: string]: unknown; turns: { [key: string]: unknown }[]; credit: { [key: string]: number[] } };

/** A record of the fixture's step `step` (rollout `rollout`), as an object to edit. */
export function fixtureRecord(root: string, step: number, rollout: number): Record {
    return JSON.parse(readStepLines(root, step)[rollout]!) as Record;
}

/** The fixture's first record with `agents` turns, agent i named `names[i]`, each turn a decision credited 1. */
export function recordWithAgents(root: string, names: readonly string[], rollout = 99): string {
    const base = fixtureRecord(root, 1, 0);
    const turn = base.turns[0]!;
    const turns = names.map((agent, index) => ({ ...turn, index, agent }));
    const ones = names.map(() => 1);
    return JSON.stringify({
        ...base,
        rollout,
        turns,
        decision_turns: names.map((_, i) => i),
        decision_rewards: names.map(() => null),
        credit: { outcome: ones },
    });
}

/** `'['` × depth + `']'` × depth: a value nested `depth` levels. */
export const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

/** Mean credit per agent × turn index over every step of the index, merged from the per-step aggregates through the
 *  readers' own-key lookup (aggregateOf) and row cap (mergeAggregates): what hostile files must not break. */
export function wholeRunGrid(index: RunIndex, method: string): HeatmapGrid {
    return mergeAggregates(
        index.steps.map((s) => aggregateOf(s.aggregates, method)),
        index.run.spec.agents.map((a) => a.name),
    );
}
