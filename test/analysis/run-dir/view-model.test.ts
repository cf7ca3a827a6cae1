import { describe, expect, it } from 'vitest';
import { mergeAggregates } from '../../../analysis/run-dir/aggregate.js';
import { rolloutHeatmap } from '../../../analysis/run-dir/heatmap.js';
import { ranks, spearman } from '../../../analysis/run-dir/rank.js';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import { groupView, rolloutView, summarizeRun } from '../../../analysis/run-dir/view-model.js';
import type { TrajectoryRecord } from '../../../protocol/run-dir.js';
import { FIXTURE_RUN } from './fixture-run.js';

const turn = (index: number, agent: string) => ({
    index,
    agent,
    role: 'R',
    model: 'm',
    prompt: 'p',
    output: 'o',
    prompt_tokens: 1,
    token_ids: [1],
    logprobs: [-1],
    started_at: 0,
    duration_ms: 1,
    nulled: agent === 'nulled',
});

describe('trajectory view model', () => {
    it('ranks ties by their average position; Spearman is ±1 for monotone pairs and null for constants', () => {
        expect(ranks([3, 1, 3, 2])).toEqual([3.5, 1, 3.5, 2]);
        expect(spearman([1, 2, 3, 4], [10, 20, 30, 400])).toBeCloseTo(1, 12);
        expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
        expect(spearman([1, 2, 3], [5, 5, 5])).toBeNull();
    });

    it("places each decision's credit at (agent, turn) and leaves other cells empty", () => {
        const record = {
            turns: [turn(0, 'a'), turn(1, 'b'), turn(2, 'a'), turn(3, 'c')],
            decision_turns: [0, 1, 2, 3],
            credit: { m: [0.5, -2, 1, 0] },
        } as unknown as TrajectoryRecord;
        const grid = rolloutHeatmap(record, 'm', ['b', 'a']);
        expect(grid.rows).toEqual(['b', 'a', 'c']);
        expect(grid.columns).toEqual(['0', '1', '2', '3']);
        expect(Array.from(grid.values)).toEqual([NaN, -2, NaN, NaN, 0.5, NaN, 1, NaN, NaN, NaN, NaN, 0]);
        expect(grid.extent).toBe(2);
    });

    it('builds run summary, rollout view, step aggregate and group view from the fixture run', async () => {
        const service = new RunDirService();
        const index = await service.index(FIXTURE_RUN);
        const summary = summarizeRun(index, false);
        expect(summary.creditMethods[0]).toBe('outcome');
        expect(summary.agents).toEqual(['first', 'second', 'lazy']);
        expect(summary.charAgents).toEqual(['first', 'second', 'lazy']); // vocab: chars: the token strip decodes their ids
        expect(summary.steps[1]!.rollouts).toHaveLength(12);
        const record = await service.rollout(FIXTURE_RUN, 1, 0);
        const view = rolloutView(index, record);
        expect(view.rubric!.criteria.map((c) => [c.name, c.weight])).toEqual([
            ['first_part', 0.5],
            ['second_part', 0.5],
        ]);
        expect(Object.keys(view.heatmaps)).toEqual(summary.creditMethods);
        expect(view.agreement).toHaveLength(3);
        // The step heatmap, from the aggregates the index keeps: each cell the mean credit of that agent at that turn.
        const grid = mergeAggregates([index.steps[0]!.aggregates['outcome']], summary.agents);
        expect(grid.rows).toEqual(summary.agents);
        const rollouts = index.steps[0]!.rollouts;
        const expectedFirst = rollouts.reduce((s, r) => s + r.credit['outcome']![0]!, 0) / 12;
        expect(grid.values[0]).toBeCloseTo(expectedFirst, 12);
        // Every cell: the mean over the step's rollouts of the credit where that agent decided at that turn (NaN: none did).
        grid.rows.forEach((agent, row) =>
            grid.columns.forEach((_, turn) => {
                const credits = rollouts.flatMap((r) =>
                    r.decisionTurns.flatMap((t, j) =>
                        t === turn && r.agents[t] === agent ? [r.credit['outcome']![j]!] : [],
                    ),
                );
                const cell = grid.values[row * grid.columns.length + turn]!;
                if (credits.length === 0) expect(cell).toBeNaN();
                else expect(cell).toBeCloseTo(credits.reduce((a, c) => a + c, 0) / credits.length, 12);
            }),
        );
        const whole = mergeAggregates(
            index.steps.map((s) => s.aggregates['turn_level']),
            summary.agents,
        );
        const all = index.steps.flatMap((s) => s.rollouts);
        const lazyLast = all.reduce((sum, r) => sum + r.credit['turn_level']![2]!, 0) / all.length;
        expect(whole.values[2 * whole.columns.length + 2]).toBeCloseTo(lazyLast, 12);
        const group = groupView(index, 2, 1);
        expect(group.members.map((m) => m.sample)).toEqual([0, 1, 2, 3]);
        expect(group.tree).toBe(false);
    });
});
