import type { CreditGroup, CreditRollout, GroupCredit } from '../../protocol/credit.js';

/** What difference and Shapley credit share (twin of trainer/mas_trainer/credit/nulled.py). */
export const NORMALIZE_CHOICES = ['none', 'center', 'standardize'] as const;
export type NormalizeMode = (typeof NORMALIZE_CHOICES)[number];
const NORM_EPS = 1e-6;

/** The agents that took a decision in the rollout, in order of their first decision (Shapley's players). */
export function players(rollout: CreditRollout): string[] {
    return [...new Set(rollout.decisions.map((d) => d.agent))];
}

export function nulledKey(names: Iterable<string>): string {
    return [...new Set(names)].sort().join('\u0000');
}

/** v(S): the rollout's reward with every player outside `included` nulled (its own reward when none is). */
export function coalitionValue(
    rollout: CreditRollout,
    team: readonly string[],
    included: ReadonlySet<string>,
    method: string,
    index: number,
): number {
    const nulled = team.filter((p) => !included.has(p));
    if (nulled.length === 0) return rollout.reward;
    const key = nulledKey(nulled);
    const run = (rollout.counterfactuals ?? []).find((c) => nulledKey(c.nulled) === key);
    if (!run) {
        throw new Error(
            `credit \`${method}\`: rollout ${index} has no re-run with ${[...nulled].sort().join(', ')} nulled; ` +
                'the trainer records these runs only for difference and Shapley credit',
        );
    }
    return run.reward;
}

/**
 * v(S) for one rollout, its re-runs indexed once by a bit mask of nulled team members: coalitionValue re-sorts every
 * re-run's agents on each call, which made exact Shapley over 1 000 000 decisions take seconds. Same values and
 * errors (the first re-run with a given nulled set wins, as `find` does; one nulling a non-player never matches).
 */
export function coalitionValueOf(
    rollout: CreditRollout,
    team: readonly string[],
    method: string,
    index: number,
): (included: ReadonlySet<string>) => number {
    if (team.length > 30) return (included) => coalitionValue(rollout, team, included, method, index);
    const byMask = new Map<number, number>();
    for (const run of rollout.counterfactuals ?? []) {
        let mask = 0;
        for (const name of run.nulled) {
            const bit = team.indexOf(name);
            if (bit < 0) {
                mask = -1;
                break;
            }
            mask |= 1 << bit;
        }
        if (mask > 0 && !byMask.has(mask)) byMask.set(mask, run.reward);
    }
    return (included) => {
        let mask = 0;
        for (let bit = 0; bit < team.length; bit++) if (!included.has(team[bit]!)) mask |= 1 << bit;
        if (mask === 0) return rollout.reward;
        return byMask.get(mask) ?? coalitionValue(rollout, team, included, method, index); // throws the missing-re-run error
    };
}

export function normalisePerAgent(perRollout: Map<string, number>[], mode: NormalizeMode): Map<string, number>[] {
    if (mode === 'none') return perRollout;
    const pools = new Map<string, number[]>();
    for (const values of perRollout) {
        for (const [agent, v] of values) {
            const pool = pools.get(agent);
            if (pool) pool.push(v);
            else pools.set(agent, [v]);
        }
    }
    const stats = new Map<string, [number, number]>();
    for (const [agent, pool] of pools) {
        let sum = 0;
        for (const v of pool) sum += v;
        const mu = sum / pool.length;
        let squares = 0;
        for (const v of pool) squares += (v - mu) ** 2;
        const sd = pool.length > 1 ? Math.sqrt(squares / (pool.length - 1)) : 0;
        stats.set(agent, [mu, mode === 'standardize' ? sd + NORM_EPS : 1]);
    }
    return perRollout.map(
        (values) => new Map([...values].map(([a, v]) => [a, (v - stats.get(a)![0]) / stats.get(a)![1]])),
    );
}

export function broadcast(group: CreditGroup, perRollout: Map<string, number>[]): GroupCredit {
    return group.rollouts.map((r, i) => r.decisions.map((d) => perRollout[i]!.get(d.agent)!));
}
