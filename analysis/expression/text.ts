/** String and number helpers whose exact behaviour protocol/EXPRESSIONS.md fixes (shared with the Python evaluator). */

/** The characters `trim` removes: ASCII whitespace as Python's `str.strip(" \t\n\r\f\v")` sees it. */
const TRIM_CHARACTERS = new Set([' ', '\t', '\n', '\r', '\f', '\v']);

export function trimAscii(text: string): string {
    let start = 0;
    let end = text.length;
    while (start < end && TRIM_CHARACTERS.has(text[start]!)) start++;
    while (end > start && TRIM_CHARACTERS.has(text[end - 1]!)) end--;
    return text.slice(start, end);
}

/** Length in Unicode code points (an astral character counts once, unlike `String.length`). */
export function codePointLength(text: string): number {
    let count = 0;
    for (const _ of text) count++;
    return count;
}

/** Orders strings by Unicode code points (JavaScript's `<` compares UTF-16 units, which differs above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
    const left = a[Symbol.iterator]();
    const right = b[Symbol.iterator]();
    for (;;) {
        const x = left.next();
        const y = right.next();
        if (x.done || y.done) return (x.done ? 0 : 1) - (y.done ? 0 : 1);
        const difference = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
        if (difference !== 0) return difference;
    }
}

const NUMBER_SYNTAX = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/** `number(s)` on a string: trimmed, parsed when it has decimal syntax, else null; overflow to infinity is null too. */
export function parseNumber(text: string): number | null {
    const trimmed = trimAscii(text);
    if (!NUMBER_SYNTAX.test(trimmed)) return null;
    const value = Number(trimmed);
    return Number.isFinite(value) ? value : null;
}

/** `string(n)`: JavaScript's shortest round-trip form, which prints integers below 1e21 as digits and -0 as "0". */
export function formatNumber(value: number): string {
    return String(value);
}
