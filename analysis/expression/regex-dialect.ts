import { ExpressionError } from './errors.js';

/**
 * The regex dialect of protocol/EXPRESSIONS.md, read once and written twice: as JavaScript `u`-mode
 * syntax (only to check that the pattern is valid JavaScript too, as the dialect requires) and as RE2
 * syntax for `re2js`, the linear-time engine that evaluates it. The Python twin is
 * trainer/mas_trainer/regex/parser.py; both accept exactly the patterns that are valid JavaScript
 * (`u` flag), valid RE2 and free of the constructs listed below.
 */

/** ASCII whitespace, as `\s` means in the dialect (RE2's own `\s` leaves out `\v`). */
const SPACE_RE2 = '\\t\\n\\x0B\\f\\r ';
/** Everything but ASCII whitespace, as ranges usable inside an RE2 class. */
const NON_SPACE_RE2 = '\\x00-\\x08\\x0E-\\x1F!-\\x{10FFFF}';
/** Characters that may follow a backslash under the `u` flag without being an escape sequence letter. */
const SYNTAX_CHARACTERS = new Set([...'^$\\.*+?()[]{}|/']);
/** The dialect's limit on nested parentheses (RE2 has its own, counted differently; the Python twin has this one). */
const MAX_NESTING = 100;
/** Escapes kept as they are on both engines (ASCII meaning on both: RE2's classes are ASCII). */
const SHARED_ESCAPES = new Set([...'dDwWnrtfv']);

function badRegex(source: string, reason: string): ExpressionError {
    return new ExpressionError('bad_regex', `The regular expression /${source}/ is not valid: ${reason}.`);
}

function hex(codePoint: number): string {
    return `\\x{${codePoint.toString(16)}}`;
}

/** The pattern in both syntaxes. */
export interface TranslatedPattern {
    javascript: string;
    re2: string;
}

/** Reads one escape at `source[i] === '\\'`; returns both spellings and the number of characters read. */
function translateEscape(source: string, i: number, inClass: boolean): { js: string; re2: string; length: number } {
    const next = source[i + 1];
    if (next === undefined) throw badRegex(source, 'it ends with a lone backslash');
    if (next === 's') return { js: '\\s', re2: inClass ? SPACE_RE2 : `[${SPACE_RE2}]`, length: 2 };
    if (next === 'S') return { js: '\\S', re2: inClass ? NON_SPACE_RE2 : `[${NON_SPACE_RE2}]`, length: 2 };
    if (SHARED_ESCAPES.has(next)) return { js: `\\${next}`, re2: `\\${next}`, length: 2 };
    if ((next === 'b' || next === 'B') && !inClass) return { js: `\\${next}`, re2: `\\${next}`, length: 2 };
    if (next === '0') {
        if (/[0-9]/.test(source[i + 2] ?? '')) throw badRegex(source, '`\\0` may not be followed by a digit');
        return { js: '\\0', re2: '\\x00', length: 2 };
    }
    if (next === 'x' || next === 'u') {
        const digits = next === 'x' ? 2 : 4;
        const text = source.slice(i + 2, i + 2 + digits);
        if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(text))
            throw badRegex(source, `\\${next} needs exactly ${digits} hex digits`);
        const codePoint = parseInt(text, 16);
        if (codePoint >= 0xd800 && codePoint <= 0xdfff)
            throw badRegex(source, 'surrogate escapes are not part of the dialect; write the character itself');
        return { js: `\\${next}${text}`, re2: hex(codePoint), length: 2 + digits };
    }
    if (/[A-Za-z0-9]/.test(next)) {
        throw badRegex(
            source,
            `\\${next} is not part of the .mas regex dialect (no back-references, \\p{...}, \\u{...}, \\c or \\b in a class)`,
        );
    }
    const codePoint = source.codePointAt(i + 1)!; // a whole astral character, not its first half
    const length = 1 + String.fromCodePoint(codePoint).length;
    const js =
        SYNTAX_CHARACTERS.has(next) || (inClass && next === '-') ? `\\${next}` : `\\u{${codePoint.toString(16)}}`;
    return { js, re2: hex(codePoint), length };
}

/** Translates a pattern, raising `bad_regex` for the constructs outside the dialect. */
export function translatePattern(source: string): TranslatedPattern {
    let js = '';
    let re2 = '';
    let inClass = false;
    let depth = 0;
    for (let i = 0; i < source.length;) {
        const ch = source[i]!;
        if (ch === '\\') {
            const escape = translateEscape(source, i, inClass);
            js += escape.js;
            re2 += escape.re2;
            i += escape.length;
            continue;
        }
        if (inClass) {
            if (ch === ']') inClass = false;
            js += ch;
            re2 += ch === '[' ? '\\[' : ch; // RE2 would read `[:alpha:]` as a POSIX class
            i++;
            continue;
        }
        if (ch === '(' && source[i + 1] === '?' && source[i + 2] !== ':') {
            throw badRegex(
                source,
                'lookahead, lookbehind, named groups and inline flags are not part of the .mas regex dialect; only `(?:...)` is',
            );
        }
        if (ch === '(' && ++depth > MAX_NESTING)
            throw badRegex(source, `parentheses nest more than ${MAX_NESTING} deep`);
        if (ch === ')') depth--;
        if (ch === '{' && /^\{(?:0[0-9]|[0-9]+,0[0-9])/.test(source.slice(i, i + 12))) {
            throw badRegex(source, 'repetition counts may not have leading zeros'); // RE2 would read `{01}` as text
        }
        if (ch === '[') {
            inClass = true;
            js += ch;
            re2 += ch;
            i++;
            if (source[i] === '^') {
                js += '^';
                re2 += '^';
                i++;
            }
            if (source[i] === ']') throw badRegex(source, 'an empty character class `[]` is not part of the dialect');
            continue;
        }
        js += ch;
        re2 += ch;
        i++;
    }
    return { javascript: js, re2 };
}
