/**
 * The shared regex dialect of protocol/EXPRESSIONS.md: JavaScript syntax restricted to what Python's
 * `re` reads identically. Both evaluators reject the rest at run time; the editor says so while typing.
 */

/** A regex literal's pattern and flags, from its raw text `/source/flags`. */
export function splitRegex(raw: string): { source: string; flags: string } | undefined {
    const lastSlash = raw.lastIndexOf('/');
    if (!raw.startsWith('/') || lastSlash <= 0) return undefined;
    return { source: raw.slice(1, lastSlash), flags: raw.slice(lastSlash + 1) };
}

/** Why a pattern does not compile in JavaScript (with the `u` flag, as the evaluators use), or undefined. */
export function regexCompileError(source: string, flags: string): string | undefined {
    if (new Set(flags).size !== flags.length) {
        return `The flags "${flags}" repeat a letter; give each of i, m, s at most once.`;
    }
    try {
        new RegExp(source, `${flags}u`);
        return undefined;
    } catch (error) {
        const reason = (error as Error).message.replace(/^Invalid regular expression: /, '');
        return `The regular expression does not compile (${reason}); fix the pattern.`;
    }
}

/**
 * The first construct outside the shared dialect (named groups, `\p{…}`, lookbehind, `\u{…}`, the
 * empty class), as a sentence that says what to write instead; undefined when the pattern is portable.
 * Scans the pattern once, skipping escaped characters and the insides of character classes.
 */
export function regexDialectProblem(source: string): string | undefined {
    let inClass = false;
    for (let i = 0; i < source.length; i++) {
        const ch = source[i];
        if (ch === '\\') {
            const next = source[i + 1];
            if (next === 'p' || next === 'P') return '`\\p{…}` Unicode property classes are not supported by Python\'s `re`; list the characters in a class such as `[a-zA-Z]`.';
            if (next === 'u' && source[i + 2] === '{') return '`\\u{…}` escapes are not supported by Python\'s `re`; write the character itself or `\\uXXXX`.';
            if (next === 'k' && source[i + 2] === '<') return 'Named back-references (`\\k<name>`) are not part of the shared regex dialect; use a numbered one such as `\\1`.';
            i++;
            continue;
        }
        if (inClass) {
            if (ch === ']') inClass = false;
            continue;
        }
        if (ch === '[') {
            const empty = source.startsWith('[]', i) || source.startsWith('[^]', i);
            if (empty) return 'The empty character class `[]` (or `[^]`) means different things in JavaScript and Python; use `(?!)` to match nothing or `[\\s\\S]` to match anything.';
            inClass = true;
            continue;
        }
        if (ch === '(' && source[i + 1] === '?' && source[i + 2] === '<') {
            const kind = source[i + 3];
            if (kind === '=' || kind === '!') return 'Lookbehind (`(?<=…)`, `(?<!…)`) is not part of the shared regex dialect; match the text and capture the part you need with a group.';
            return 'Named groups (`(?<name>…)`) are not part of the shared regex dialect; use a plain group `(…)`: `extract` returns group 1.';
        }
    }
    return undefined;
}
