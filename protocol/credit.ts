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
    /** Rewards of re-runs with some agents nulled (difference / Shapley credit); `nulled` sorted. */
    counterfactuals?: NulledRun[];
    /** The agent orders sampled for permutation Shapley (absent when it was exact). */
    permutations?: string[][] | null;
}

/** A re-run of a rollout from the frozen context before the first turn of a nulled agent, with the nulled agents'
 *  declared null behaviour (empty message, fixed text or skip) in place of their messages. */
export interface NulledRun {
    nulled: string[];
    reward: number;
}

/** The G rollouts sampled for one task. */
export interface CreditGroup {
    rollouts: CreditRollout[];
}

/** The estimators computable from a sampled group alone (the others need tree rollouts or a critic). */
export type GroupCreditMethod = 'outcome' | 'agent_normalized' | 'turn_level';

/** Estimators that need tree rollouts (`counterfactual`: the group is the tree's leaves in prefix order) or re-runs
 *  with agents nulled (`difference`, `shapley`: CreditRollout.counterfactuals). */
export type RerunCreditMethod = 'counterfactual' | 'difference' | 'shapley';

/** Every estimator analysis/credit computes. */
export type ComputedCreditMethod = GroupCreditMethod | RerunCreditMethod;

/** An estimator's switches (RunSpec `credit.params`): numbers, strings and number lists (`fanout`), see
 *  docs/credit-estimators.md. */
export type CreditParams = Record<string, number | string | number[]>;

/** Credit per decision per rollout: `credit[i][j]` belongs to `group.rollouts[i].decisions[j]`. */
export type GroupCredit = number[][];

/** One golden vector of test/fixtures/credit/<method>.json. */
export interface CreditVector {
    name: string;
    method: ComputedCreditMethod;
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
