/**
 * Value-axis tick labels for the dashboard charts. uPlot's default formats with a plain Intl.NumberFormat, which
 * prints a split of −0 (or a tiny negative value that rounds to 0, e.g. −1e-17 from floating-point tick steps) as
 * "-0". `signDisplay: 'negative'` keeps the sign only on values that are still negative after rounding; otherwise
 * this matches uPlot's default (the page's locale, at most three fraction digits).
 */
export function axisTickFormatter(locale?: string): (value: number | null) => string {
    // 'negative' is ES2023 Intl (Chromium 106+, Node 20); the project's TypeScript lib predates it, hence the cast.
    const format = new Intl.NumberFormat(locale, { signDisplay: 'negative' } as unknown as Intl.NumberFormatOptions);
    return (value) => (value === null || !Number.isFinite(value) ? '' : format.format(value));
}

/** uPlot `Axis.values` for a numeric axis: the splits formatted by `axisTickFormatter`. */
export function axisValues(locale?: string): (self: unknown, splits: (number | null)[]) => string[] {
    const format = axisTickFormatter(locale);
    return (_self, splits) => splits.map(format);
}
