import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { treeParent } from '../../analysis/credit/counterfactual.js';
import { recomputeCredit, type CreditRecord } from '../../analysis/credit/from-records.js';
import type { CreditParams } from '../../protocol/credit.js';
import type { TrajectoryRecord } from '../../protocol/run-dir.js';

/** Records written by the trainer's own pipeline (trainer/tools/make_credit_records.py), and the training params. */
const CASES: Record<string, CreditParams> = {
    counterfactual: { fanout: [2, 2, 2] },
    shapley: {},
    difference: { normalize: 'standardize' },
};

function records(method: string): TrajectoryRecord[] {
    return readFileSync(join(import.meta.dirname, '../fixtures/credit', `records-${method}.jsonl`), 'utf8')
        .split('\n').filter(line => line.length > 0).map(line => JSON.parse(line) as TrajectoryRecord);
}

describe('credit recomputed from recorded rollouts (TypeScript twin of the trainer)', () => {
    for (const [trained, params] of Object.entries(CASES)) {
        const step = records(trained);
        const methods = Object.keys(step[0]!.credit);
        it.each(methods.map(m => [m]))(`${trained} run: %s matches the recorded credit`, method => {
            const credit = recomputeCredit(method, step, method === trained ? params : {});
            for (const record of step) {
                const recorded = record.credit[method]!;
                const recomputed = credit.get(record.rollout)!;
                expect(recomputed.length).toBe(recorded.length);
                recorded.forEach((value, j) => expect(Math.abs(recomputed[j]! - value)).toBeLessThanOrEqual(1e-9));
            }
            expect(step.some(record => record.credit[method]!.some(v => v !== 0))).toBe(true);
        });
    }

    it('records the tree: parents and branch turns follow the fan-out, shared turns are copies', () => {
        const step = records('counterfactual');
        for (const record of step) {
            const { parent, branchTurn } = treeParent(record.sample, [2, 2, 2]);
            expect(record.parent).toBe(parent === null ? null : record.group * 8 + parent);
            expect(record.branch_turn).toBe(branchTurn);
            if (record.parent !== null) {
                const from = step.find(r => r.rollout === record.parent)!;
                expect(record.turns.slice(0, branchTurn).map(t => t.output)).toEqual(from.turns.slice(0, branchTurn).map(t => t.output));
            }
        }
    });

    it('Shapley credits of each rollout sum to v(N) − v(∅)', () => {
        for (const record of records('shapley')) {
            const agents = [...new Set(record.decision_turns.map(turn => record.turns.find(t => t.index === turn)!.agent))];
            const perAgent = agents.map(a => record.credit['shapley']![record.decision_turns.findIndex(turn => record.turns.find(t => t.index === turn)!.agent === a)]!);
            const empty = record.counterfactuals!.find(c => c.nulled.length === agents.length)!.reward;
            expect(Math.abs(perAgent.reduce((s, v) => s + v, 0) - (record.reward - empty))).toBeLessThanOrEqual(1e-12);
        }
    });

    it('says which decision turn is missing', () => {
        const broken: CreditRecord = { ...records('difference')[0]!, decision_turns: [7] };
        expect(() => recomputeCredit('outcome', [broken])).toThrow('decision turn 7 is not among its turns');
    });
});
