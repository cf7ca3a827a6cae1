import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeCredit, computeCreditBatch, KNOWN_METHODS } from '../../analysis/credit/index.js';
import type { CreditBatchVector, CreditGroup, CreditVector } from '../../protocol/credit.js';

const VECTOR_DIR = join(import.meta.dirname, '../fixtures/credit');
const TOLERANCE = 1e-6;

function load<T>(file: string): T[] {
    return JSON.parse(readFileSync(join(VECTOR_DIR, file), 'utf8')) as T[];
}

/** Same shape, every number finite and within TOLERANCE; the path names the first mismatch. */
function expectClose(actual: unknown, expected: unknown, path = 'credit'): void {
    if (Array.isArray(expected)) {
        expect(Array.isArray(actual), `${path} is an array`).toBe(true);
        const list = actual as unknown[];
        expect(list.length, `${path}.length`).toBe(expected.length);
        expected.forEach((e, i) => expectClose(list[i], e, `${path}[${i}]`));
        return;
    }
    expect(Number.isFinite(actual), `${path} is finite`).toBe(true);
    expect(
        Math.abs((actual as number) - (expected as number)),
        `${path}: ${String(actual)} vs ${String(expected)}`,
    ).toBeLessThanOrEqual(TOLERANCE);
}

const groupVectors = KNOWN_METHODS.flatMap((method) => load<CreditVector>(`${method}.json`));
const batchVectors = load<CreditBatchVector>('batch.json');
/** MAGRPO's baselines (`baseline: group_mean | rloo`, `epsilon_form: in_sqrt`), computed by C3's own code
 *  (trainer/tools/make_magrpo_vectors.py). */
const magrpoVectors = load<CreditVector>('magrpo.json');
/** MARS's switches (`preset: mars_paper`, whiten_rewards, whiten_advantages, gamma), computed by MARS's own code
 *  (trainer/tools/make_mars_vectors.py). */
const marsVectors = load<CreditVector>('mars.json');
/** C3's counterfactual switches (`variant: value_assisted`, alpha, no_replay), computed by C3's own credit code on
 *  prefix trees with given Q per node (trainer/tools/make_c3_vectors.py). */
const c3Vectors = load<CreditVector>('c3.json');
const marsBatchVectors = load<CreditBatchVector>('mars-batch.json');

describe('credit golden vectors (shared with trainer/tests/test_credit_vectors.py)', () => {
    it('covers every method with uniquely named vectors', () => {
        expect(new Set(groupVectors.map((v) => v.method))).toEqual(new Set(KNOWN_METHODS));
        for (const method of KNOWN_METHODS) {
            const names = groupVectors.filter((v) => v.method === method).map((v) => v.name);
            expect(new Set(names).size).toBe(names.length);
        }
    });

    it.each(groupVectors.map((v) => [`${v.method}:${v.name}`, v] as const))('%s', (_name, vector) => {
        expectClose(computeCredit(vector.method, vector.group, vector.params), vector.expected);
    });

    it.each(magrpoVectors.map((v) => [`magrpo ${v.method}:${v.name}`, v] as const))('%s', (_name, vector) => {
        expectClose(computeCredit(vector.method, vector.group, vector.params), vector.expected);
    });

    it('has MAGRPO vectors for both baselines of outcome and agent_normalized', () => {
        const kinds = new Set(magrpoVectors.map((v) => `${v.method}/${String(v.params.baseline)}`));
        expect(kinds).toEqual(
            new Set(['outcome/group_mean', 'outcome/rloo', 'agent_normalized/group_mean', 'agent_normalized/rloo']),
        );
    });

    it.each(c3Vectors.map((v) => [`c3 ${v.method}:${v.name}`, v] as const))('%s', (_name, vector) => {
        expectClose(computeCredit(vector.method, vector.group, vector.params), vector.expected);
    });

    it('has C3 value_assisted vectors for alpha 0 and 1, lone nodes and several sibling counts', () => {
        const assisted = c3Vectors.filter((v) => v.params.variant === 'value_assisted');
        expect(assisted.length).toBeGreaterThanOrEqual(20);
        const alphas = new Set(assisted.map((v) => v.params.alpha));
        expect(alphas.has(0) && alphas.has(1)).toBe(true);
        const fanouts = new Set(assisted.flatMap((v) => v.params.fanout as number[]));
        for (const n of [1, 2, 3, 4]) expect(fanouts.has(n)).toBe(true);
    });

    it.each(marsVectors.map((v) => [`mars ${v.method}:${v.name}`, v] as const))('%s', (_name, vector) => {
        expectClose(computeCredit(vector.method, vector.group, vector.params), vector.expected);
    });

    it.each(marsBatchVectors.map((v) => [`mars batch ${v.method}:${v.name}`, v] as const))('%s', (_name, vector) => {
        expectClose(computeCreditBatch(vector.method, vector.groups, vector.params), vector.expected);
    });

    it('has MARS vectors for every turn_level switch', () => {
        const switched = new Set(marsVectors.flatMap((v) => Object.keys(v.params)));
        expect(switched).toEqual(new Set(['preset', 'gamma', 'advantage_norm', 'whiten_rewards', 'whiten_advantages']));
    });

    it.each(batchVectors.map((v) => [`batch ${v.method}:${v.name}`, v] as const))('%s', (_name, vector) => {
        expectClose(computeCreditBatch(vector.method, vector.groups, vector.params), vector.expected);
    });
});

describe('credit API errors', () => {
    const group: CreditGroup = { rollouts: [{ decisions: [{ agent: 'a', turn: 0 }], reward: 1 }] };

    it('refuses an unknown method with a sentence', () => {
        expect(() => computeCredit('sideways', group)).toThrow(
            "unknown credit method 'sideways'; this module computes outcome",
        );
    });

    it.each(KNOWN_METHODS.map((m) => [m]))('refuses an unknown param of %s', (method) => {
        expect(() => computeCredit(method, group, { epsilonn: 1e-6 })).toThrow(
            `credit \`${method}\` has no parameter 'epsilonn'`,
        );
    });

    const tree = (q: (number | null)[]): CreditGroup => ({
        rollouts: q.map((v, i) => ({ decisions: [{ agent: 'a', turn: 0, q: v }], reward: i === 0 ? 1 : 0 })),
    });

    it('refuses value_assisted credit without the Q of a node, naming it and the fix', () => {
        expect(() =>
            computeCredit('counterfactual', tree([0.5, null]), { fanout: [2], variant: 'value_assisted' }),
        ).toThrow(/decision 0 of rollout 1 has none; .* `critic: <model>`/);
    });

    it('uses the siblings Q in value_assisted and ignores it in reward_only', () => {
        const raw = { fanout: [2], normalize: 'none' };
        expect(computeCredit('counterfactual', tree([0.75, 0.25]), { ...raw, variant: 'value_assisted' })).toEqual([
            [0.75],
            [-0.75],
        ]);
        expect(computeCredit('counterfactual', tree([0.75, 0.25]), raw)).toEqual([[1], [-1]]);
        expect(() => computeCredit('counterfactual', tree([0.5, 0.5]), { fanout: [2], alpha: 2 })).toThrow(
            '`alpha` must be between 0 and 1',
        );
    });

    it('names the allowed values of a bad switch', () => {
        expect(() => computeCredit('agent_normalized', group, { pooling: 'sideways' })).toThrow(
            '`pooling` must be one of decision, rollout',
        );
    });
});
