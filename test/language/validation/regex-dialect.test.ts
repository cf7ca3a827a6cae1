import { describe, expect, it } from 'vitest';
import {
    regexCompileError,
    regexDialectProblem,
    splitRegex,
} from '../../../server/src/language/typing/regex-dialect.js';
import { nestedQuantifier } from '../../../server/src/language/typing/regex-nesting.js';

describe('the regex dialect of the linear-time evaluators', () => {
    it('splits a literal into pattern and flags', () => {
        expect(splitRegex('/a\\/b/im')).toEqual({ source: 'a\\/b', flags: 'im' });
        expect(splitRegex('nope')).toBeUndefined();
    });

    it('rejects, with what to write instead, the constructs RE2 cannot match in linear time or at all', () => {
        expect(regexDialectProblem('(?<=a)b')).toMatch(/Lookbehind/);
        expect(regexDialectProblem('(?<!a)b')).toMatch(/Lookbehind/);
        expect(regexDialectProblem('a(?=x)')).toMatch(/Lookahead/);
        expect(regexDialectProblem('a(?!y)')).toMatch(/Lookahead/);
        expect(regexDialectProblem('(?<year>\\d{4})')).toMatch(/Named groups/);
        expect(regexDialectProblem('(a)\\k<x>')).toMatch(/Back-references/);
        expect(regexDialectProblem('(a)\\1')).toMatch(/Back-references/);
        expect(regexDialectProblem('(?i)abc')).toMatch(/Inline flags/);
        expect(regexDialectProblem('\\p{L}+')).toMatch(/Unicode property/);
        expect(regexDialectProblem('\\u{1F600}')).toMatch(/\\u\{…\}/);
        expect(regexDialectProblem('a[]b')).toMatch(/empty character class/);
        expect(regexDialectProblem('[^]')).toMatch(/empty character class/);
    });

    it('accepts the common constructs, and look-alikes that are escaped or inside a class', () => {
        for (const pattern of [
            '\\\\boxed\\{(-?\\d+)\\}',
            '(?:a|b)+',
            '\\(?=',
            '[(?=]',
            '\\(?<',
            '[(?<]',
            '[\\]]',
            '\\u0041',
            '^\\s*$',
            '[\\1]',
        ]) {
            expect(regexDialectProblem(pattern), pattern).toBeUndefined();
        }
    });

    it('compiles with the evaluator itself, so the editor rejects what the evaluators would', () => {
        expect(regexCompileError('(a', '')).toMatch(/does not compile/);
        expect(regexCompileError('a', 'ii')).toMatch(/repeat/);
        expect(regexCompileError('a{01}', '')).toMatch(/leading zeros/);
        expect(regexCompileError('x{1001}', '')).toMatch(/does not compile/);
        expect(regexCompileError('(?:a{10}){101}', '')).toMatch(/does not compile/);
        expect(regexCompileError('a.b', 'ims')).toBeUndefined();
        expect(regexCompileError('(?:a{10}){100}', '')).toBeUndefined();
    });
});

describe('nested quantifiers', () => {
    it('finds groups that repeat a repetition or alternatives that start alike', () => {
        expect(nestedQuantifier('(a+)+$')).toBe('(a+)+');
        expect(nestedQuantifier('(a*)*')).toBe('(a*)*');
        expect(nestedQuantifier('(a|aa)+$')).toBe('(a|aa)+');
        expect(nestedQuantifier('(a|a)*b')).toBe('(a|a)*');
        expect(nestedQuantifier('(x+x+)+y')).toBe('(x+x+)+');
        expect(nestedQuantifier('^(\\w+\\s?)*$')).toBe('(\\w+\\s?)*');
        expect(nestedQuantifier('((a)+)+')).toBe('((a)+)+');
        expect(nestedQuantifier('(?:a+){2,}')).toBe('(?:a+){2,}');
    });

    it('leaves single repetitions, distinct alternatives and bounded groups alone', () => {
        for (const pattern of [
            '\\\\boxed\\{(-?\\d+)\\}',
            '(?:a|b)+',
            '(ab|ac)+',
            'a+b+',
            '(a+){1}',
            '(a?)*',
            '[(a+)+]',
            '\\(a+\\)+',
        ]) {
            expect(nestedQuantifier(pattern), pattern).toBeUndefined();
        }
    });
});
