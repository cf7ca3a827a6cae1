import { CreditMethod, type CreditGroup, type CreditParams, type GroupCredit } from '../../protocol/credit.js';
import { ParamReader, positiveIntList } from './params.js';

/**
 * `counterfactual` credit (C3): the group is the G = Π fanout leaves of a prefix tree in prefix order; a node's value
 * is the mean reward of the leaves under it; its credit is value − baseline over its siblings (same frozen context),
 * then standardised within the siblings (C3's group_mean_std). `reward_only`: the baseline is the siblings'
 * leave-one-out mean value; `value_assisted` (C3's paper default): (1 − alpha) · that + alpha · the siblings'
 * leave-one-out mean critic Q (CreditDecision.q of the node's decision). `no_replay: on` compares a node with every
 * node of its depth. Decisions past the fan-out list get 0 (fan-out 1: no siblings). Twin of
 * trainer/mas_trainer/credit/counterfactual.py.
 */
export const COUNTERFACTUAL_PARAMS = ['fanout', 'baseline', 'normalize', 'variant', 'alpha', 'no_replay'] as const;
const C3_STD_EPS = 1e-8;

export interface CounterfactualParams {
    fanout: number[];
    baseline: 'loo' | 'full_mean';
    normalize: boolean;
    variant: 'reward_only' | 'value_assisted';
    alpha: number;
    noReplay: boolean;
}

export function leafSize(fanout: readonly number[], depth: number): number {
    return fanout.slice(depth + 1).reduce((a, b) => a * b, 1);
}

/** The checked switches with C3's defaults, except `variant` (reward_only: it needs no critic). */
export function readCounterfactual(params: CreditParams): CounterfactualParams {
    const reader = new ParamReader(CreditMethod.counterfactual, params, COUNTERFACTUAL_PARAMS);
    const fanout = positiveIntList(CreditMethod.counterfactual, params, 'fanout');
    const alpha = reader.nonNegativeNumber('alpha', 1);
    if (alpha > 1) {
        throw new Error(`credit \`counterfactual\`: \`alpha\` must be between 0 and 1, got ${JSON.stringify(alpha)}`);
    }
    return {
        fanout,
        baseline: reader.choice('baseline', ['loo', 'full_mean'] as const, 'loo'),
        normalize: reader.choice('normalize', ['siblings', 'none'] as const, 'siblings') === 'siblings',
        variant: reader.choice('variant', ['reward_only', 'value_assisted'] as const, 'reward_only'),
        alpha,
        noReplay: reader.choice('no_replay', ['off', 'on'] as const, 'off') === 'on',
    };
}

function baselineOf(values: readonly number[], mode: 'loo' | 'full_mean'): number[] {
    const n = values.length;
    let total = 0;
    for (const v of values) total += v;
    return values.map((v) => (mode === 'loo' ? (total - v) / (n - 1) : total / n));
}

function advantages(values: number[], q: number[] | undefined, p: CounterfactualParams): number[] {
    const n = values.length;
    if (n <= 1) return values.map(() => 0);
    const bR = baselineOf(values, p.baseline);
    const bQ = q ? baselineOf(q, p.baseline) : undefined;
    const adv = values.map((v, i) => (bQ ? v - ((1 - p.alpha) * bR[i]! + p.alpha * bQ[i]!) : v - bR[i]!));
    if (!p.normalize) return adv;
    let sum = 0;
    for (const a of adv) sum += a;
    const mu = sum / n;
    let squares = 0;
    for (const a of adv) squares += (a - mu) ** 2;
    const std = Math.max(Math.sqrt(squares / n + C3_STD_EPS), C3_STD_EPS);
    return adv.map((a) => (a - mu) / std);
}

function nodeQ(group: CreditGroup, leaf: number, depth: number): number {
    const q = group.rollouts[leaf]!.decisions[depth]!.q;
    if (q === undefined || q === null) {
        throw new Error(
            `credit \`counterfactual(variant: value_assisted)\` needs the critic's Q of every tree node, but decision ` +
                `${depth} of rollout ${leaf} has none; the trainer fills it from \`critic: <model>\` in the train block`,
        );
    }
    return q;
}

/** The nodes compared with each other: one parent's children, or with no_replay every node of the depth. */
function comparedGroups(nodes: number, fan: number, exists: boolean[], noReplay: boolean): number[][] {
    const spans: [number, number][] = [];
    if (noReplay) spans.push([0, nodes]);
    else for (let parent = 0; parent < nodes / fan; parent++) spans.push([parent * fan, (parent + 1) * fan]);
    return spans.map(([from, to]) => {
        const members: number[] = [];
        for (let node = from; node < to; node++) if (exists[node]) members.push(node);
        return members;
    });
}

export function counterfactualCredit(group: CreditGroup, params: CreditParams): GroupCredit {
    const p = readCounterfactual(params);
    const { fanout } = p;
    const rollouts = group.rollouts;
    const leaves = fanout.reduce((a, b) => a * b, 1);
    if (rollouts.length !== leaves) {
        throw new Error(
            `credit \`counterfactual\`: the group has ${rollouts.length} rollouts but the fan-out [${fanout.join(', ')}] ` +
                `makes ${leaves} leaves; the GRPO group must equal the fan-out product`,
        );
    }
    const creditAt: number[][] = fanout.map((fan, depth) => {
        const size = leafSize(fanout, depth);
        const nodes = rollouts.length / size;
        const level = new Array<number>(nodes).fill(0);
        const exists: boolean[] = [];
        const values: number[] = [];
        for (let node = 0; node < nodes; node++) {
            exists.push(rollouts[node * size]!.decisions.length > depth);
            let sum = 0;
            for (let i = node * size; i < (node + 1) * size; i++) sum += rollouts[i]!.reward;
            values.push(sum / size);
        }
        for (const members of comparedGroups(nodes, fan, exists, p.noReplay)) {
            // a lone node gets 0 whatever its Q
            const q =
                p.variant === 'value_assisted' && members.length > 1
                    ? members.map((node) => nodeQ(group, node * size, depth))
                    : undefined;
            advantages(
                members.map((node) => values[node]!),
                q,
                p,
            ).forEach((a, k) => {
                level[members[k]!] = a;
            });
        }
        return level;
    });
    return rollouts.map((r, i) =>
        r.decisions.map((_, j) => (j < fanout.length ? creditAt[j]![Math.floor(i / leafSize(fanout, j))]! : 0)),
    );
}

/** The leaf this one branched from (same digits, last non-zero one set to 0) and the turns it shares with it. */
export function treeParent(index: number, fanout: readonly number[]): { parent: number | null; branchTurn: number } {
    const digits: number[] = [];
    let rest = index;
    for (let depth = fanout.length - 1; depth >= 0; depth--) {
        digits.unshift(rest % fanout[depth]!);
        rest = Math.floor(rest / fanout[depth]!);
    }
    let last = -1;
    digits.forEach((d, depth) => {
        if (d !== 0) last = depth;
    });
    if (last < 0) return { parent: null, branchTurn: 0 };
    return { parent: index - digits[last]! * leafSize(fanout, last), branchTurn: last };
}
