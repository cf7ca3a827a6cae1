import { describe, expect, it } from 'vitest';
import { colourExtent, divergingCss, divergingIndex, SCALE_FLOOR } from '../../webview/common/diverging-scale.js';

const NEUTRAL = [30, 30, 30] as const;
const NEUTRAL_INDEX = 255;

describe('diverging credit scale', () => {
    it('draws float residues near neutral instead of fully saturated (first-hour bug B4)', () => {
        // The demo's step aggregate: every cell ±1.7e-17, the legend's extent 1.7e-17.
        expect(divergingIndex(1.7e-17, 1.7e-17)).toBe(NEUTRAL_INDEX);
        expect(divergingIndex(-1.7e-17, 1.7e-17)).toBe(NEUTRAL_INDEX);
        expect(divergingCss(-8.7e-18, 8.7e-18, NEUTRAL)).toBe('rgb(30, 30, 30)');
        expect(colourExtent(1.7e-17)).toBe(SCALE_FLOOR);
    });

    it('still spans real credit to its own largest magnitude', () => {
        expect(colourExtent(0.42)).toBe(0.42);
        expect(divergingIndex(0.42, 0.42)).toBe(510);
        expect(divergingIndex(-0.42, 0.42)).toBe(0);
        expect(divergingIndex(0.21, 0.42)).toBe(383);
        expect(divergingIndex(Number.NaN, 0.42)).toBe(-1);
    });
});
