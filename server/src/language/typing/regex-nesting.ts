/**
 * Nested quantifiers in a regex literal: a group repeated by `*`, `+` or `{n,}`/`{n,m}` (m > 1) whose body
 * itself repeats (`(a+)+`, `(a*)*`) or has two alternatives where one's literal start is a prefix of the
 * other's (`(a|aa)+`, `(a|a)*`). Backtracking engines (Python's `re`, JavaScript's RegExp) take exponential
 * time on them; the .mas evaluators do not, but such a pattern hangs wherever else it is used, and it
 * always has a simpler form.
 */

interface OpenGroup {
    start: number;
    repeats: boolean;
    /** The literal text each alternative starts with ('' when it starts with a class, escape or group). */
    alternatives: string[];
    /** Whether the current alternative's literal start is still going on. */
    literal: boolean;
}

const COUNTED = /\{(\d+)(,(\d*))?\}/;
const PLAIN = /^[A-Za-z0-9 _\-,;:'"!@#%&=<>~`]$/;

/** The length of a repeating quantifier at `source[i]` (`*`, `+`, `{n,}`, `{n,m}` with m > 1), or 0. */
function repeatingQuantifier(source: string, i: number): number {
    const ch = source[i];
    if (ch === '*' || ch === '+') return 1;
    if (ch !== '{') return 0;
    const counted = new RegExp(COUNTED.source, 'y');
    counted.lastIndex = i; // sticky, so that a long pattern is not copied once per character
    const found = counted.exec(source);
    if (!found) return 0;
    const most = found[2] === undefined ? Number(found[1]) : found[3] === '' ? Infinity : Number(found[3]);
    return most > 1 ? found[0].length : 0;
}

function hasPrefixPair(alternatives: string[]): boolean {
    const starts = alternatives.filter((text) => text !== '');
    return starts.some((a, i) => starts.some((b, j) => i !== j && b.startsWith(a)));
}

/** The first group with nested quantifiers, as its text and quantifier (`(a+)+`), or undefined. */
export function nestedQuantifier(source: string): string | undefined {
    const open: OpenGroup[] = [];
    let inClass = false;
    for (let i = 0; i < source.length; i++) {
        const ch = source[i]!;
        const group = open[open.length - 1];
        if (group?.literal && !(PLAIN.test(ch) && !repeatingQuantifier(source, i + 1) && source[i + 1] !== '?'))
            group.literal = false;
        if (group?.literal) group.alternatives[group.alternatives.length - 1] += ch;
        if (ch === '\\') {
            i++;
            continue;
        }
        if (inClass) {
            inClass = ch !== ']';
            continue;
        }
        if (ch === '[') {
            inClass = true;
            continue;
        }
        if (ch === '(') {
            open.push({ start: i, repeats: false, alternatives: [''], literal: true });
            if (source[i + 1] === '?' && source[i + 2] === ':') i += 2;
            continue;
        }
        if (ch === '|' && group) {
            group.alternatives.push('');
            group.literal = true;
            continue;
        }
        if (ch === ')') {
            const closed = open.pop();
            if (!closed) continue;
            const quantifier = repeatingQuantifier(source, i + 1);
            if (quantifier > 0 && (closed.repeats || hasPrefixPair(closed.alternatives)))
                return source.slice(closed.start, i + 1 + quantifier);
            const outer = open[open.length - 1];
            if (outer && (quantifier > 0 || closed.repeats)) outer.repeats = true;
            continue;
        }
        if (group && repeatingQuantifier(source, i) > 0) group.repeats = true;
    }
    return undefined;
}
