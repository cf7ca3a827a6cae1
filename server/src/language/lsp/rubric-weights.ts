import type { Rubric } from '../generated/ast.js';

/** Tolerance under which a rubric's weights are taken to sum to 1 (0.7 + 0.2 + 0.1 in floating point). */
const SUM_TOLERANCE = 1e-9;

/**
 * Each criterion's weight divided by the sum of the rubric's weights, in criterion order; undefined when
 * the sum is not positive (nothing sensible to normalise by).
 */
export function normalizedWeights(rubric: Rubric): number[] | undefined {
    const weights = rubric.criteria.map((criterion) => criterion.weight ?? 0);
    const sum = weights.reduce((total, weight) => total + weight, 0);
    if (!(sum > 0)) {
        return undefined;
    }
    return weights.map((weight) => weight / sum);
}

/** True when the weights already sum to 1, so normalising changes nothing. */
export function weightsSumToOne(rubric: Rubric): boolean {
    const sum = rubric.criteria.reduce((total, criterion) => total + (criterion.weight ?? 0), 0);
    return Math.abs(sum - 1) < SUM_TOLERANCE;
}
