import { describe, expect, it } from 'vitest';
import { rescoreRun } from '../../../analysis/run-dir/rescore.js';
import { scoreRollout, withOutput } from '../../../analysis/run-dir/score-rollout.js';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import type { RubricSpec } from '../../../protocol/run-spec.js';
import { FIXTURE_RUN } from './fixture-run.js';

async function loadRun() {
    const service = new RunDirService();
    const index = await service.index(FIXTURE_RUN);
    const steps = await Promise.all(index.steps.map((s) => service.step(FIXTURE_RUN, s.step)));
    const rubric = index.run.spec.rubrics.find((r) => r.name === index.run.spec.reward.rubric)!;
    return { index, steps, rubric };
}

describe('re-scoring recorded rollouts', () => {
    it("reproduces the trainer's rewards, criteria and outcome credit with the run's own rubric", async () => {
        const { index, steps, rubric } = await loadRun();
        for (const record of steps.flat()) {
            const score = scoreRollout(record.task, record.turns, rubric, index.run.spec.reward.level);
            expect(score.reward).toBeCloseTo(record.reward, 12);
            expect(Object.fromEntries(score.final.criteria.map((c) => [c.name, c.score]))).toEqual(record.criteria);
        }
        const same = rescoreRun(steps, {
            rubric,
            level: 'trajectory',
            method: 'outcome',
            params: {},
            source: 'run.json',
        });
        expect(same.rows.every((r) => r.before === r.after && r.rankBefore === r.rankAfter)).toBe(true);
        for (const { agent, before, after } of same.agentCredit) expect(after, agent).toBeCloseTo(before, 9);
    });

    it('an edited rubric changes the ranking and the per-agent credit', async () => {
        const { steps, rubric } = await loadRun();
        // Reward the lazy agent for saying anything at all: its credit must rise from the recorded value.
        const edited: RubricSpec = {
            name: rubric.name,
            criteria: [
                ...rubric.criteria,
                {
                    name: 'lazy_talks',
                    weight: 1,
                    expr: { op: '==', left: { op: 'output', agent: 'lazy' }, right: { op: 'str', value: 'F' } },
                },
            ],
        };
        const result = rescoreRun(steps, {
            rubric: edited,
            level: 'trajectory',
            method: 'outcome',
            params: {},
            source: 'lazy-team.mas',
        });
        const lazySaidE = steps.flat().filter((r) => r.turns[2]!.output === 'F').length;
        expect(lazySaidE).toBeGreaterThan(0); // the fixture has such rollouts; otherwise this test proves nothing
        expect(result.rows.filter((r) => r.after - r.before === 1)).toHaveLength(lazySaidE);
        expect(result.rows.some((r) => r.rankBefore !== r.rankAfter)).toBe(true);
        expect(result.rankCorrelation).not.toBeNull();
        expect(result.rankCorrelation!).toBeLessThan(1);
        // Outcome credit is zero-mean per group, so look at the decisions themselves: the lazy agent's turn in a
        // rollout where it said 'F' is now above its group's mean, and the recomputed credit says so.
        const rewarded = steps.flat().filter((r) => r.turns[2]!.output === 'F');
        for (const r of rewarded) {
            const row = result.rows.find((x) => x.step === r.step && x.rollout === r.rollout)!;
            expect(row.creditAfter[2]!).toBeGreaterThan(row.creditBefore[2]!);
            expect(row.creditAfter[2]!).toBeGreaterThan(0);
        }
        expect(result.agentCredit.map((a) => a.agent).sort()).toEqual(['first', 'lazy', 'second']);
    });

    it('what-if: a replaced message is scored on the edited transcript only', async () => {
        const { index, steps, rubric } = await loadRun();
        const record = steps[0]![0]!;
        const task = record.task as { first: string; second: string };
        const edited = withOutput(withOutput(record.turns, 0, task.first), 1, ` ${task.second} `);
        const score = scoreRollout(record.task, edited, rubric, index.run.spec.reward.level);
        expect(score.final.criteria.map((c) => c.score)).toEqual([1, 1]);
        expect(score.reward).toBe(1);
        expect(record.reward).toBe(0); // the recorded transcript failed both criteria
        expect(() => withOutput(record.turns, 7, 'x')).toThrow(/turn 7 does not exist/);
    });

    it('re-scores a run trained with an estimator records cannot recompute, with a recorded one, and says so (first-hour bug B3)', async () => {
        const { steps, rubric } = await loadRun();
        const shapley = rescoreRun(steps, { rubric, level: 'trajectory', method: 'shapley', params: {}, source: 'x' });
        const outcome = rescoreRun(steps, { rubric, level: 'trajectory', method: 'outcome', params: {}, source: 'x' });
        expect(shapley.method).toBe('outcome'); // the fixture records outcome credit
        expect(shapley.note).toMatch(
            /trained with 'shapley', which needs re-runs with nulled agents .* recomputed with 'outcome' \(recorded beside it\)/,
        );
        expect(shapley.rows).toEqual(outcome.rows);
        expect(outcome.note).toBeUndefined();
        expect(
            rescoreRun(steps, { rubric, level: 'trajectory', method: 'critic', params: {}, source: 'x' }).note,
        ).toMatch(/needs a critic/);
    });
});
