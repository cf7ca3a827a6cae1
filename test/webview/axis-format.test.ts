// Dashboard value-axis tick labels (webview/dashboard/axis-format.ts): negative zero prints as 0.
import { describe, expect, it } from 'vitest';
import { axisTickFormatter, axisValues } from '../../webview/dashboard/axis-format.js';

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
});
