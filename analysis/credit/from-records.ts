import type { CreditGroup, CreditParams, GroupCredit } from '../../protocol/credit.js';
import type { TrajectoryRecord } from '../../protocol/run-dir.js';
import { computeCreditBatch } from './index.js';

/** The fields of a trajectory record that credit is computed from. */
export type CreditRecord = Pick<
    TrajectoryRecord,
    | 'rollout'
    | 'group'
    | 'sample'
    | 'turns'
    | 'reward'
    | 'decision_turns'
    | 'decision_rewards'
    | 'counterfactuals'
    | 'permutations'
    | 'decision_q'
>;

/**
 * A step's trajectory records as the credit estimators' input: one group per `group`, rollouts in `sample` order
 * (for tree rollouts: the leaves in prefix order, as counterfactual credit expects), decisions from
 * `decision_turns` (with value-assisted C3's Q from `decision_q`), re-runs from `counterfactuals` / `permutations`.
 * Throws when a decision turn is missing.
 */
export function creditGroupsFromRecords(records: readonly CreditRecord[]): {
    groups: CreditGroup[];
    order: CreditRecord[][];
} {
    const byGroup = new Map<number, CreditRecord[]>();
    for (const record of records) {
        const members = byGroup.get(record.group);
        if (members) members.push(record);
        else byGroup.set(record.group, [record]);
    }
    const order = [...byGroup.keys()]
        .sort((a, b) => a - b)
        .map((g) => [...byGroup.get(g)!].sort((a, b) => a.sample - b.sample));
    const groups = order.map((members) => ({
        rollouts: members.map((record) => ({
            decisions: record.decision_turns.map((turn, j) => {
                const agent = record.turns.find((t) => t.index === turn)?.agent;
                if (agent === undefined)
                    throw new Error(`rollout ${record.rollout}: decision turn ${turn} is not among its turns`);
                const q = record.decision_q?.[j];
                return { agent, turn, reward: record.decision_rewards[j] ?? null, ...(q === undefined ? {} : { q }) };
            }),
            reward: record.reward,
            ...(record.counterfactuals ? { counterfactuals: record.counterfactuals } : {}),
            ...(record.permutations ? { permutations: record.permutations } : {}),
        })),
    }));
    return { groups, order };
}

/** Recomputes one estimator's credit from a step's records: rollout number -> one credit per decision. */
export function recomputeCredit(
    method: string,
    records: readonly CreditRecord[],
    params: CreditParams = {},
): Map<number, number[]> {
    const { groups, order } = creditGroupsFromRecords(records);
    const credit: GroupCredit[] = computeCreditBatch(method, groups, params);
    const out = new Map<number, number[]>();
    order.forEach((members, g) => members.forEach((record, i) => out.set(record.rollout, credit[g]![i]!)));
    return out;
}
