import { describe, expect, it } from 'vitest';
import { ownValue } from '../../webview/common/own-key.js';

describe('webview ownValue (keys from run directories)', () => {
    it("reads own keys only: a missing `toString` or `constructor` is absent, not Object.prototype's function", () => {
        const credit: Record<string, number[]> = { outcome: [1, 2] };
        expect(ownValue(credit, 'outcome')).toEqual([1, 2]);
        expect(ownValue(credit, 'toString')).toBeUndefined();
        expect(ownValue(credit, 'constructor')).toBeUndefined();
        expect(ownValue(credit, '__proto__')).toBeUndefined();
        expect(ownValue(undefined, 'outcome')).toBeUndefined();
    });

    it('finds such keys when the file has them (JSON.parse makes `__proto__` an own key)', () => {
        const credit = JSON.parse('{"toString":[1],"constructor":[2],"__proto__":[3]}') as Record<string, number[]>;
        expect(['toString', 'constructor', '__proto__'].map((k) => ownValue(credit, k))).toEqual([[1], [2], [3]]);
    });
});
