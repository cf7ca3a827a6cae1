import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_TURNS_PER_ROLLOUT } from '../../../analysis/run-dir/limits.js';
import { buildReportData } from '../../../analysis/run-dir/report-data.js';
import { buildRunIndex, formatIssue } from '../../../analysis/run-dir/run-index.js';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import { creditMethods, rolloutView } from '../../../analysis/run-dir/view-model.js';
import { readStepLines, recordWithAgents, scratchRuns, wholeRunGrid, writeStepLines } from './hostile-run.js';

const scratch = scratchRuns();

describe('keys from files (F9)', () => {
    it('credit methods named toString, constructor and __proto__ are methods like any other in the index, heatmaps and report', async () => {
        const root = scratch();
        for (const step of [1, 2, 3]) {
            // Every rollout has `toString` and `__proto__`; only even rollouts have `constructor`.
            writeStepLines(
                root,
                step,
                readStepLines(root, step).map((line, i) => {
                    const renamed = line.replace('"outcome":', '"toString":').replace('"turn_level":', '"__proto__":');
                    return i % 2 === 0
                        ? renamed.replace('"agent_normalized":', '"constructor":')
                        : renamed.replace(/,"agent_normalized":\[[^\]]*\]/, '');
                }),
            );
        }
        const reader = new RunDirService();
        const index = await reader.index(root);
        expect(index.issues).toEqual([]);
        expect(creditMethods(index).sort()).toEqual(['__proto__', 'constructor', 'toString']);
        expect(Object.keys(index.steps[0]!.rollouts[1]!.credit).sort()).toEqual(['__proto__', 'toString']);
        const { data } = await buildReportData(reader, index, { maxBytes: 50_000_000 });
        expect(Object.keys(data.steps[0]!.heatmaps).sort()).toEqual(['__proto__', 'constructor', 'toString']);
        for (const method of ['toString', 'constructor', '__proto__']) {
            const grid = wholeRunGrid(index, method);
            expect(grid.rows).toEqual(['first', 'second', 'lazy']);
            expect([...grid.values].some((v) => !Number.isNaN(v))).toBe(true);
        }
        const view = rolloutView(index, await reader.rollout(root, 1, 1));
        expect(view.agreement.every((a) => a.decisions >= 0)).toBe(true);
        expect(Object.keys(view.heatmaps).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    });

    it('a criterion named toString with no recorded error shows no error', async () => {
        const root = scratch();
        writeStepLines(
            root,
            1,
            readStepLines(root, 1).map((line) => line.replace('"first_part":', '"toString":')),
        );
        const reader = new RunDirService();
        const index = await reader.index(root);
        const view = rolloutView(index, await reader.rollout(root, 1, 0));
        const row = view.rubric!.criteria.find((c) => c.name === 'toString')!;
        expect(row).toBeDefined();
        expect(row.error).toBeUndefined();
        expect(() => structuredClone(view)).not.toThrow();
    });
});

describe('silent acceptance reported with file:line (F14)', () => {
    it('a duplicate rollout id in a step: the first line is kept, the later one reported', async () => {
        const root = scratch();
        const lines = readStepLines(root, 2);
        writeStepLines(root, 2, [...lines, lines[4]!]);
        const index = await buildRunIndex(root);
        expect(index.steps[1]!.rollouts).toHaveLength(12);
        expect(index.steps[1]!.rollouts[4]!.line).toBe(5);
        expect(index.issues.map(formatIssue)).toEqual([
            'trajectories/2.jsonl:13: rollout 4 already appears at line 5; skipped',
        ]);
    });

    it('0003.jsonl beside 3.jsonl: only the name the trainer writes is read, the other reported', async () => {
        const root = scratch();
        const other = readStepLines(root, 3).map((line) => line.replace('"reward":', '"reward":1e3+0*'));
        writeFileSync(path.join(root, 'trajectories', '0003.jsonl'), other.join('\n'));
        const index = await buildRunIndex(root);
        expect(index.steps.map((s) => [s.step, s.file])).toEqual([
            [1, 'trajectories/1.jsonl'],
            [2, 'trajectories/2.jsonl'],
            [3, 'trajectories/3.jsonl'],
        ]);
        expect(index.issues.map(formatIssue)).toEqual([
            'trajectories/0003.jsonl: is not the name the trainer gives step 3 (3.jsonl); skipped, so that a step is read from one file only',
        ]);
    });

    it('a record whose step differs from its file is reported and left out', async () => {
        const root = scratch();
        const lines = readStepLines(root, 1);
        lines[7] = lines[7]!.replace('"step":1,', '"step":2,');
        writeStepLines(root, 1, lines);
        const index = await buildRunIndex(root);
        expect(index.steps[0]!.rollouts.map((r) => r.rollout)).not.toContain(7);
        expect(index.steps[0]!.rollouts).toHaveLength(11);
        expect(index.issues.map(formatIssue)).toEqual([
            "trajectories/1.jsonl:8: holds step 2, but its file is step 1's; skipped",
        ]);
    });

    it('a rollout longer than MAX_TURNS_PER_ROLLOUT is reported, not sized into a table (keys: see reader-limits)', async () => {
        const root = scratch();
        const long = recordWithAgents(root, new Array<string>(MAX_TURNS_PER_ROLLOUT + 1).fill('first'), 77);
        writeStepLines(root, 1, [...readStepLines(root, 1), long]);
        const index = await buildRunIndex(root);
        expect(index.steps[0]!.rollouts).toHaveLength(12);
        expect(index.issues.map(formatIssue)).toEqual([
            `trajectories/1.jsonl:13: 'turns' has ${MAX_TURNS_PER_ROLLOUT + 1} turns, more than the ${MAX_TURNS_PER_ROLLOUT} a rollout may have (MAX_TURNS_PER_ROLLOUT); skipped`,
        ]);
        const grid = wholeRunGrid(index, 'outcome');
        expect(grid.columns).toHaveLength(3);
    });
});
