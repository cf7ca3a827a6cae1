import {
    CreditMethod,
    type CreditGroup,
    type CreditParams,
    type CreditRollout,
    type GroupCredit,
} from '../../protocol/credit.js';
import {
    broadcast,
    coalitionValueOf,
    normalisePerAgent,
    NORMALIZE_CHOICES,
    players,
    type NormalizeMode,
} from './nulled.js';
import { ParamReader, positiveInt } from './params.js';

/**
 * `shapley` credit: exact over coalitions for at most EXACT_SHAPLEY_AGENT_LIMIT players (mode `auto`), else the mean
 * marginal contribution over the recorded sampled agent orders. Sums to v(N) − v(∅) per rollout.
 * Twin of trainer/mas_trainer/credit/shapley.py.
 */
export const EXACT_SHAPLEY_AGENT_LIMIT = 6;
const DEFAULT_SAMPLES = 64;

type Value = (included: ReadonlySet<string>) => number;

export function readShapley(params: CreditParams): {
    samples: number;
    mode: 'auto' | 'exact' | 'sampled';
    normalize: NormalizeMode;
} {
    const reader = new ParamReader(CreditMethod.shapley, params, ['samples', 'mode', 'normalize']);
    const samples = positiveInt(CreditMethod.shapley, params, 'samples', DEFAULT_SAMPLES);
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
    // v of each coalition (bit mask over `team`) asked once, on first use, so the 2^n values are not recomputed for
    // every player; the terms are summed in the same order as always (by size, then by mask over the others).
    const known = new Map<number, number>();
    const valueOf = (mask: number): number => {
        let v = known.get(mask);
        if (v === undefined) {
            v = value(new Set(team.filter((_, b) => (mask >> b) & 1)));
            known.set(mask, v);
        }
        return v;
    };
    const phi = new Map<string, number>();
    team.forEach((k, kBit) => {
        const others = team.map((_, b) => b).filter((b) => b !== kBit);
        let total = 0;
        // every subset of the others (bit masks over `others`, as team masks), grouped by size below
        const subsets: { mask: number; size: number }[] = [];
        for (let sub = 0; sub < 1 << others.length; sub++) {
            let mask = 0,
                size = 0;
            others.forEach((b, i) => {
                if ((sub >> i) & 1) {
                    mask |= 1 << b;
                    size++;
                }
            });
            subsets.push({ mask, size });
        }
        for (let size = 0; size < n; size++) {
            const weight = (factorial(size) * factorial(n - size - 1)) / factorial(n);
            for (const subset of subsets) {
                if (subset.size === size) total += weight * (valueOf(subset.mask | (1 << kBit)) - valueOf(subset.mask));
            }
        }
        phi.set(k, total);
    });
    return phi;
}

export function sampledShapley(
    team: readonly string[],
    orders: readonly (readonly string[])[],
    value: Value,
): Map<string, number> {
    const phi = new Map(team.map((k) => [k, 0]));
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
        throw new Error(
            `credit \`shapley\`: rollout ${index} has ${team.length} agents, more than exact Shapley's ` +
                `${EXACT_SHAPLEY_AGENT_LIMIT}, but no sampled agent orders`,
        );
    }
    const expected = [...team].sort().join('\u0000');
    for (const order of orders) {
        if ([...order].sort().join('\u0000') !== expected) {
            throw new Error(
                `credit \`shapley\`: rollout ${index}'s agent order ${JSON.stringify(order)} is not a permutation of its agents ${JSON.stringify(team)}`,
            );
        }
    }
    return orders;
}

export function shapleyCredit(group: CreditGroup, params: CreditParams): GroupCredit {
    const { mode, normalize } = readShapley(params);
    const perRollout = group.rollouts.map((rollout, i) => {
        const team = players(rollout);
        const value: Value = coalitionValueOf(rollout, team, CreditMethod.shapley, i);
        return isExact(team.length, mode)
            ? exactShapley(team, value)
            : sampledShapley(team, recordedOrders(rollout, team, i), value);
    });
    return broadcast(group, normalisePerAgent(perRollout, normalize));
}
