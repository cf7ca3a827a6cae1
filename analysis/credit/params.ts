import type { CreditParams } from '../../protocol/credit.js';

/**
 * Reads an estimator's params with defaults; an unknown key or a bad value throws one sentence naming the estimator,
 * the key and what is allowed (twin of trainer/mas_trainer/credit/params.py, same wording).
 */
export class ParamReader {
    constructor(
        private readonly method: string,
        private readonly params: CreditParams,
        known: readonly string[],
    ) {
        const unknown = Object.keys(params)
            .filter((k) => !known.includes(k))
            .sort();
        if (unknown.length > 0) {
            throw new Error(
                `credit \`${method}\` has no parameter ${unknown.map((k) => `'${k}'`).join(', ')}; ` +
                    `known: ${[...known].sort().join(', ') || 'none'}`,
            );
        }
    }

    choice<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
        const value = this.params[key] ?? fallback;
        if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
            throw new Error(
                `credit \`${this.method}\`: \`${key}\` must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
            );
        }
        return value as T;
    }

    nonNegativeNumber(key: string, fallback: number): number {
        const value = this.params[key] ?? fallback;
        if (typeof value !== 'number' || !(value >= 0)) {
            throw new Error(
                `credit \`${this.method}\`: \`${key}\` must be a number >= 0, got ${JSON.stringify(value)}`,
            );
        }
        return value;
    }
}

/** A whole number >= 1, or `fallback` when absent (same wording as params.py positive_int). */
export function positiveInt(method: string, params: CreditParams, key: string, fallback: number): number {
    const value = params[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
        throw new Error(`credit \`${method}\`: \`${key}\` must be a whole number >= 1, got ${JSON.stringify(value)}`);
    }
    return value;
}

/** A required non-empty list of whole numbers >= 1 (`fanout: [2, 4]`), same wording as params.py. */
export function positiveIntList(method: string, params: CreditParams, key: string): number[] {
    if (!(key in params))
        throw new Error(`credit \`${method}\` needs \`${key}\`, a list of whole numbers >= 1 (e.g. [2, 4])`);
    const value = params[key];
    if (
        !Array.isArray(value) ||
        value.length === 0 ||
        value.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    ) {
        throw new Error(
            `credit \`${method}\`: \`${key}\` must be a non-empty list of whole numbers >= 1, got ${JSON.stringify(value)}`,
        );
    }
    return [...value];
}
