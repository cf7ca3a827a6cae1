/**
 * Value-axis tick labels for the dashboard charts. uPlot's default formats with a plain Intl.NumberFormat, which
 * prints a split of −0 (or a tiny negative value that rounds to 0, e.g. −1e-17 from floating-point tick steps) as
 * "-0". `signDisplay: 'negative'` keeps the sign only on values that are still negative after rounding; otherwise
 * this matches uPlot's default (the page's locale, at most three fraction digits).
 */
export function axisTickFormatter(locale?: string, maxFractionDigits = 3): (value: number | null) => string {
    // 'negative' is ES2023 Intl (Chromium 106+, Node 20); the project's TypeScript lib predates it, hence the cast.
    const format = new Intl.NumberFormat(locale, {
        signDisplay: 'negative',
        maximumFractionDigits: maxFractionDigits,
    } as unknown as Intl.NumberFormatOptions);
    return (value) => (value === null || !Number.isFinite(value) ? '' : format.format(value));
}

/**
 * uPlot `Axis.values` for a numeric axis: the splits formatted by `axisTickFormatter`, with as many fraction digits
 * as it takes for neighbouring labels to differ (first-hour bug B11: the loss axis read "0.322, 0.321, 0.321").
 */
export function axisValues(locale?: string): (self: unknown, splits: (number | null)[]) => string[] {
    const formats = Array.from({ length: 13 }, (_, digits) => axisTickFormatter(locale, digits));
    return (_self, splits) => {
        for (const format of formats) {
            const labels = splits.map(format);
            if (labels.every((label, i) => i === 0 || label === '' || label !== labels[i - 1])) return labels;
        }
        return splits.map(formats[formats.length - 1]!);
    };
}

/**
 * uPlot scale `range` for a value axis. uPlot gives a constant series (every reward 0, KL 0) the range 0–100, which
 * reads like percent (first-hour bug B11); a constant is centred with a margin of 10 % of its size (±1 around 0).
 */
export function valueRange(_self: unknown, min: number | null, max: number | null): [number | null, number | null] {
    if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [min, max];
    if (min !== max) {
        const pad = (max - min) * 0.05;
        return [min - pad, max + pad];
    }
    const half = min === 0 ? 1 : Math.abs(min) * 0.1;
    return [min - half, min + half];
}

/** Step-axis increments: whole steps only (early runs showed ticks at 1.2, 1.4, …; first-hour bug B11). */
export const STEP_INCREMENTS: readonly number[] = [1, 2, 5]
    .flatMap((m) => Array.from({ length: 10 }, (_, e) => m * 10 ** e))
    .sort((a, b) => a - b);
