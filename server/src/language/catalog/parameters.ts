import type { CreditCapabilities, CreditMethodParameter } from '../../../../protocol/credit.js';

/**
 * Describes one named argument of a method call (`grpo(group: 8)`), for validation, hover, completion and compile:
 * the registry's parameter shape (kind, inclusive bounds for numbers, allowed identifiers, default) and its hover text.
 */
export interface ParameterInfo extends CreditMethodParameter {
    doc: string;
}

export interface MethodInfo {
    name: string;
    summary: string;
    /** Markdown shown on hover: the formula, for credit methods. */
    formula?: string;
    source?: string;
    parameters: readonly ParameterInfo[];
}

/** A credit estimator of the catalogue: the source of the generated credit-method registry. */
export interface CreditMethodInfo extends MethodInfo {
    capabilities: CreditCapabilities;
}

/** Finds a method by name in a catalogue. */
export function findMethod(methods: readonly MethodInfo[], name: string | undefined): MethodInfo | undefined {
    return methods.find((method) => method.name === name);
}

/** Closest known name within edit distance 2, for "did you mean" quick fixes. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = 3;
    for (const candidate of candidates) {
        const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0]!;
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = row[j]!;
            row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return row[b.length]!;
}
