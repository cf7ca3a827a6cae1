import { CreditMethod, type CreditGroup, type CreditParams, type GroupCredit } from '../../protocol/credit.js';
import {
    broadcast,
    coalitionValueOf,
    normalisePerAgent,
    NORMALIZE_CHOICES,
    players,
    type NormalizeMode,
} from './nulled.js';
import { ParamReader } from './params.js';

/**
 * `difference` credit: D_k = R − R(agent k's messages replaced by its null behaviour), on each of k's decisions.
 * Twin of trainer/mas_trainer/credit/difference.py.
 */
export function readDifference(params: CreditParams): NormalizeMode {
    return new ParamReader(CreditMethod.difference, params, ['normalize']).choice(
        'normalize',
        NORMALIZE_CHOICES,
        'none',
    );
}

export function differenceCredit(group: CreditGroup, params: CreditParams): GroupCredit {
    const normalize = readDifference(params);
    const perRollout = group.rollouts.map((rollout, i) => {
        const team = players(rollout);
        const value = coalitionValueOf(rollout, team, CreditMethod.difference, i);
        return new Map(team.map((k) => [k, rollout.reward - value(new Set(team.filter((p) => p !== k)))]));
    });
    return broadcast(group, normalisePerAgent(perRollout, normalize));
}
