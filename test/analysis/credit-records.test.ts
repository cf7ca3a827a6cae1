import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { treeParent } from '../../analysis/credit/counterfactual.js';
import { recomputeCredit, type CreditRecord } from '../../analysis/credit/from-records.js';
import { computeCredit } from '../../analysis/credit/index.js';
import { exactShapley, sampledShapley } from '../../analysis/credit/shapley.js';
import type { CreditParams } from '../../protocol/credit.js';
import type { TrajectoryRecord } from '../../protocol/run-dir.js';
import type { RubricSpec } from '../../protocol/run-spec.js';
import { rescoreRun } from '../../analysis/run-dir/rescore.js';

/** Records written by the trainer's own pipeline (trainer/tools/make_credit_records.py): file name -> training
 *  method and params. The value-assisted run's records carry the critic's Q per decision (`decision_q`). */
const CASES: Record<string, [string, CreditParams]> = {
    counterfactual: ['counterfactual', { fanout: [2, 2, 2] }],
    'counterfactual-value_assisted': ['counterfactual', { fanout: [2, 2, 2], variant: 'value_assisted' }],
    shapley: ['shapley', {}],
    difference: ['difference', { normalize: 'standardize' }],
};

function records(method: string): TrajectoryRecord[] {
    return readFileSync(join(import.meta.dirname, '../fixtures/credit', `records-${method}.jsonl`), 'utf8')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as TrajectoryRecord);
}

describe('credit recomputed from recorded rollouts (TypeScript twin of the trainer)', () => {
    for (const [file, [trained, params]] of Object.entries(CASES)) {
        const step = records(file);
        const methods = Object.keys(step[0]!.credit);
        it.each(methods.map((m) => [m]))(`${file} run: %s matches the recorded credit`, (method) => {
            const credit = recomputeCredit(method, step, method === trained ? params : {});
            for (const record of step) {
                const recorded = record.credit[method]!;
                const recomputed = credit.get(record.rollout)!;
                expect(recomputed.length).toBe(recorded.length);
                recorded.forEach((value, j) => expect(Math.abs(recomputed[j]! - value)).toBeLessThanOrEqual(1e-9));
            }
            expect(step.some((record) => record.credit[method]!.some((v) => v !== 0))).toBe(true);
        });
    }

    it('records the tree: parents and branch turns follow the fan-out, shared turns are copies', () => {
        const step = records('counterfactual');
        for (const record of step) {
            const { parent, branchTurn } = treeParent(record.sample, [2, 2, 2]);
            expect(record.parent).toBe(parent === null ? null : record.group * 8 + parent);
            expect(record.branch_turn).toBe(branchTurn);
            if (record.parent !== null) {
                const from = step.find((r) => r.rollout === record.parent)!;
                expect(record.turns.slice(0, branchTurn).map((t) => t.output)).toEqual(
                    from.turns.slice(0, branchTurn).map((t) => t.output),
                );
            }
        }
    });

    it('Shapley credits of each rollout sum to v(N) − v(∅)', () => {
        for (const record of records('shapley')) {
            const agents = [
                ...new Set(record.decision_turns.map((turn) => record.turns.find((t) => t.index === turn)!.agent)),
            ];
            const perAgent = agents.map(
                (a) =>
                    record.credit['shapley']![
                        record.decision_turns.findIndex(
                            (turn) => record.turns.find((t) => t.index === turn)!.agent === a,
                        )
                    ]!,
            );
            const empty = record.counterfactuals!.find((c) => c.nulled.length === agents.length)!.reward;
            expect(Math.abs(perAgent.reduce((s, v) => s + v, 0) - (record.reward - empty))).toBeLessThanOrEqual(1e-12);
        }
    });

    it("recomputes value-assisted C3 credit from the recorded Q, which changes it from reward-only's", () => {
        const step = records('counterfactual-value_assisted');
        expect(step.every((r) => r.decision_q?.length === r.decision_turns.length)).toBe(true);
        const rewardOnly = recomputeCredit('counterfactual', step, { fanout: [2, 2, 2] });
        expect(
            step.some((r) =>
                r.credit['counterfactual']!.some((v, j) => Math.abs(v - rewardOnly.get(r.rollout)![j]!) > 1e-6),
            ),
        ).toBe(true);
        const withoutQ = step.map(({ decision_q: _q, ...rest }) => rest);
        expect(() =>
            recomputeCredit('counterfactual', withoutQ, { fanout: [2, 2, 2], variant: 'value_assisted' }),
        ).toThrow("needs the critic's Q of every tree node");
    });

    it('re-scores a value-assisted run with its own rubric back to the recorded credit (the recorded Q is kept)', () => {
        const spec = JSON.parse(
            readFileSync(join(import.meta.dirname, '../../trainer/tests/fixtures/lazy-team.spec.json'), 'utf8'),
        ) as { rubrics: RubricSpec[] };
        const params = { fanout: [2, 2, 2], variant: 'value_assisted' };
        const result = rescoreRun([records('counterfactual-value_assisted')], {
            rubric: spec.rubrics[0]!,
            level: 'trajectory',
            method: 'counterfactual',
            params,
            source: 'x',
        });
        expect(result.method).toBe('counterfactual');
        expect(result.rows.every((row) => row.before === row.after)).toBe(true);
        for (const row of result.rows) {
            expect(row.creditAfter.length).toBe(row.creditBefore.length);
            row.creditBefore.forEach((v, j) => expect(Math.abs(row.creditAfter[j]! - v)).toBeLessThanOrEqual(1e-9));
        }
    });

    it('says which decision turn is missing', () => {
        const broken: CreditRecord = { ...records('difference')[0]!, decision_turns: [7] };
        expect(() => recomputeCredit('outcome', [broken])).toThrow('decision turn 7 is not among its turns');
    });
});

