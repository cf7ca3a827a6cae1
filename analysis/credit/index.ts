import {
    creditMethodsWhere,
    methodInfo,
    type ComputedCreditMethod,
    type CreditGroup,
    type CreditParams,
    type GroupCredit,
} from '../../protocol/credit.js';
import { agentNormalizedCredit } from './agent-normalized.js';
import { counterfactualCredit } from './counterfactual.js';
import { differenceCredit } from './difference.js';
import { outcomeCredit } from './outcome.js';
import { shapleyCredit } from './shapley.js';
import { turnLevelCredit, turnLevelCreditBatch } from './turn-level.js';

/**
 * Group credit estimators, twin of trainer/mas_trainer/credit (`compute_credit`, `compute_credit_batch`); both pass
 * test/fixtures/credit/*.json. Pure functions: no vscode, no langium. Names and capabilities come from the registry
 * generated from the catalogue (protocol/generated/credit-methods.ts).
 */
type Estimator = (group: CreditGroup, params: CreditParams) => GroupCredit;
type BatchEstimator = (groups: readonly CreditGroup[], params: CreditParams) => GroupCredit[];

/** One function per estimator the registry says analysis/ computes (all but those needing a critic): a method added
 *  to the catalogue fails to compile here until it has its function. */
const ESTIMATORS: Record<ComputedCreditMethod, Estimator> = {
    outcome: outcomeCredit,
    agent_normalized: agentNormalizedCredit,
    turn_level: turnLevelCredit,
    counterfactual: counterfactualCredit,
    difference: differenceCredit,
    shapley: shapleyCredit,
};

/** The batch form of the estimators that pool over the step (`poolsOverBatch`). */
const BATCH_ESTIMATORS: Partial<Record<ComputedCreditMethod, BatchEstimator>> = {
    turn_level: turnLevelCreditBatch,
};

/** Every estimator this module computes, in catalogue order. */
export const KNOWN_METHODS: readonly ComputedCreditMethod[] = creditMethodsWhere(
    (c) => !c.needsCritic,
) as ComputedCreditMethod[];

function estimator(method: string): Estimator {
    const found = (KNOWN_METHODS as readonly string[]).includes(method)
        ? ESTIMATORS[method as ComputedCreditMethod]
        : undefined;
    if (!found) throw new Error(`unknown credit method '${method}'; this module computes ${KNOWN_METHODS.join(', ')}`);
    return found;
}

/** Credit per decision per rollout of one group (a task's G rollouts). */
export function computeCredit(method: string, group: CreditGroup, params: CreditParams = {}): GroupCredit {
    return estimator(method)(group, params);
}

/** Credit for every group of a step. Only the estimators that pool over the batch (MARS's `turn_level` normalises
 *  over the whole step) see the groups together; the others credit each group alone. */
export function computeCreditBatch(
    method: string,
    groups: readonly CreditGroup[],
    params: CreditParams = {},
): GroupCredit[] {
    const perGroup = estimator(method);
    const pooled = methodInfo(method)?.capabilities.poolsOverBatch
        ? BATCH_ESTIMATORS[method as ComputedCreditMethod]
        : undefined;
    if (pooled) return pooled(groups, params);
    return groups.map((group) => perGroup(group, params));
}

export {
    agentNormalizedCredit,
    counterfactualCredit,
    differenceCredit,
    outcomeCredit,
    shapleyCredit,
    turnLevelCredit,
    turnLevelCreditBatch,
};
