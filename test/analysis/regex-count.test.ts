import { describe, expect, it } from 'vitest';
import { capInput, compileRegex } from '../../analysis/expression/regex.js';
import { countLinear } from '../../analysis/expression/regex-count.js';

/** count() as re2js's own find loop gives it: one search per match (quadratic in the worst case). */
function countBySearchingAgain(source: string, flags: string, text: string): number {
    const input = capInput(text);
    const matcher = compileRegex(source, flags).regex.matcher(input);
    let count = 0;
    for (let pos = 0; pos <= input.length && matcher.find(pos); count++) {
        const end = matcher.end();
        pos = end > matcher.start() ? end : end + String.fromCodePoint(input.codePointAt(end) ?? 0).length;
    }
    return count;
}

describe('count without rescanning (analysis/expression/regex-count.ts)', () => {
    it("reads re2js instructions with the op numbers of re2js's Inst class", () => {
        const prog = (
            compileRegex('a|b*', '').regex.re2() as unknown as {
                prog: { inst: { constructor: Record<string, number> }[] };
            }
        ).prog;
        const inst = prog.inst[0]!.constructor;
        expect({
            ALT: inst.ALT,
            ALT_MATCH: inst.ALT_MATCH,
            CAPTURE: inst.CAPTURE,
            EMPTY_WIDTH: inst.EMPTY_WIDTH,
            MATCH: inst.MATCH,
            NOP: inst.NOP,
            RUNE: inst.RUNE,
            RUNE_ANY_NOT_NL: inst.RUNE_ANY_NOT_NL,
        }).toEqual({
            ALT: 1,
            ALT_MATCH: 2,
            CAPTURE: 3,
            EMPTY_WIDTH: 4,
            MATCH: 6,
            NOP: 7,
            RUNE: 8,
            RUNE_ANY_NOT_NL: 11,
        });
    });

    const patterns = [
        '\\d+\\.|\\d',
        'a*b|a',
        '\\b\\w',
        '|a',
        '(a|ab)(c|bcd)?',
        'x*',
        '^|$',
        'a(?:b|$)',
        '(?:a{2})+',
        '.',
        '[^a]\\B',
    ];
    const texts = ['', 'a', '11.1 1.', 'aab ab\nabab', `${'a'.repeat(50)}b`, '\n\n a1_ b', '😀a😀'];
    for (const source of patterns) {
        it(`gives re2js's answers for /${source}/m`, () => {
            for (const text of texts) {
                expect(countLinear(compileRegex(source, 'm').regex, text), JSON.stringify(text)).toBe(
                    countBySearchingAgain(source, 'm', text),
                );
            }
        });
    }
});
