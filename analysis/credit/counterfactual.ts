import { CreditMethod, type CreditGroup, type CreditParams, type GroupCredit } from '../../protocol/credit.js';
import { ParamReader, positiveIntList } from './params.js';

/**
 * `counterfactual` credit (C3, reward-only): the group is the G = Π fanout leaves of a prefix tree in prefix order;
 * a node's value is the mean reward of the leaves under it; its credit is value − leave-one-out mean of its siblings
 * (same frozen context), then standardised within the siblings (C3's group_mean_std). Decisions past the fan-out
 * list get 0 (fan-out 1: no siblings). Twin of trainer/mas_trainer/credit/counterfactual.py.
 */
export const COUNTERFACTUAL_PARAMS = ['fanout', 'baseline', 'normalize'] as const;
const C3_STD_EPS = 1e-8;

export function leafSize(fanout: readonly number[], depth: number): number {
    return fanout.slice(depth + 1).reduce((a, b) => a * b, 1);
}

export function readCounterfactual(params: CreditParams): {
    fanout: number[];
    baseline: 'loo' | 'full_mean';
    normalize: boolean;
} {
    const reader = new ParamReader(CreditMethod.counterfactual, params, COUNTERFACTUAL_PARAMS);
    const fanout = positiveIntList(CreditMethod.counterfactual, params, 'fanout');
    const baseline = reader.choice('baseline', ['loo', 'full_mean'] as const, 'loo');
    return {
        fanout,
        baseline,
        normalize: reader.choice('normalize', ['siblings', 'none'] as const, 'siblings') === 'siblings',
    };
}

function advantages(values: number[], baseline: 'loo' | 'full_mean', normalize: boolean): number[] {
    const n = values.length;
    if (n <= 1) return values.map(() => 0);
    let total = 0;
    for (const v of values) total += v;
    const adv = values.map((v) => (baseline === 'loo' ? v - (total - v) / (n - 1) : v - total / n));
    if (!normalize) return adv;
    let sum = 0;
    for (const a of adv) sum += a;
    const mu = sum / n;
    let squares = 0;
    for (const a of adv) squares += (a - mu) ** 2;
    const std = Math.max(Math.sqrt(squares / n + C3_STD_EPS), C3_STD_EPS);
    return adv.map((a) => (a - mu) / std);
}

export function counterfactualCredit(group: CreditGroup, params: CreditParams): GroupCredit {
    const { fanout, baseline, normalize } = readCounterfactual(params);
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
        for (let parent = 0; parent < nodes / fan; parent++) {
            const siblings: number[] = [];
            for (let node = parent * fan; node < (parent + 1) * fan; node++) {
                if (rollouts[node * size]!.decisions.length > depth) siblings.push(node);
            }
            const values = siblings.map((node) => {
                let sum = 0;
                for (let i = node * size; i < (node + 1) * size; i++) sum += rollouts[i]!.reward;
                return sum / size;
            });
            advantages(values, baseline, normalize).forEach((a, k) => {
                level[siblings[k]!] = a;
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
