import { describe, expect, it } from 'vitest';
import { AgentTable } from '../../../analysis/run-dir/agent-table.js';
import { AggregateBuilder, mergeAggregates } from '../../../analysis/run-dir/aggregate.js';
import { MAX_AGENTS_PER_RUN, MAX_ROLLOUT_GRID_CELLS } from '../../../analysis/run-dir/limits.js';
import { buildReportData } from '../../../analysis/run-dir/report-data.js';
import { buildRunIndex, formatIssue } from '../../../analysis/run-dir/run-index.js';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import { readStepLines, recordWithAgents, scratchRuns, wholeRunGrid, writeStepLines } from './hostile-run.js';

const scratch = scratchRuns();
const names = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('bounded memory: agents per run (F5)', () => {
    it('refuses a line naming 11 000 distinct agents with a clear error, fast, and reads the rest of its step', async () => {
        const root = scratch();
        const lines = readStepLines(root, 1);
        const bomb = recordWithAgents(root, names('agent-', 11_000));
        expect(bomb.length).toBeGreaterThan(1_500_000); // the probe's 1.5 MB line
        writeStepLines(root, 1, [...lines.slice(0, 5), bomb, ...lines.slice(5)]);
        const started = performance.now();
        const reader = new RunDirService();
        const index = await reader.index(root);
        const { data } = await buildReportData(reader, index, { maxBytes: 50_000_000 });
        const heatmap = wholeRunGrid(index, 'outcome');
        const seconds = (performance.now() - started) / 1000;
        // The probe: 198 s, then V8 ran out of memory at 7.2 GB. Generous bound, an order of magnitude below it.
        expect(seconds).toBeLessThan(19.8);
        expect(index.steps[0]!.rollouts).toHaveLength(12);
        expect(index.steps[0]!.rollouts.map((r) => r.rollout)).toEqual(Array.from({ length: 12 }, (_, i) => i));
        expect(index.issues.map(formatIssue)).toEqual([
            `trajectories/1.jsonl:6: 'turns' name 11000 distinct agents, more than the ${MAX_AGENTS_PER_RUN} a run may have (MAX_AGENTS_PER_RUN); skipped`,
        ]);
        expect(data.steps.map((s) => s.rollouts.length)).toEqual([12, 12, 12]);
        expect(heatmap.rows).toEqual(['first', 'second', 'lazy']);
    });

    it('counts agents over the whole run: a line that would take it past the cap is refused, earlier ones kept', async () => {
        const root = scratch();
        const lines = readStepLines(root, 2);
        const fits = recordWithAgents(root, names('a', 200), 50).replace('"step":1', '"step":2');
        const over = recordWithAgents(root, names('b', 200), 51).replace('"step":1', '"step":2');
        writeStepLines(root, 2, [...lines, fits, over]);
        const index = await buildRunIndex(root);
        expect(index.steps[1]!.rollouts.map((r) => r.rollout)).toEqual([
            ...Array.from({ length: 12 }, (_, i) => i),
            50,
        ]);
        expect(index.issues.map(formatIssue)).toEqual([
            `trajectories/2.jsonl:14: the run would name 403 distinct agents, more than the ${MAX_AGENTS_PER_RUN} a run may have (MAX_AGENTS_PER_RUN); skipped`,
        ]);
        const grid = wholeRunGrid(index, 'outcome');
        expect(grid.rows).toHaveLength(203);
        expect(grid.rows.slice(0, 3)).toEqual(['first', 'second', 'lazy']);
    });

    it('refuses a rollout whose heatmaps would need more than MAX_ROLLOUT_GRID_CELLS cells (agents × turns × methods)', async () => {
        const root = scratch();
        const base = JSON.parse(
            recordWithAgents(
                root,
                names('w', 400).map((_, i) => `w${i % 200}`),
                60,
            ),
        ) as { credit: Record<string, number[]> };
        const ones = base.credit['outcome']!;
        base.credit = Object.fromEntries(Array.from({ length: 64 }, (_, m) => [`method-${m}`, ones]));
        writeStepLines(root, 1, [...readStepLines(root, 1), JSON.stringify(base)]);
        const index = await buildRunIndex(root);
        expect(index.steps[0]!.rollouts).toHaveLength(12);
        expect(index.issues.map(formatIssue)).toEqual([
            `trajectories/1.jsonl:13: its heatmaps would need 5196800 cells (203 agents × 400 turns × 64 credit methods), more than the ${MAX_ROLLOUT_GRID_CELLS} a rollout may have (MAX_ROLLOUT_GRID_CELLS); skipped`,
        ]);
        // The refused rollout's agents did not join the run: its heatmap keeps the three declared rows.
        expect(wholeRunGrid(index, 'outcome').rows).toEqual(['first', 'second', 'lazy']);
    });

    it('keys aggregate cells collision-free: row 0 at turn 1 000 003 and row 1 at turn 0 stay apart (F14)', () => {
        const table = new AgentTable(['a', 'b']);
        const agents = new Array<string>(1_000_004).fill('a');
        agents[0] = 'b';
        const builder = new AggregateBuilder(table);
        builder.add(agents, [0, 1_000_003], { outcome: [5, 7] });
        const outcome = builder.build()['outcome']!;
        // [row, turn, sum, count] quadruples over rows ['a', 'b'] (the run's order): both cells, each with its own sum.
        expect(outcome.agents).toEqual(['a', 'b']);
        expect(outcome.cells).toEqual([0, 1_000_003, 7, 1, 1, 0, 5, 1]);
        expect(outcome.width).toBe(1_000_004);
    });

    it('merges saved aggregates into at most MAX_AGENTS_PER_RUN rows, ignoring cells that name no row', () => {
        const many = { agents: names('x', 300), width: 2, cells: [0, 0, 1, 1, 299, 1, 2, 1, 400, 0, 9, 1] };
        const grid = mergeAggregates([many], ['x0']);
        expect(grid.rows).toHaveLength(MAX_AGENTS_PER_RUN);
        expect(grid.values[0]).toBe(1);
        expect([...grid.values].filter((v) => !Number.isNaN(v))).toEqual([1]);
    });
});
