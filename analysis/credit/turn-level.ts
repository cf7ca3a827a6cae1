import { CreditMethod, type CreditGroup, type CreditParams, type GroupCredit } from '../../protocol/credit.js';
import { ParamReader } from './params.js';

/**
 * `turn_level` credit (MARS, thu-nics/MARS roll/utils/functionals.py, as its self-play configs run it):
 * 1. rewards sit on each decision when any decision of the batch has one (use_turn_scores; a null counts 0), else
 *    the rollout reward sits on each agent's last decision of the rollout (the row's last token);
 * 2. score_normalize per agent over its reward positions of the whole batch: `mean` (default) or `mean_std`
 *    ((x − mean) / (unbiased std + 1e-6), zeros when std ≤ 1e-6);
 * 3. compute_reinforce_return with gamma 1: a decision gets the sum over that agent's decisions at or after it;
 * 4. normalize_unique_values per agent over the batch: centred on the mean of the DISTINCT values, with the 0 that
 *    every row's right padding adds (`advantage_pool: distinct_with_zero`); one distinct value gives zeros.
 * The token-level whitenings (whiten_rewards, whiten_advantages) are not reproduced. docs/credit-estimators.md has
 * the details; twin of trainer/mas_trainer/credit/turn_level.py (same operation order, so bit-identical sums).
 */
export const TURN_LEVEL_PARAMS = ['reward_norm', 'advantage_norm', 'advantage_pool'] as const;
const NORM_EPS = 1e-6;
/**
 * Returns closer than this (relative to the pool's largest magnitude, at least 1) are one distinct value: float64
 * sums of normalised rewards leave residues of ~1e-16, which must not count as values of their own. Twin:
 * DISTINCT_TOLERANCE in trainer/mas_trainer/credit/turn_level.py.
 */
export const DISTINCT_TOLERANCE = 1e-9;

type Mode = 'mean' | 'mean_std' | 'none';

function sum(values: readonly number[]): number {
    let total = 0;
    for (const v of values) total += v;
    return total;
}

function normaliseRewards(values: readonly number[], method: Mode): number[] {
    if (method === 'none' || values.length === 0) return [...values];
    const n = values.length;
    const mu = sum(values) / n;
    if (method === 'mean') return values.map((v) => v - mu);
    if (n < 2) return values.map(() => 0); // their masked_var raises, x.std() is NaN: read as "no spread"
    const sd = Math.sqrt(sum(values.map((v) => (v - mu) ** 2)) / (n - 1));
    return sd > NORM_EPS ? values.map((v) => (v - mu) / (sd + NORM_EPS)) : values.map(() => 0);
}

function centre(values: readonly number[], pool: readonly number[], mode: Mode): number[] {
    if (mode === 'none') return [...values];
    if (new Set(pool).size < 2) return values.map(() => 0);
    const ordered = [...pool].sort((a, b) => a - b); // torch.unique sorts; same summation order as the Python twin
    const mu = sum(ordered) / ordered.length;
    if (mode === 'mean') return values.map((v) => v - mu);
    const sd = Math.sqrt(sum(ordered.map((v) => (v - mu) ** 2)) / (ordered.length - 1));
    return values.map((v) => (v - mu) / (sd + NORM_EPS));
}

/**
 * The sorted distinct values (torch.unique), where values within DISTINCT_TOLERANCE of the previous kept value are
 * rounding residues of it and count once; `withZero` adds the padding's 0 unless a value is that close to 0.
 */
export function distinctValues(values: readonly number[], withZero: boolean): number[] {
    const pool = (withZero ? [...values, 0] : [...values]).sort((a, b) => a - b);
    const tolerance = DISTINCT_TOLERANCE * pool.reduce((most, v) => Math.max(most, Math.abs(v)), 1);
    const kept: number[] = [];
    for (const v of pool) {
        if (kept.length === 0 || v - kept[kept.length - 1]! > tolerance) kept.push(v);
        else if (withZero && v === 0) kept[kept.length - 1] = 0; // the padding's exact 0 represents its cluster
    }
    return kept;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
}

