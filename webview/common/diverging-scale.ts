/**
 * A diverging colour scale centred on 0 for credit: negative values go to red, positive to blue, 0 is the neutral
 * colour (the editor background, so an empty-looking cell means "no credit", not "missing"). Missing cells (NaN)
 * are drawn as transparent. Red/blue stays readable for the common red-green colour blindness.
 */
export type Rgb = readonly [number, number, number];

export const NEGATIVE: Rgb = [215, 48, 39];
export const POSITIVE: Rgb = [49, 130, 206];

/**
 * The smallest half-width the scale takes. Sums of credits leave float64 residues of ~1e-17 where the exact value
 * is 0; scaled to their own largest magnitude they were drawn fully saturated, so noise looked like the strongest
 * signal (first-hour bug B4). Below this floor, values are drawn near the neutral colour.
 */
export const SCALE_FLOOR = 1e-6;

/** The half-width of the colour scale for data whose largest magnitude is `extent`. */
export function colourExtent(extent: number): number {
    return Math.max(extent, SCALE_FLOOR);
}

export function parseCssColour(text: string, fallback: Rgb): Rgb {
    const hex = /^#([0-9a-f]{6})$/i.exec(text.trim());
    if (hex) {
        const n = parseInt(hex[1]!, 16);
        return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
    }
    const rgb = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/i.exec(text.trim());
    return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : fallback;
}

/** RGBA bytes of `value` on a scale from −extent to +extent (clamped); alpha 0 for NaN. */
export function divergingRgba(value: number, extent: number, neutral: Rgb, out: Uint8ClampedArray, at: number): void {
    if (Number.isNaN(value)) {
        out[at] = out[at + 1] = out[at + 2] = out[at + 3] = 0;
        return;
    }
    const t = Math.max(-1, Math.min(1, value / colourExtent(extent)));
    const end = t < 0 ? NEGATIVE : POSITIVE;
    const k = Math.abs(t);
    out[at] = neutral[0] + (end[0] - neutral[0]) * k;
    out[at + 1] = neutral[1] + (end[1] - neutral[1]) * k;
    out[at + 2] = neutral[2] + (end[2] - neutral[2]) * k;
    out[at + 3] = 255;
}

export function divergingCss(value: number, extent: number, neutral: Rgb): string {
    const px = new Uint8ClampedArray(4);
    divergingRgba(value, extent, neutral, px, 0);
    return px[3] === 0 ? 'transparent' : `rgb(${px[0]}, ${px[1]}, ${px[2]})`;
}

/** Round, readable tick label for a legend. */
export function formatTick(value: number): string {
    if (value === 0) return '0';
    const abs = Math.abs(value);
    return abs >= 100 || abs < 0.01 ? value.toExponential(1) : value.toFixed(abs >= 10 ? 1 : 2);
}

/**
 * 511 colours from −extent to +extent as packed RGBA words (little-endian, for a Uint32Array view of ImageData):
 * painting a million cells is then one multiply and one table read per cell.
 */
export function divergingTable(neutral: Rgb): Uint32Array {
    const table = new Uint32Array(511);
    const px = new Uint8ClampedArray(4);
    for (let i = 0; i < 511; i++) {
        divergingRgba((i - 255) / 255, 1, neutral, px, 0);
        table[i] = ((px[3]! << 24) | (px[2]! << 16) | (px[1]! << 8) | px[0]!) >>> 0;
    }
    return table;
}

/** Index into `divergingTable` for a value; −1 for NaN (transparent). */
export function divergingIndex(value: number, extent: number): number {
    if (Number.isNaN(value)) return -1;
    const t = Math.max(-1, Math.min(1, value / colourExtent(extent)));
    return Math.round(t * 255) + 255;
}
