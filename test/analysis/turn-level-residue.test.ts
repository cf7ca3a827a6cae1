import { describe, expect, it } from 'vitest';
import { distinctValues, float32DistinctValues } from '../../analysis/credit/turn-level.js';
import { computeCredit } from '../../analysis/credit/index.js';
import type { CreditGroup } from '../../protocol/credit.js';

/** One TicTacToe game: p0 moves at turns 0, 2, 4 and wins on its last move; p1 moves at turns 1, 3. */
const tictactoeWin: CreditGroup = {
    rollouts: [
        {
            reward: 1,
            decisions: [
                { agent: 'p0', turn: 0, reward: 0 },
                { agent: 'p1', turn: 1, reward: 0 },
                { agent: 'p0', turn: 2, reward: 0 },
                { agent: 'p1', turn: 3, reward: 0 },
                { agent: 'p0', turn: 4, reward: 1 },
            ],
        },
    ],
};

describe('turn_level distinct values (twin of trainer/tests/test_turn_level_residue.py)', () => {
    it('gives the exact thirds for a one-game win, not the residue-shifted (-0.25, 0.083, 0.417)', () => {
        const credit = computeCredit('turn_level', tictactoeWin)[0]!;
        [-1 / 3, 0, 1 / 3].forEach((want, k) => expect(credit[2 * k]).toBeCloseTo(want, 12));
    });

    it('collapses rounding residues but keeps real differences', () => {
        expect(distinctValues([5.551115123125783e-17, 1 / 3, 2 / 3], true)).toEqual([0, 1 / 3, 2 / 3]);
        expect(distinctValues([-5.551115123125783e-17, 1], true)).toEqual([0, 1]);
        expect(distinctValues([0.001, 0.002], false)).toEqual([0.001, 0.002]);
        expect(distinctValues([1e6, 1e6 + 1e-4], false)).toEqual([1e6]);
    });

    it('counts the float32 residue under preset mars_paper, as MARS does (-3 : 1 : 5 in its own run)', () => {
        const params = { preset: 'mars_paper', whiten_rewards: 'off', whiten_advantages: 'off' };
        const credit = computeCredit('turn_level', tictactoeWin, params)[0]!;
        [-0.25, 1 / 12, 5 / 12].forEach((want, k) => expect(credit[2 * k]).toBeCloseTo(want, 7));
    });

    it('merges float32 values below float32 precision only', () => {
        expect(float32DistinctValues([1 / 3, 1 / 3 + 1e-12])).toEqual([0, Math.fround(1 / 3)]);
        expect(float32DistinctValues([5.551115123125783e-17])).toHaveLength(2);
    });

    it.each([
        [{ gamma: 1.5 }, 'between 0 and 1'],
        [{ preset: 'mars' }, 'ours, mars_paper'],
        [{ whiten_rewards: 1 }, 'off, on'],
    ])('refuses %o', (params, message) => {
        expect(() => computeCredit('turn_level', tictactoeWin, params)).toThrow(message);
    });
});
