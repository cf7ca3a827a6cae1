import type { CreditCapabilities } from '../../../../protocol/credit.js';
import type { CreditMethod, TrainSpec } from '../../../../protocol/run-spec.js';
import { CREDIT_METHODS } from './training-catalog.js';

/**
 * The estimators recorded when the train block leaves `record_credit` out (issue 15: small teams record every cheap
 * estimator by default, so a first run already shows the estimators side by side).
 *
 * Up to 4 agents: every workflow of examples/ has 3, and the trajectory view's estimators table and the run's
 * agent summary stay readable (4 agents × 3 cheap estimators beside the training one). The cost is a few floats per
 * decision next to its transcript text, so it is not what limits N; a bigger team is usually a real-model run,
 * where `record_credit` is a choice its author makes (`all`, or `none` to record nothing but the training credit).
 */
export const SMALL_TEAM_AGENTS = 4;

/** Cheap to record beside any training estimator: computed from the sampled group alone — no tree rollouts, no
 *  re-runs with agents nulled, no critic (the trainer's GROUP_METHODS, trainer/mas_trainer/credit/registry.py). */
export function isCheapCredit(capabilities: CreditCapabilities): boolean {
    return !capabilities.needsTree && !capabilities.needsNulledReruns && !capabilities.needsCritic;
}

/** The cheap estimators, in catalogue order. */
export function cheapCreditMethods(): CreditMethod[] {
    return CREDIT_METHODS.filter((method) => isCheapCredit(method.capabilities)).map(
        (method) => method.name as CreditMethod,
    );
}

/** `record_credit` of a train block that leaves it out, for a team of `agentCount` agents. */
export function defaultRecordCredit(agentCount: number): TrainSpec['record_credit'] {
    return agentCount <= SMALL_TEAM_AGENTS ? cheapCreditMethods() : 'none';
}
