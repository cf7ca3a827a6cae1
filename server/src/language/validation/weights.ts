/** Tolerance under which weights are taken to sum to 1 (0.7 + 0.2 + 0.1 is not exactly 1 in floating point). */
const SUM_TOLERANCE = 1e-9;

/** Decimal places the "normalize weights" fix writes, unless a weight needs more to stay above 0. */
const DEFAULT_DECIMALS = 4;
const MAX_DECIMALS = 12;

export function weightsSumToOne(weights: readonly number[]): boolean {
    return Math.abs(weights.reduce((total, weight) => total + weight, 0) - 1) < SUM_TOLERANCE;
}

/**
 * Each weight divided by their sum, as decimal text that sums to exactly 1: rounded to 4 decimals
 * (more for tiny weights, so none becomes 0), with the rounding remainder given to the largest weight.
 * Undefined when the weights are not all positive.
 */
export function normalizeWeights(weights: readonly number[]): string[] | undefined {
    const sum = weights.reduce((total, weight) => total + weight, 0);
    if (weights.length === 0 || weights.some((weight) => !(weight > 0)) || !Number.isFinite(sum)) return undefined;
    const shares = weights.map((weight) => weight / sum);
    const smallest = Math.min(...shares);
    const decimals = Math.min(MAX_DECIMALS, Math.max(DEFAULT_DECIMALS, Math.ceil(-Math.log10(smallest)) + 2));
    const scale = 10 ** decimals;
    const units = shares.map((share) => Math.round(share * scale));
    const largest = units.indexOf(Math.max(...units));
    units[largest] = units[largest]! + scale - units.reduce((total, unit) => total + unit, 0);
    return units.map((unit) => formatUnits(unit, decimals));
}

/** `unit / 10^decimals` as short decimal text ("0.7", "0.3333", "1"), computed on integers to avoid float noise. */
function formatUnits(unit: number, decimals: number): string {
    const digits = String(unit).padStart(decimals + 1, '0');
    const whole = digits.slice(0, digits.length - decimals);
    const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
    return fraction ? `${whole}.${fraction}` : whole;
}
