import { describe, expect, it } from 'vitest';
import { computeCredit } from '../../analysis/credit/index.js';
import type { CreditGroup } from '../../protocol/credit.js';

/** `baseline: rloo` keeps MAGRPO's variance rule (the std around the full group mean), so its normalised credit is
 *  n/(n−1) × the group-mean credit; `epsilon_form: in_sqrt` divides by √(var + ε).
 *  Twin of trainer/tests/test_credit_rloo.py. */
const REWARDS = [1, 0, 0.5, 0.25];
const GROUP: CreditGroup = {
    rollouts: REWARDS.map((reward) => ({
        decisions: [
            { agent: 'a', turn: 0 },
            { agent: 'b', turn: 1 },
        ],
        reward,
    })),
};
const MAGRPO = { std: 'population', epsilon: 1e-8, epsilon_form: 'in_sqrt' };

describe('baseline: rloo (MAGRPO)', () => {
    it.each([
        ['outcome', MAGRPO],
        ['agent_normalized', MAGRPO],
        ['outcome', {}],
        ['agent_normalized', {}],
    ] as const)('%s: rloo = n/(n−1) × group_mean (%j)', (method, stdParams) => {
        const n = REWARDS.length;
        const mean = computeCredit(method, GROUP, { ...stdParams, baseline: 'group_mean' });
        const rloo = computeCredit(method, GROUP, { ...stdParams, baseline: 'rloo' });
        rloo.forEach((row, i) => row.forEach((r, j) => expect(r).toBeCloseTo((n / (n - 1)) * mean[i]![j]!, 12)));
    });

    it('subtracts the mean of the others and divides by √(var_pop + ε)', () => {
        const credit = computeCredit('outcome', GROUP, { ...MAGRPO, baseline: 'rloo' });
        const total = REWARDS.reduce((a, b) => a + b, 0);
        const mu = total / REWARDS.length;
        const sd = Math.sqrt(REWARDS.reduce((a, r) => a + (r - mu) ** 2, 0) / REWARDS.length + 1e-8);
        credit.forEach((row, i) => {
            const r = REWARDS[i]!;
            const expected = (r - (total - r) / (REWARDS.length - 1)) / sd;
            for (const c of row) expect(c).toBeCloseTo(expected, 12);
        });
    });

    it('a one-element pool follows the singleton rule', () => {
        const lone: CreditGroup = { rollouts: [{ decisions: [{ agent: 'a', turn: 0 }], reward: 0.8 }] };
        expect(computeCredit('outcome', lone, { baseline: 'rloo', singleton: 'zero' })).toEqual([[0]]);
        expect(computeCredit('outcome', lone, { baseline: 'rloo' })[0]![0]).toBeCloseTo(0.8 / (1 + 1e-6), 12);
    });

    it('refuses bad values with the allowed ones', () => {
        expect(() => computeCredit('outcome', GROUP, { baseline: 'loo' })).toThrow(
            '`baseline` must be one of group_mean, rloo',
        );
        expect(() => computeCredit('agent_normalized', GROUP, { epsilon_form: 'inside' })).toThrow(
            '`epsilon_form` must be one of outside, in_sqrt',
        );
    });
});
