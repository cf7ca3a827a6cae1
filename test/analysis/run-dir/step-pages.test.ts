import { describe, expect, it } from 'vitest';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import { runHeads, StepRolloutsCache, stepHeads, stepRollouts } from '../../../analysis/run-dir/step-pages.js';
import { summarizeRun } from '../../../analysis/run-dir/view-model.js';
import { parseStepRolloutsReply, parseStepRolloutsStep } from '../../../protocol/trajectory-messages.js';
import { FIXTURE_RUN } from './fixture-run.js';

describe('trajectory step pages', () => {
    it('heads carry what the step list shows, the same numbers as the full summary, and no rollouts', async () => {
        const index = await new RunDirService().index(FIXTURE_RUN);
        const full = summarizeRun(index, false);
        const heads = stepHeads(index);
        expect(heads.map((h) => h.step)).toEqual(full.steps.map((s) => s.step));
        heads.forEach((h, i) => {
            expect(h.meanReward).toBe(full.steps[i]!.meanReward);
            expect(h.successRate).toBe(full.steps[i]!.successRate);
            expect(h.rolloutCount).toBe(full.steps[i]!.rollouts.length);
            expect(h).not.toHaveProperty('rollouts');
        });
        expect(stepHeads(index, 2).map((h) => h.step)).toEqual([3]);
    });

    it('the open message embeds the latest step only; another step comes on request, equal to the full summary', async () => {
        const index = await new RunDirService().index(FIXTURE_RUN);
        const { steps, ...rest } = summarizeRun(index, false);
        const open = runHeads(index, rest);
        expect(open.opened?.step).toBe(3);
        expect(open.opened?.rollouts).toEqual(steps.at(-1)!.rollouts);
        expect(stepRollouts(index, 1)).toEqual(steps[0]!.rollouts);
        expect(JSON.stringify(open).length).toBeLessThan(JSON.stringify({ ...rest, steps }).length);
    });

    it('hostile requests: unknown, huge, negative, non-integer or non-number steps get no rollouts', async () => {
        const index = await new RunDirService().index(FIXTURE_RUN);
        for (const step of [999, 2 ** 60, -1, 1.5, NaN, Infinity]) expect(stepRollouts(index, step)).toBeNull();
        for (const step of [2 ** 60, -1, 1.5, '1', null, NaN, Infinity, { valueOf: () => 1 }])
            expect(parseStepRolloutsStep({ type: 'trajectory/stepRollouts', step })).toBeUndefined();
        expect(parseStepRolloutsStep({ type: 'trajectory/openRollout', step: 1 })).toBeUndefined();
        expect(parseStepRolloutsStep(null)).toBeUndefined();
        expect(parseStepRolloutsStep({ type: 'trajectory/stepRollouts', step: 2 })).toBe(2);
    });

    it('a reply is parsed field by field; a malformed rollout rejects the reply', () => {
        const good = { rollout: 0, group: 0, sample: 0, parent: null, reward: 1, success: true, turns: 3 };
        const reply = { type: 'trajectory/stepRollouts', step: 4, rollouts: [good] };
        expect(parseStepRolloutsReply(reply)).toEqual({ step: 4, rollouts: [good] });
        expect(parseStepRolloutsReply({ ...reply, rollouts: [{ ...good, turns: '3' }] })).toBeUndefined();
        expect(parseStepRolloutsReply({ ...reply, rollouts: [{ ...good, parent: 0.5 }] })).toBeUndefined();
        expect(parseStepRolloutsReply({ ...reply, rollouts: 'x' })).toBeUndefined();
    });

    it('the host cache keeps at most its capacity, evicts the least recently used and never caches unknown steps', async () => {
        const index = await new RunDirService().index(FIXTURE_RUN);
        const cache = new StepRolloutsCache(2);
        expect(cache.get(index, 1)).toEqual(stepRollouts(index, 1));
        cache.get(index, 2);
        cache.get(index, 1);
        cache.get(index, 3);
        expect(cache.size).toBe(2);
        for (let s = 100; s < 110; s++) expect(cache.get(index, s)).toBeNull();
        expect(cache.size).toBe(2);
        cache.clear();
        expect(cache.size).toBe(0);
    });
});
