import { compileRegex } from '../../../../analysis/expression/regex.js';
import { ExpressionError } from '../../../../analysis/expression/errors.js';

/**
 * The regex dialect of protocol/EXPRESSIONS.md: JavaScript syntax restricted to what RE2 reads the same
 * way, so that both evaluators (re2js in TypeScript, the linear-time matcher of the trainer) give the same
 * answers in linear time. The editor checks a literal with the evaluator's own compiler.
 */

/** A regex literal's pattern and flags, from its raw text `/source/flags`. */
export function splitRegex(raw: string): { source: string; flags: string } | undefined {
    const lastSlash = raw.lastIndexOf('/');
    if (!raw.startsWith('/') || lastSlash <= 0) return undefined;
    return { source: raw.slice(1, lastSlash), flags: raw.slice(lastSlash + 1) };
}

/** Why the evaluators would reject the pattern (`bad_regex`), or undefined. */
export function regexCompileError(source: string, flags: string): string | undefined {
    if (new Set(flags).size !== flags.length) {
        return `The flags "${flags}" repeat a letter; give each of i, m, s at most once.`;
    }
    try {
        compileRegex(source, flags);
        return undefined;
    } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        const reason = error.message.replace(/^The regular expression .* is not valid: /, '').replace(/\.$/, '');
        return `The regular expression does not compile (${reason}); fix the pattern.`;
    }
}

/**
 * The first well-known construct outside the dialect, as a sentence that says what to write instead;
 * undefined otherwise. Scans the pattern once, skipping escaped characters and the insides of classes.
 */
export function regexDialectProblem(source: string): string | undefined {
    let inClass = false;
    for (let i = 0; i < source.length; i++) {
        const ch = source[i];
        if (ch === '\\') {
            const next = source[i + 1] ?? '';
            if (next === 'p' || next === 'P')
                return '`\\p{…}` Unicode property classes are not part of the dialect; list the characters in a class such as `[a-zA-Z]`.';
            if (next === 'u' && source[i + 2] === '{')
                return '`\\u{…}` escapes are not part of the dialect; write the character itself or `\\uXXXX`.';
            if (next === 'k' || (!inClass && /[1-9]/.test(next)))
                return 'Back-references (`\\1`, `\\k<name>`) are not part of the dialect: they cannot be matched in linear time; capture the part you need with a group and compare it in the expression.';
            i++;
            continue;
        }
        if (inClass) {
            if (ch === ']') inClass = false;
            continue;
        }
        if (ch === '[') {
            const empty = source.startsWith('[]', i) || source.startsWith('[^]', i);
            if (empty)
                return 'The empty character class `[]` (or `[^]`) is not part of the dialect; use `[\\s\\S]` to match any character.';
            inClass = true;
            continue;
        }
        if (ch === '(' && source[i + 1] === '?' && source[i + 2] !== ':') {
            const kind = source.slice(i + 2, i + 4);
            if (kind === '<=' || kind === '<!')
                return 'Lookbehind (`(?<=…)`, `(?<!…)`) is not part of the dialect; match the text and capture the part you need with a group.';
            if (kind[0] === '=' || kind[0] === '!')
                return 'Lookahead (`(?=…)`, `(?!…)`) is not part of the dialect: the evaluators match in linear time, as RE2 does, which has no lookaround; match the text itself, or test it in a second criterion (`not (… matches /…/)`).';
            if (kind[0] === '<')
                return 'Named groups (`(?<name>…)`) are not part of the dialect; use a plain group `(…)`: `extract` returns group 1.';
            return 'Inline flags such as `(?i)` are not part of the dialect; put the flags after the closing slash, for example `/abc/i`.';
        }
    }
    return undefined;
}