describe('tree, difference and Shapley credit: errors and efficiency', () => {
    const group = {
        rollouts: [1, 0, 0.5, 0.5].map((reward) => ({
            decisions: [
                { agent: 'a', turn: 0 },
                { agent: 'b', turn: 1 },
            ],
            reward,
        })),
    };

    it('names what is wrong with the params or the group', () => {
        expect(() => computeCredit('counterfactual', group)).toThrow('credit `counterfactual` needs `fanout`');
        expect(() => computeCredit('counterfactual', group, { fanout: [2, 4] })).toThrow(
            'the group has 4 rollouts but the fan-out [2, 4] makes 8 leaves',
        );
        expect(() => computeCredit('counterfactual', group, { fanout: [2, 0] })).toThrow(
            '`fanout` must be a non-empty list of whole numbers >= 1',
        );
        expect(() => computeCredit('shapley', group, { samples: 1.5 })).toThrow(
            '`samples` must be a whole number >= 1',
        );
        expect(() => computeCredit('difference', group)).toThrow('rollout 0 has no re-run with a nulled');
    });

    it('C3 on a 2 × 2 tree: the root level ties, the leaves split ±1', () => {
        const credit = computeCredit('counterfactual', group, { fanout: [2, 2] });
        expect(credit.map((row) => row.map((v) => Math.round(v * 1e6) / 1e6))).toEqual([
            [0, 1],
            [0, -1],
            [0, 0],
            [0, 0],
        ]);
    });

    it('exact and sampled Shapley sum to v(N) − v(∅) on random games', () => {
        let state = 12345;
        const random = (): number => {
            state = (state * 1103515245 + 12345) % 2147483648;
            return state / 2147483648;
        };
        for (const n of [1, 2, 4, 6]) {
            const team = Array.from({ length: n }, (_, i) => `a${i}`);
            const table = new Map<string, number>();
            const value = (s: ReadonlySet<string>): number => {
                const key = [...s].sort().join(',');
                if (!table.has(key)) table.set(key, random() * 2 - 1);
                return table.get(key)!;
            };
            const target = value(new Set(team)) - value(new Set());
            const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
            expect(Math.abs(sum(exactShapley(team, value)) - target)).toBeLessThan(1e-12);
            const orders = [team, [...team].reverse()];
            expect(Math.abs(sum(sampledShapley(team, orders, value)) - target)).toBeLessThan(1e-12);
        }
    });
});
