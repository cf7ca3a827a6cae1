import { describe, expect, it } from 'vitest';
import { regexCompileError, regexDialectProblem, splitRegex } from '../../../server/src/language/typing/regex-dialect.js';

describe('the regex dialect shared with Python', () => {
    it('splits a literal into pattern and flags', () => {
        expect(splitRegex('/a\\/b/im')).toEqual({ source: 'a\\/b', flags: 'im' });
        expect(splitRegex('nope')).toBeUndefined();
    });

    it('rejects what Python reads differently or not at all', () => {
        expect(regexDialectProblem('(?<=a)b')).toMatch(/Lookbehind/);
        expect(regexDialectProblem('(?<!a)b')).toMatch(/Lookbehind/);
        expect(regexDialectProblem('(?<year>\\d{4})')).toMatch(/Named groups/);
        expect(regexDialectProblem('(a)\\k<x>')).toMatch(/Named back-references/);
        expect(regexDialectProblem('\\p{L}+')).toMatch(/Unicode property/);
        expect(regexDialectProblem('\\u{1F600}')).toMatch(/\\u\{…\}/);
        expect(regexDialectProblem('a[]b')).toMatch(/empty character class/);
        expect(regexDialectProblem('[^]')).toMatch(/empty character class/);
    });

    it('accepts the common constructs, and look-alikes that are escaped or inside a class', () => {
        for (const pattern of ['\\\\boxed\\{(-?\\d+)\\}', '(?:a|b)+', '(?=x)', '(?!y)', '\\(?<', '[(?<]', '[\\]]', '\\u0041', '^\\s*$']) {
            expect(regexDialectProblem(pattern), pattern).toBeUndefined();
        }
    });

    it('compiles with the flags the evaluators use, rejecting repeated flags', () => {
        expect(regexCompileError('(a', '')).toMatch(/does not compile/);
        expect(regexCompileError('a', 'ii')).toMatch(/repeat/);
        expect(regexCompileError('a.b', 'ims')).toBeUndefined();
    });
});
