// Dashboard value-axis tick labels (webview/dashboard/axis-format.ts): negative zero prints as 0.
import { describe, expect, it } from 'vitest';
import { axisTickFormatter, axisValues, STEP_INCREMENTS, valueRange } from '../../webview/dashboard/axis-format.js';

describe('dashboard axis ticks', () => {
    const format = axisTickFormatter('en-US');

    it('prints negative zero, and negatives that round to zero, as 0', () => {
        expect(format(-0)).toBe('0');
        expect(format(-1e-17)).toBe('0');
        expect(format(-0.0001)).toBe('0');
        expect(format(0)).toBe('0');
    });

    it('keeps real negatives and formats like uPlot otherwise (locale grouping, three fraction digits)', () => {
        expect(format(-0.5)).toBe('-0.5');
        expect(format(-0.001)).toBe('-0.001');
        expect(format(1234.56789)).toBe('1,234.568');
        expect(format(2)).toBe('2');
    });

    it('leaves gaps and non-finite splits blank; axisValues maps a whole split list', () => {
        expect(format(null)).toBe('');
        expect(format(Number.NaN)).toBe('');
        expect(axisValues('en-US')(undefined, [-0.2, -0, 0.2, null])).toEqual(['-0.2', '0', '0.2', '']);
    });

    it('gives neighbouring ticks distinct labels, with as few digits as that takes (first-hour bug B11)', () => {
        const values = axisValues('en-US');
        expect(values(undefined, [0.3205, 0.321, 0.3215, 0.322])).toEqual(['0.3205', '0.321', '0.3215', '0.322']);
        expect(values(undefined, [0, 0.5, 1, 1.5])).toEqual(['0', '0.5', '1', '1.5']);
        expect(values(undefined, [0, 10, 20])).toEqual(['0', '10', '20']);
    });

    it("centres a constant series instead of uPlot's 0-100, and steps are whole numbers (first-hour bug B11)", () => {
        expect(valueRange(undefined, 0, 0)).toEqual([-1, 1]);
        expect(valueRange(undefined, 0.5, 0.5)).toEqual([0.45, 0.55]);
        expect(valueRange(undefined, 0, 2)).toEqual([-0.1, 2.1]);
        expect(valueRange(undefined, null, null)).toEqual([null, null]);
        expect(STEP_INCREMENTS.slice(0, 6)).toEqual([1, 2, 5, 10, 20, 50]);
        expect(STEP_INCREMENTS.every(Number.isInteger)).toBe(true);
    });
});
