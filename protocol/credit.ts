/**
 * The input of the group credit estimators and the golden-vector format of test/fixtures/credit/*.json.
 * Named twin of the Python dataclasses in trainer/mas_trainer/credit/types.py (Decision, Rollout, CreditGroup);
 * both sides pass the same vectors. Estimators and their params: docs/credit-estimators.md.
 */

/** One trainable decision: the acting agent, its turn index in the rollout, and its own reward when the workflow
 *  rewards per turn or per agent (`null` or absent when only the whole trajectory is scored). */
export interface CreditDecision {
    agent: string;
    turn: number;
    reward?: number | null;
}

/** One rollout: its decisions in the order they were taken, and its total reward. */
export interface CreditRollout {
    decisions: CreditDecision[];
    reward: number;
}

/** The G rollouts sampled for one task. */
export interface CreditGroup {
    rollouts: CreditRollout[];
}

/** The estimators computable from a sampled group alone (the others need tree rollouts or a critic). */
export type GroupCreditMethod = 'outcome' | 'agent_normalized' | 'turn_level';

/** An estimator's switches (RunSpec `credit.params`): numbers and strings, see docs/credit-estimators.md. */
export type CreditParams = Record<string, number | string>;

/** Credit per decision per rollout: `credit[i][j]` belongs to `group.rollouts[i].decisions[j]`. */
export type GroupCredit = number[][];

/** One golden vector of test/fixtures/credit/<method>.json. */
export interface CreditVector {
    name: string;
    method: GroupCreditMethod;
    params: CreditParams;
    group: CreditGroup;
    expected: GroupCredit;
}

/** One vector of test/fixtures/credit/batch.json: several groups of one training step credited together
 *  (`turn_level` pools its statistics over the whole batch, as MARS does). */
export interface CreditBatchVector {
    name: string;
    method: GroupCreditMethod;
    params: CreditParams;
    groups: CreditGroup[];
    expected: GroupCredit[];
}
