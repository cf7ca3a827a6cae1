// The TypeScript side of the credit-method registry (protocol/generated/credit-methods.ts, generated from the
// catalogue): analysis/credit computes every method that needs no critic, each estimator accepts exactly the
// catalogue's parameters and values, and the capability lists are those the code always used.
import { describe, expect, it } from 'vitest';
import { computeCredit, computeCreditBatch, KNOWN_METHODS } from '../../analysis/credit/index.js';
import {
    creditMethodsWhere,
    CREDIT_METHOD_REGISTRY,
    DEFAULT_CREDIT_METHOD,
    isCreditMethod,
    methodInfo,
    type CreditGroup,
    type CreditParams,
} from '../../protocol/credit.js';
import { CREDIT_METHODS, TRAIN_SETTINGS } from '../../server/src/language/catalog/training-catalog.js';

const probe: CreditGroup = {
    rollouts: [1, 0].map((reward) => ({
        decisions: [{ agent: 'a', turn: 0 }],
        reward,
        counterfactuals: [{ nulled: ['a'], reward: 0 }],
        permutations: null,
    })),
};

function required(method: string): CreditParams {
    return Object.fromEntries(
        methodInfo(method)!
            .parameters.filter((p) => p.required)
            .map((p) => [p.name, [2]]),
    );
}

function message(run: () => unknown): string {
    try {
        run();
    } catch (err) {
        return (err as Error).message;
    }
    throw new Error('no error thrown');
}

describe('credit-method registry (TypeScript)', () => {
    it('is the catalogue: same names, parameters and capabilities, same default', () => {
        expect(CREDIT_METHOD_REGISTRY.map((m) => m.name)).toEqual(CREDIT_METHODS.map((m) => m.name));
        for (const entry of CREDIT_METHOD_REGISTRY) {
            const source = CREDIT_METHODS.find((m) => m.name === entry.name)!;
            expect(entry.capabilities).toEqual(source.capabilities);
            expect(entry.parameters.map((p) => [p.name, p.kind, p.default, p.values])).toEqual(
                source.parameters.map((p) => [p.name, p.kind, p.default, p.values]),
            );
        }
        expect(DEFAULT_CREDIT_METHOD).toBe(TRAIN_SETTINGS.find((s) => s.name === 'credit')!.default);
        expect(isCreditMethod('sideways')).toBe(false);
        expect(methodInfo('sideways')).toBeUndefined();
    });

    it('keeps the capability lists the code always used', () => {
        expect(KNOWN_METHODS).toEqual([
            'outcome',
            'agent_normalized',
            'turn_level',
            'counterfactual',
            'difference',
            'shapley',
        ]);
        expect(creditMethodsWhere((c) => c.poolsOverBatch)).toEqual(['turn_level']);
        expect(creditMethodsWhere((c) => c.rescorable)).toEqual([
            'outcome',
            'agent_normalized',
            'turn_level',
            'counterfactual',
        ]);
        expect(creditMethodsWhere((c) => c.needsNulledReruns)).toEqual(['difference', 'shapley']);
        expect(creditMethodsWhere((c) => c.needsTree)).toEqual(['counterfactual']);
        expect(creditMethodsWhere((c) => c.needsCritic)).toEqual(['critic']);
    });

    it('refuses a method that needs a critic, as an unknown one', () => {
        expect(() => computeCreditBatch('critic', [probe])).toThrow("unknown credit method 'critic'");
    });

    it.each(KNOWN_METHODS.map((m) => [m]))('%s knows exactly the catalogue parameters', (method) => {
        const text = message(() => computeCredit(method, probe, { ...required(method), zzz_unknown: 1 }));
        const known = /known: (.*)$/.exec(text)![1]!.split(', ');
        expect(known.sort()).toEqual(
            methodInfo(method)!
                .parameters.map((p) => p.name)
                .sort(),
        );
    });

    const choices = KNOWN_METHODS.flatMap((m) =>
        methodInfo(m)!
            .parameters.filter((p) => p.values)
            .map((p) => [m, p.name] as const),
    );
    it.each(choices)('%s: %s allows exactly the catalogue values', (method, name) => {
        const param = methodInfo(method)!.parameters.find((p) => p.name === name)!;
        const text = message(() => computeCredit(method, probe, { ...required(method), [name]: 'zzz_unknown' }));
        expect(/must be one of (.*), got/.exec(text)![1]!.split(', ')).toEqual(param.values);
    });
});
