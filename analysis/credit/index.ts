import type { ComputedCreditMethod, CreditGroup, CreditParams, GroupCredit } from '../../protocol/credit.js';
import { agentNormalizedCredit } from './agent-normalized.js';
import { counterfactualCredit } from './counterfactual.js';
import { differenceCredit } from './difference.js';
import { outcomeCredit } from './outcome.js';
import { shapleyCredit } from './shapley.js';
import { turnLevelCredit, turnLevelCreditBatch } from './turn-level.js';

/**
 * Group credit estimators, twin of trainer/mas_trainer/credit (`compute_credit`, `compute_credit_batch`); both pass
 * test/fixtures/credit/*.json. Pure functions: no vscode, no langium.
 */
export const KNOWN_METHODS: readonly ComputedCreditMethod[] = [
    'outcome', 'agent_normalized', 'turn_level', 'counterfactual', 'difference', 'shapley',
];

type Estimator = (group: CreditGroup, params: CreditParams) => GroupCredit;

function estimator(method: string): Estimator {
    switch (method) {
        case 'outcome': return outcomeCredit;
        case 'agent_normalized': return agentNormalizedCredit;
        case 'turn_level': return turnLevelCredit;
        case 'counterfactual': return counterfactualCredit;
        case 'difference': return differenceCredit;
        case 'shapley': return shapleyCredit;
        default:
            throw new Error(`unknown credit method '${method}'; this module computes ${KNOWN_METHODS.join(', ')}`);
    }
}

/** Credit per decision per rollout of one group (a task's G rollouts). */
export function computeCredit(method: string, group: CreditGroup, params: CreditParams = {}): GroupCredit {
    return estimator(method)(group, params);
}

/** Credit for every group of a step. Only `turn_level` pools across groups (MARS normalises over the batch). */
export function computeCreditBatch(method: string, groups: readonly CreditGroup[], params: CreditParams = {}): GroupCredit[] {
    if (method === 'turn_level') return turnLevelCreditBatch(groups, params);
    const perGroup = estimator(method);
    return groups.map(group => perGroup(group, params));
}

export { agentNormalizedCredit, counterfactualCredit, differenceCredit, outcomeCredit, shapleyCredit, turnLevelCredit, turnLevelCreditBatch };
