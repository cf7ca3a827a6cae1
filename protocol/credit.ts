/**
 * The input of the group credit estimators and the golden-vector format of test/fixtures/credit/*.json.
 * Named twin of the Python dataclasses in trainer/mas_trainer/credit/types.py (Decision, Rollout, CreditGroup);
 * both sides pass the same vectors. Estimators and their params: docs/credit-estimators.md.
 */
import { CREDIT_METHOD_REGISTRY } from './generated/credit-methods.js';
import type { ComputedCreditMethod, CreditMethodName, GroupCreditMethod } from './generated/credit-methods.js';

export type {
    ComputedCreditMethod,
    CreditMethodName,
    GroupCreditMethod,
    RerunCreditMethod,
} from './generated/credit-methods.js';
export { CREDIT_METHOD_REGISTRY, CreditMethod, DEFAULT_CREDIT_METHOD } from './generated/credit-methods.js';

/** One trainable decision: the acting agent, its turn index in the rollout, and its own reward when the workflow
 *  rewards per turn or per agent (`null` or absent when only the whole trajectory is scored). */
export interface CreditDecision {
    agent: string;
    turn: number;
    reward?: number | null;
    /** The critic's value of the transcript through this decision, its output included (C3's Q of a tree node's
     *  prefix), read by `counterfactual(variant: value_assisted)`; absent when no critic scored it. */
    q?: number | null;
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

/** What an estimator needs and does: the capabilities of the credit-method registry, generated from the catalogue
 *  (server/src/language/catalog/training-catalog.ts) into ./generated/credit-methods.ts and, in snake_case, into
 *  trainer/mas_trainer/credit/methods.json. Check these instead of comparing method names. */
export interface CreditCapabilities {
    /** The credit compares a rollout with the other rollouts of its task's group (G > 1 to mean anything). */
    needsGroup: boolean;
    /** Needs tree rollouts: the group is the leaves of a prefix tree (fan-out per agent), in prefix order. */
    needsTree: boolean;
    /** Needs re-runs with agents nulled (CreditRollout.counterfactuals); their transcripts are not recorded. */
    needsNulledReruns: boolean;
    /** Its nulled re-runs are agent coalitions (2^n − 1 per rollout when exact): they include the one-agent-nulled
     *  re-runs of every other `needsNulledReruns` method, which can then be recorded for free. */
    coalitionReruns: boolean;
    /** Needs a learned value model (`train { critic: <model> }`); computed by the trainer, not from a group. */
    needsCritic: boolean;
    /** Normalises over the whole training step's batch, not within each task's group. */
    poolsOverBatch: boolean;
    /** Recomputable from recorded trajectories alone (re-scoring a run with another rubric). */
    rescorable: boolean;
}

/**
 * One parameter of an estimator as the registry carries it: kind, inclusive bounds for numbers, allowed identifiers
 * for `identifier` parameters, default. The catalogue's ParameterInfo adds its hover text to this shape.
 */
export interface CreditMethodParameter {
    name: string;
    /** `path`: a quoted folder, relative to the .mas file (`lora(from: "adapters/solver")`); optional, no default. */
    kind: 'integer' | 'number' | 'integer-list' | 'identifier' | 'path';
    min?: number;
    max?: number;
    values?: readonly string[];
    default?: number | number[] | string;
    required?: boolean;
}

/** One entry of the generated credit-method registry. */
export interface CreditMethodEntry {
    name: string;
    parameters: readonly CreditMethodParameter[];
    capabilities: CreditCapabilities;
}

/** Whether `name` is a credit method of the registry. */
export function isCreditMethod(name: string): name is CreditMethodName {
    return CREDIT_METHOD_REGISTRY.some((entry) => entry.name === name);
}

/** The registry entry of a credit method, or undefined for an unknown name. */
export function methodInfo(name: string): CreditMethodEntry | undefined {
    return CREDIT_METHOD_REGISTRY.find((entry) => entry.name === name);
}

/** The names of the registry's methods whose capabilities pass `test`, in catalogue order. */
export function creditMethodsWhere(test: (capabilities: CreditCapabilities) => boolean): CreditMethodName[] {
    return CREDIT_METHOD_REGISTRY.filter((entry) => test(entry.capabilities)).map((entry) => entry.name);
}

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
