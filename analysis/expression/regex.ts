import { RE2JS, RE2JSException } from 're2js';
import { ExpressionError } from './errors.js';
import { countLinear } from './regex-count.js';
import { translatePattern } from './regex-dialect.js';

/**
 * The regex dialect of protocol/EXPRESSIONS.md on `re2js`, a pure-JavaScript port of RE2: matching
 * takes time linear in the input whatever the pattern (no backtracking, so `/(a+)+$/` cannot freeze
 * the extension host), with RE2's leftmost-first semantics. The trainer's twin is the hand-written
 * linear-time matcher in trainer/mas_trainer/regex/.
 */

const ALLOWED_FLAGS = new Set(['i', 'm', 's']);
/** Inputs are cut to their first MAX_INPUT_CODE_POINTS code points before matching (EXPRESSIONS.md). */
export const MAX_INPUT_CODE_POINTS = 100_000;

function badRegex(source: string, reason: string): ExpressionError {
    return new ExpressionError('bad_regex', `The regular expression /${source}/ is not valid: ${reason}.`);
}

/** A compiled pattern; `groups` is the number of capturing groups. */
export interface CompiledRegex {
    regex: RE2JS;
    groups: number;
}

/** Compiles `/source/flags`, raising `bad_regex` when the pattern is outside the dialect or a flag is outside `ims`. */
export function compileRegex(source: string, flags: string): CompiledRegex {
    const seen = new Set<string>();
    for (const flag of flags) {
        if (!ALLOWED_FLAGS.has(flag) || seen.has(flag)) {
            throw badRegex(source, `the flags "${flags}" must be distinct letters among i, m and s`);
        }
        seen.add(flag);
    }
    const pattern = translatePattern(source);
    try {
        new RegExp(pattern.javascript, 'u'); // the dialect is also valid JavaScript: `a{`, `]`, `^*` are not
    } catch (error) {
        throw badRegex(source, (error as Error).message);
    }
    let regex: RE2JS;
    try {
        regex = RE2JS.compile(
            pattern.re2,
            (seen.has('i') ? RE2JS.CASE_INSENSITIVE : 0) |
                (seen.has('m') ? RE2JS.MULTILINE : 0) |
                (seen.has('s') ? RE2JS.DOTALL : 0),
        );
    } catch (error) {
        if (error instanceof RE2JSException) throw badRegex(source, error.message);
        throw error;
    }
    return { regex, groups: regex.groupCount() };
}

/** The text the engines see: at most MAX_INPUT_CODE_POINTS code points. */
export function capInput(text: string): string {
    if (text.length <= MAX_INPUT_CODE_POINTS) return text;
    let codePoints = 0;
    for (let i = 0; i < text.length; i++) {
        if (codePoints === MAX_INPUT_CODE_POINTS) return text.slice(0, i);
        const unit = text.charCodeAt(i);
        if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
            const low = text.charCodeAt(i + 1);
            if (low >= 0xdc00 && low <= 0xdfff) i++;
        }
        codePoints++;
    }
    return text;
}

/** The first match at or after the start: the whole match and group 1 (undefined when it did not take part), or null. */
export function firstMatch(
    compiled: CompiledRegex,
    text: string,
): { whole: string; group1: string | undefined } | null {
    const matcher = compiled.regex.matcher(capInput(text));
    if (!matcher.find()) return null;
    return { whole: matcher.group(0)!, group1: compiled.groups > 0 ? (matcher.group(1) ?? undefined) : undefined };
}

/** Whether the pattern matches anywhere (no captures needed, so re2js may use its DFA). */
export function testMatch(compiled: CompiledRegex, text: string): boolean {
    return compiled.regex.test(capInput(text));
}

/** Non-overlapping matches; after an empty match the scan moves on by one code point (JavaScript's matchAll), in linear time. */
export function countMatches(compiled: CompiledRegex, text: string): number {
    return countLinear(compiled.regex, capInput(text));
}
