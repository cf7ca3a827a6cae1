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
 * 5. whiten_rewards / whiten_advantages (masked_whiten over every response token of the batch, all players pooled):
 *    each decision counts as ONE response token, so MARS is reproduced exactly when responses are one token long;
 *    `gamma` discounts compute_reinforce_return over the agent's turns.
 * `preset: mars_paper` = MARS's self-play configs (both whitenings on, gamma 1, mean normalisations) with
 * `advantage_pool: float32_distinct` (returns rounded to float32 and compared exactly, as torch.unique does in
 * MARS); `preset: ours` (default) keeps the residue-proof DISTINCT_TOLERANCE comparison. Explicit params override.
 * docs/credit-estimators.md has the details; twin of trainer/mas_trainer/credit/turn_level.py (same operation
 * order, so bit-identical sums).
 */
export const TURN_LEVEL_PARAMS = [
    'reward_norm',
    'advantage_norm',
    'advantage_pool',
    'whiten_rewards',
    'whiten_advantages',
    'gamma',
    'preset',
] as const;
const NORM_EPS = 1e-6;
/** masked_whiten's `rsqrt(var + 1e-8)`. */
const WHITEN_EPS = 1e-8;
type Pool = 'distinct_with_zero' | 'distinct' | 'decisions' | 'float32_distinct';
interface Preset {
    reward_norm: Mode;
    advantage_norm: Mode;
    advantage_pool: Pool;
    whiten_rewards: 'off' | 'on';
    whiten_advantages: 'off' | 'on';
    gamma: number;
}
/** Defaults per preset; twin: PRESETS in trainer/mas_trainer/credit/turn_level.py. */
export const PRESETS: Record<'ours' | 'mars_paper', Preset> = {
    ours: {
        reward_norm: 'mean',
        advantage_norm: 'mean',
        advantage_pool: 'distinct_with_zero',
        whiten_rewards: 'off',
        whiten_advantages: 'off',
        gamma: 1,
    },
    mars_paper: {
        reward_norm: 'mean',
        advantage_norm: 'mean',
        advantage_pool: 'float32_distinct',
        whiten_rewards: 'on',
        whiten_advantages: 'on',
        gamma: 1,
    },
};
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

/** torch.unique on MARS's float32 tensor: values rounded to float32, compared exactly, plus the padding's 0. */
export function float32DistinctValues(values: readonly number[]): number[] {
    return [...new Set([...values.map((v) => Math.fround(v)), 0])].sort((a, b) => a - b);
}

/** masked_whiten over all response tokens (one per decision); a single token reads as no spread. */
function whiten(values: readonly number[]): number[] {
    const n = values.length;
    if (n === 0) return [];
    const mu = sum(values) / n;
    const variance = n > 1 ? sum(values.map((v) => (v - mu) ** 2)) / (n - 1) : 0;
    return values.map((v) => (v - mu) / Math.sqrt(variance + WHITEN_EPS));
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
    const preset = PRESETS[reader.choice('preset', ['ours', 'mars_paper'] as const, 'ours')];
    const rewardNorm = reader.choice('reward_norm', ['mean', 'mean_std', 'none'] as const, preset.reward_norm);
    const advantageNorm = reader.choice('advantage_norm', ['mean', 'mean_std', 'none'] as const, preset.advantage_norm);
    const advantagePool = reader.choice(
        'advantage_pool',
        ['distinct_with_zero', 'distinct', 'decisions', 'float32_distinct'] as const,
        preset.advantage_pool,
    );
    const whitenRewards = reader.choice('whiten_rewards', ['off', 'on'] as const, preset.whiten_rewards) === 'on';
    const whitenAdvantages =
        reader.choice('whiten_advantages', ['off', 'on'] as const, preset.whiten_advantages) === 'on';
    const gamma = reader.nonNegativeNumber('gamma', preset.gamma);
    if (gamma > 1) throw new Error(`credit \`turn_level\`: \`gamma\` must be between 0 and 1, got ${gamma}`);

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

    if (whitenRewards) {
        // Every response token is whitened, reward position or not; decisions are numbered in batch order.
        const whitened = whiten(Array.from(normalised));
        whitened.forEach((v, at) => {
            normalised[at] = v;
        });
    }

    // 3. Discounted reverse cumulative sum along each agent's own decisions of a rollout.
    const returns = new Float64Array(total);
    groups.forEach((group, gi) =>
        group.rollouts.forEach((rollout, ri) => {
            const at = offsets[gi]![ri]!;
            const running = new Map<string, number>();
            for (let di = rollout.decisions.length - 1; di >= 0; di--) {
                const agent = rollout.decisions[di]!.agent;
                const value = normalised[at + di]! + gamma * (running.get(agent) ?? 0);
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
            advantagePool === 'decisions'
                ? values
                : advantagePool === 'float32_distinct'
                  ? float32DistinctValues(values)
                  : distinctValues(values, advantagePool === 'distinct_with_zero');
        const centred = centre(values, pool, advantageNorm);
        positions.forEach((at, k) => {
            credit[at] = centred[k]!;
        });
    }
    if (whitenAdvantages) {
        const whitened = whiten(Array.from(credit));
        whitened.forEach((v, at) => {
            credit[at] = v;
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
