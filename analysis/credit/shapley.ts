import type { CreditGroup, CreditParams, CreditRollout, GroupCredit } from '../../protocol/credit.js';
import { broadcast, coalitionValue, normalisePerAgent, NORMALIZE_CHOICES, players, type NormalizeMode } from './nulled.js';
import { ParamReader, positiveInt } from './params.js';

/**
 * `shapley` credit: exact over coalitions for at most EXACT_SHAPLEY_AGENT_LIMIT players (mode `auto`), else the mean
 * marginal contribution over the recorded sampled agent orders. Sums to v(N) − v(∅) per rollout.
 * Twin of trainer/mas_trainer/credit/shapley.py.
 */
export const EXACT_SHAPLEY_AGENT_LIMIT = 6;
const DEFAULT_SAMPLES = 64;

type Value = (included: ReadonlySet<string>) => number;

export function readShapley(params: CreditParams): { samples: number; mode: 'auto' | 'exact' | 'sampled'; normalize: NormalizeMode } {
    const reader = new ParamReader('shapley', params, ['samples', 'mode', 'normalize']);
    const samples = positiveInt('shapley', params, 'samples', DEFAULT_SAMPLES);
    const mode = reader.choice('mode', ['auto', 'exact', 'sampled'] as const, 'auto');
    return { samples, mode, normalize: reader.choice('normalize', NORMALIZE_CHOICES, 'none') };
}

export function isExact(players: number, mode: 'auto' | 'exact' | 'sampled'): boolean {
    return mode === 'exact' || (mode === 'auto' && players <= EXACT_SHAPLEY_AGENT_LIMIT);
}

function factorial(n: number): number {
    let f = 1;
    for (let i = 2; i <= n; i++) f *= i;
    return f;
}

export function exactShapley(team: readonly string[], value: Value): Map<string, number> {
    const n = team.length;
    const phi = new Map<string, number>();
    for (const k of team) {
        const others = team.filter(p => p !== k);
        let total = 0;
        // every subset of the others (bit masks), grouped by size below
        const subsets: string[][] = [];
        for (let mask = 0; mask < 1 << others.length; mask++) subsets.push(others.filter((_, b) => (mask >> b) & 1));
        for (let size = 0; size < n; size++) {
            const weight = factorial(size) * factorial(n - size - 1) / factorial(n);
            for (const subset of subsets.filter(s => s.length === size)) {
                total += weight * (value(new Set([...subset, k])) - value(new Set(subset)));
            }
        }
        phi.set(k, total);
    }
    return phi;
}

export function sampledShapley(team: readonly string[], orders: readonly (readonly string[])[], value: Value): Map<string, number> {
    const phi = new Map(team.map(k => [k, 0]));
    for (const order of orders) {
        const before = new Set<string>();
        for (const k of order) {
            const without = value(before);
            before.add(k);
            phi.set(k, phi.get(k)! + value(before) - without);
        }
    }
    return new Map([...phi].map(([k, v]) => [k, v / orders.length]));
}

function recordedOrders(rollout: CreditRollout, team: readonly string[], index: number): string[][] {
    const orders = rollout.permutations;
    if (!orders || orders.length === 0) {
        throw new Error(`credit \`shapley\`: rollout ${index} has ${team.length} agents, more than exact Shapley's `
            + `${EXACT_SHAPLEY_AGENT_LIMIT}, but no sampled agent orders`);
    }
    const expected = [...team].sort().join('\u0000');
    for (const order of orders) {
        if ([...order].sort().join('\u0000') !== expected) {
            throw new Error(`credit \`shapley\`: rollout ${index}'s agent order ${JSON.stringify(order)} is not a permutation of its agents ${JSON.stringify(team)}`);
        }
    }
    return orders;
}

export function shapleyCredit(group: CreditGroup, params: CreditParams): GroupCredit {
    const { mode, normalize } = readShapley(params);
    const perRollout = group.rollouts.map((rollout, i) => {
        const team = players(rollout);
        const value: Value = included => coalitionValue(rollout, team, included, 'shapley', i);
        return isExact(team.length, mode) ? exactShapley(team, value) : sampledShapley(team, recordedOrders(rollout, team, i), value);
    });
    return broadcast(group, normalisePerAgent(perRollout, normalize));
}
