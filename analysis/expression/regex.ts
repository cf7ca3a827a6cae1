import { ExpressionError } from './errors.js';

/**
 * The regex dialect of protocol/EXPRESSIONS.md on JavaScript's engine. Patterns compile with the `u`
 * flag so that matching walks code points as Python's `re` does; the constructs whose meaning differs
 * between the two engines are rejected (`bad_regex`) or rewritten to their ASCII meaning.
 */

const ALLOWED_FLAGS = new Set(['i', 'm', 's']);
/** Python-incompatible constructs: named groups and lookbehind (outside classes); property and code point escapes. */
const FORBIDDEN_GROUP = /^\(\?</;
const FORBIDDEN_ESCAPE = /^\\(?:[pP]\{|u\{)/;
/** ASCII whitespace, as `\s` means under Python's `re.ASCII`. */
const ASCII_SPACE = ' \\t\\n\\r\\f\\v';
/** Characters that may follow a backslash under the `u` flag without being an escape sequence letter. */
const UNICODE_MODE_IDENTITY = new Set([...'^$\\.*+?()[]{}|/']);

function badRegex(source: string, reason: string): ExpressionError {
    return new ExpressionError('bad_regex', `The regular expression /${source}/ is not valid: ${reason}.`);
}

/** Rewrites a pattern to JavaScript `u`-mode syntax with Python's ASCII meaning of `\s` and `.`. */
function translate(source: string, dotAll: boolean): string {
    let out = '';
    let inClass = false;
    for (let i = 0; i < source.length; i++) {
        const rest = source.slice(i);
        if ((!inClass && FORBIDDEN_GROUP.test(rest)) || FORBIDDEN_ESCAPE.test(rest)) {
            throw badRegex(source, 'named groups, lookbehind, \\p{...} and \\u{...} are not part of the .mas regex dialect');
        }
        const ch = source[i]!;
        if (ch === '\\') {
            const next = source[i + 1];
            if (next === undefined) throw badRegex(source, 'it ends with a lone backslash');
            i++;
            if (next === 's') out += inClass ? ASCII_SPACE : `[${ASCII_SPACE}]`;
            else if (next === 'S' && !inClass) out += `[^${ASCII_SPACE}]`;
            else if (/[A-Za-z0-9]/.test(next) || UNICODE_MODE_IDENTITY.has(next) || (inClass && next === '-')) out += `\\${next}`;
            else out += `\\u${next.charCodeAt(0).toString(16).padStart(4, '0')}`;
            continue;
        }
        if (inClass) {
            if (ch === ']') inClass = false;
            out += ch;
        } else if (ch === '[') {
            inClass = true;
            out += ch;
            if (source[i + 1] === '^') out += source[++i];
            if (source[i + 1] === ']') throw badRegex(source, 'an empty character class `[]` is read differently by Python');
        } else if (ch === '.' && !dotAll) {
            out += '[^\\n]';
        } else {
            out += ch;
        }
    }
    return out;
}

/** A compiled pattern; `groups` is the number of capturing groups. */
export interface CompiledRegex {
    regex: RegExp;
    groups: number;
}

/** Compiles `/source/flags`, raising `bad_regex` when the pattern does not compile or a flag is outside `ims`. */
export function compileRegex(source: string, flags: string): CompiledRegex {
    const seen = new Set<string>();
    for (const flag of flags) {
        if (!ALLOWED_FLAGS.has(flag) || seen.has(flag)) {
            throw badRegex(source, `the flags "${flags}" must be distinct letters among i, m and s`);
        }
        seen.add(flag);
    }
    let regex: RegExp;
    try {
        regex = new RegExp(translate(source, seen.has('s')), `${flags}gu`);
    } catch (error) {
        if (error instanceof ExpressionError) throw error;
        throw badRegex(source, (error as Error).message);
    }
    // A pattern that also matches "" at once reveals its group count through the match array's length.
    const groups = new RegExp(`${regex.source}|`, 'u').exec('')!.length - 1;
    return { regex, groups };
}

/** The first match at or after the start, or null. */
export function firstMatch(compiled: CompiledRegex, text: string): RegExpExecArray | null {
    compiled.regex.lastIndex = 0;
    return compiled.regex.exec(text);
}

/** Non-overlapping matches; after an empty match the scan moves on by one code point. */
export function countMatches(compiled: CompiledRegex, text: string): number {
    let count = 0;
    for (const _ of text.matchAll(compiled.regex)) count++;
    return count;
}
