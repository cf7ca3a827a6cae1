import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agentSummary } from '../../../analysis/run-dir/agent-summary.js';
import { mergeAggregates } from '../../../analysis/run-dir/aggregate.js';
import { buildReportData } from '../../../analysis/run-dir/report-data.js';
import { rolloutHeatmap } from '../../../analysis/run-dir/heatmap.js';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import { frozenAgents, rolloutView, summarizeRun } from '../../../analysis/run-dir/view-model.js';
import type { TrajectoryRecord } from '../../../protocol/run-dir.js';
import { copyFixtureRunWithShapley, freezeAgent } from './fixture-run.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'mas-frozen-view-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const turn = (index: number, agent: string, frozen?: boolean) => ({
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
    nulled: false,
    ...(frozen === undefined ? {} : { frozen }),
});

describe('frozen agents in the views', () => {
    it("leaves a frozen agent's heatmap row empty and lists it, from the spec or from its turns' flag", () => {
        const record = {
            turns: [turn(0, 'user', true), turn(1, 'helper'), turn(2, 'user', true)],
            decision_turns: [0, 1, 2],
            credit: { m: [5, -1, 3] },
        } as unknown as TrajectoryRecord;
        const grid = rolloutHeatmap(record, 'm', ['user', 'helper']);
        expect(grid.frozen).toEqual(['user']);
        expect(Array.from(grid.values)).toEqual([NaN, NaN, NaN, NaN, -1, NaN]);
        expect(grid.extent).toBe(1); // the frozen agent's 5 is not on the colour scale
        const unflagged = { ...record, turns: record.turns.map((t) => ({ ...t, frozen: undefined })) };
        expect(rolloutHeatmap(unflagged, 'm', ['user', 'helper'], new Set(['user'])).frozen).toEqual(['user']);
        expect(rolloutHeatmap(unflagged, 'm', ['user', 'helper']).frozen).toBeUndefined();
    });

    it('gives a frozen agent no share of the credit and never flags it lazy', () => {
        const entry = (rollout: number) => ({
            offset: 0,
            length: 0,
            line: rollout + 1,
            step: 1,
            rollout,
            group: 0,
            sample: rollout,
            parent: null,
            reward: 1,
            success: true,
            agents: ['a', 'b', 'user'],
            decisionTurns: [0, 1, 2],
            credit: { shapley: [1, 3, 0] },
        });
        const steps = [
            {
                step: 1,
                file: 'trajectories/1.jsonl',
                size: 0,
                mtimeMs: 0,
                headHash: '',
                rollouts: [entry(0), entry(1)],
                tornBytes: 0,
                aggregates: {},
            },
        ];
        const plain = agentSummary(steps, ['a', 'b', 'user'], ['shapley']);
        expect(plain.rows[2]!.lazy).toBeDefined(); // 0 % of the credit: lazy, when it is trained
        const summary = agentSummary(steps, ['a', 'b', 'user'], ['shapley'], 0.05, new Set(['user']));
        expect(summary.rows.map((r) => [r.agent, r.frozen ?? false, r.lazy ?? null])).toEqual([
            ['a', false, null],
            ['b', false, null],
            ['user', true, null],
        ]);
        expect(summary.rows.map((r) => r.cells[0]!.share)).toEqual([0.25, 0.75, null]);
        expect(summary.rows[2]!.cells[0]!.decisions).toBe(0);
    });

    it('greys out the frozen agent of a recorded run: summary, rollout heatmaps and step heatmaps', async () => {
        const root = freezeAgent(copyFixtureRunWithShapley(path.join(scratch, 'run')), 'lazy');
        const service = new RunDirService();
        const index = await service.index(root);
        expect([...frozenAgents(index)]).toEqual(['lazy']);
        const summary = summarizeRun(index, false).agentSummary;
        expect(summary.rows.find((r) => r.agent === 'lazy')).toMatchObject({ frozen: true });
        expect(summary.rows.some((r) => r.lazy !== undefined)).toBe(false);
        const view = rolloutView(index, await service.rollout(root, 1, 0));
        for (const grid of Object.values(view.heatmaps)) {
            expect(grid.frozen).toEqual(['lazy']);
            const row = grid.rows.indexOf('lazy');
            expect(Array.from(grid.values.slice(row * grid.columns.length, (row + 1) * grid.columns.length))).toEqual(
                grid.columns.map(() => NaN),
            );
        }
        const step = mergeAggregates(
            [index.steps[0]!.aggregates['shapley']],
            summary.rows.map((r) => r.agent),
            frozenAgents(index),
        );
        expect(step.frozen).toEqual(['lazy']);
        expect(step.values[step.rows.indexOf('lazy') * step.columns.length + 2]).toBeNaN();
        expect(step.values[0]).not.toBeNaN();
    });

    it('carries the greyed-out rows into the HTML report: summary, rollout and step heatmaps, for any step range', async () => {
        const root = freezeAgent(copyFixtureRunWithShapley(path.join(scratch, 'report-run')), 'lazy');
        const service = new RunDirService();
        const index = await service.index(root);
        for (const steps of [undefined, { from: 2, to: 3 }]) {
            const { data } = await buildReportData(service, index, {
                maxBytes: 50_000_000,
                ...(steps ? { steps } : {}),
            });
            expect(data.run.agentSummary.rows.find((r) => r.agent === 'lazy')?.frozen).toBe(true);
            for (const step of data.steps) {
                for (const grid of Object.values(step.heatmaps)) expect(grid.frozen).toEqual(['lazy']);
                for (const rollout of step.rollouts)
                    for (const grid of Object.values(rollout.heatmaps)) expect(grid.frozen).toEqual(['lazy']);
            }
        }
        await service.dispose();
    });
});
