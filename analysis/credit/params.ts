import type { CreditParams } from '../../protocol/credit.js';

/**
 * Reads an estimator's params with defaults; an unknown key or a bad value throws one sentence naming the estimator,
 * the key and what is allowed (twin of trainer/mas_trainer/credit/params.py, same wording).
 */
export class ParamReader {
    constructor(private readonly method: string, private readonly params: CreditParams, known: readonly string[]) {
        const unknown = Object.keys(params).filter(k => !known.includes(k)).sort();
        if (unknown.length > 0) {
            throw new Error(`credit \`${method}\` has no parameter ${unknown.map(k => `'${k}'`).join(', ')}; `
                + `known: ${[...known].sort().join(', ') || 'none'}`);
        }
    }

    choice<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
        const value = this.params[key] ?? fallback;
        if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
            throw new Error(`credit \`${this.method}\`: \`${key}\` must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
        }
        return value as T;
    }

    nonNegativeNumber(key: string, fallback: number): number {
        const value = this.params[key] ?? fallback;
        if (typeof value !== 'number' || !(value >= 0)) {
            throw new Error(`credit \`${this.method}\`: \`${key}\` must be a number >= 0, got ${JSON.stringify(value)}`);
        }
        return value;
    }
}
