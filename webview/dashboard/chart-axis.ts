/**
 * The x axis of the dashboard's charts: TensorBoard's EMA smoothing, a run's step or wall-clock axis, and several runs
 * laid on one merged axis.
 */
import type { RunSeries } from './run-series.js';

/**
 * Exponential moving average as TensorBoard draws it: `s = w·s + (1−w)·v`, debiased by `1 − w^k` so the first
 * points are not pulled towards 0; gaps (null) stay gaps and do not count.
 */
export function emaSmooth(values: readonly (number | null)[], weight: number): (number | null)[] {
    if (weight <= 0) return [...values];
    let last = 0;
    let decay = 1; // weight ** k, kept as a running product: Math.pow per point was most of a redraw's time
    return values.map((v) => {
        if (v === null || !Number.isFinite(v)) return null;
        last = last * weight + (1 - weight) * v;
        decay *= weight;
        return last / (1 - decay);
    });
}

/**
 * A run's x values on the chosen axis and, for each, the row of its columns: steps, or minutes since the run's first
 * record (`time`). Rows without a time, or whose time does not increase, are left out on the time axis.
 */
export function runAxis(run: RunSeries, axis: 'step' | 'time'): { x: number[]; rows: number[] } {
    if (axis === 'step') return { x: run.steps, rows: run.steps.map((_, i) => i) };
    const time = run.column('time') ?? [];
    const x: number[] = [];
    const rows: number[] = [];
    const start = time.find((t) => t !== null);
    time.forEach((t, i) => {
        if (t === null || start === undefined || start === null) return;
        const minutes = (t - start) / 60;
        if (x.length > 0 && minutes <= x[x.length - 1]!) return;
        x.push(minutes);
        rows.push(i);
    });
    return { x, rows };
}

/** Merged ascending x values of two strictly increasing step lists. */
export function mergeSteps(a: readonly number[], b: readonly number[]): number[] {
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
        const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
        if (i < a.length && a[i] === x) i++;
        if (j < b.length && b[j] === x) j++;
        out.push(x);
    }
    return out;
}

/** A run's column laid on the merged x axis (null where the run has no point there). */
export function align(
    x: readonly number[],
    axis: { x: readonly number[]; rows: readonly number[] },
    column: readonly (number | null)[],
): (number | null)[] {
    const out = new Array<number | null>(x.length).fill(null);
    let j = 0;
    for (let i = 0; i < x.length && j < axis.x.length; i++) {
        if (x[i] === axis.x[j]) out[i] = column[axis.rows[j++]!] ?? null;
    }
    return out;
}