/** MARS pools both normalisations over the whole batch: pass every group of a step. Result: [group][rollout][decision]. */
export function turnLevelCreditBatch(groups: readonly CreditGroup[], params: CreditParams): GroupCredit[] {
    const reader = new ParamReader(CreditMethod.turn_level, params, TURN_LEVEL_PARAMS);
    const rewardNorm = reader.choice('reward_norm', ['mean', 'mean_std', 'none'] as const, 'mean');
    const advantageNorm = reader.choice('advantage_norm', ['mean', 'mean_std', 'none'] as const, 'mean');
    const advantagePool = reader.choice(
        'advantage_pool',
        ['distinct_with_zero', 'distinct', 'decisions'] as const,
        'distinct_with_zero',
    );

    // Decisions are numbered across the batch (rollout by rollout) and kept in flat arrays: per-decision tuples and
    // nested arrays made a batch of 1 000 000 decisions spend most of its time in garbage collection.
    const offsets: number[][] = [];
    let total = 0;
    for (const group of groups)
        offsets.push(
            group.rollouts.map((r) => {
                const at = total;
                total += r.decisions.length;
                return at;
            }),
        );

    // 1. Reward positions (get_masks_and_scores), listed per agent in batch order.
    const turnScores = groups.some((g) =>
        g.rollouts.some((r) => r.decisions.some((d) => d.reward !== undefined && d.reward !== null)),
    );
    const rewardAt = new Map<string, number[]>();
    const rewardOf = new Map<string, number[]>();
    groups.forEach((group, gi) =>
        group.rollouts.forEach((rollout, ri) => {
            const at = offsets[gi]![ri]!;
            if (turnScores) {
                rollout.decisions.forEach((d, di) => {
                    pushTo(rewardAt, d.agent, at + di);
                    pushTo(rewardOf, d.agent, d.reward ?? 0);
                });
            } else {
                const lastOfAgent = new Map<string, number>();
                rollout.decisions.forEach((d, di) => lastOfAgent.set(d.agent, di));
                for (const [agent, di] of lastOfAgent) {
                    pushTo(rewardAt, agent, at + di);
                    pushTo(rewardOf, agent, rollout.reward);
                }
            }
        }),
    );

    // 2. Per-agent normalisation of the rewards.
    const normalised = new Float64Array(total);
    for (const [agent, positions] of rewardAt) {
        const values = normaliseRewards(rewardOf.get(agent)!, rewardNorm);
        positions.forEach((at, k) => {
            normalised[at] = values[k]!;
        });
    }

    // 3. Reverse cumulative sum along each agent's own decisions of a rollout (gamma 1).
    const returns = new Float64Array(total);
    groups.forEach((group, gi) =>
        group.rollouts.forEach((rollout, ri) => {
            const at = offsets[gi]![ri]!;
            const running = new Map<string, number>();
            for (let di = rollout.decisions.length - 1; di >= 0; di--) {
                const agent = rollout.decisions[di]!.agent;
                const value = normalised[at + di]! + (running.get(agent) ?? 0);
                running.set(agent, value);
                returns[at + di] = value;
            }
        }),
    );

    // 4. Per-agent centring over the batch.
    const decisionsOfAgent = new Map<string, number[]>();
    groups.forEach((group, gi) =>
        group.rollouts.forEach((rollout, ri) => {
            const at = offsets[gi]![ri]!;
            rollout.decisions.forEach((d, di) => pushTo(decisionsOfAgent, d.agent, at + di));
        }),
    );
    const credit = Float64Array.from(returns);
    for (const positions of decisionsOfAgent.values()) {
        const values = positions.map((at) => returns[at]!);
        const pool =
            advantagePool === 'decisions' ? values : distinctValues(values, advantagePool === 'distinct_with_zero');
        const centred = centre(values, pool, advantageNorm);
        positions.forEach((at, k) => {
            credit[at] = centred[k]!;
        });
    }
    return groups.map((group, gi) =>
        group.rollouts.map((rollout, ri) => {
            const at = offsets[gi]![ri]!;
            return Array.from(credit.subarray(at, at + rollout.decisions.length));
        }),
    );
}

/** One task's group as the whole batch. */
export function turnLevelCredit(group: CreditGroup, params: CreditParams): GroupCredit {
    return turnLevelCreditBatch([group], params)[0]!;
}
