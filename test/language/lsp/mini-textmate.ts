/**
 * A small TextMate tokenizer for tests: enough of the format (match, begin/end with nested
 * patterns, captures, contentName, includes from the repository) to check the scopes our
 * hand-written grammar gives to sample lines. vscode-textmate (with Oniguruma) is not a
 * dependency; the grammar keeps to regex syntax that JavaScript and Oniguruma read alike.
 */
export interface GrammarRule {
    name?: string;
    contentName?: string;
    match?: string;
    begin?: string;
    end?: string;
    captures?: Record<string, { name: string }>;
    beginCaptures?: Record<string, { name: string }>;
    endCaptures?: Record<string, { name: string }>;
    patterns?: GrammarRule[];
    include?: string;
}

export interface Grammar {
    scopeName: string;
    patterns: GrammarRule[];
    repository: Record<string, GrammarRule>;
}

/** A piece of a line with the scopes that apply to it, outermost first. */
export interface ScopedToken {
    text: string;
    scopes: string[];
}

interface OpenRule {
    rule: GrammarRule;
    endRegex: RegExp;
}

export class MiniTokenizer {
    private readonly regexCache = new Map<string, RegExp>();

    constructor(private readonly grammar: Grammar) {}

    /** Tokenizes several lines, carrying open begin/end rules (block comments, strings) across them. */
    tokenizeLines(lines: readonly string[]): ScopedToken[][] {
        const stack: OpenRule[] = [];
        return lines.map((line) => this.tokenizeLine(line, stack));
    }

    private tokenizeLine(line: string, stack: OpenRule[]): ScopedToken[] {
        const tokens: ScopedToken[] = [];
        let position = 0;
        for (;;) {
            const top = stack.at(-1);
            const candidates = this.expand(top ? (top.rule.patterns ?? []) : this.grammar.patterns);
            let best: { index: number; match: RegExpExecArray; rule?: GrammarRule } | undefined;
            if (top) {
                const match = execFrom(top.endRegex, line, position);
                if (match) {
                    best = { index: match.index, match };
                }
            }
            for (const rule of candidates) {
                const match = execFrom(this.regex(rule.match ?? rule.begin!), line, position);
                if (match && (!best || match.index < best.index)) {
                    best = { index: match.index, match, rule };
                }
            }
            if (!best) {
                this.push(tokens, line.substring(position), this.scopes(stack));
                break;
            }
            this.push(tokens, line.substring(position, best.index), this.scopes(stack));
            const { match, rule } = best;
            if (!rule) {
                const closing = stack.pop()!;
                this.emitCaptures(
                    tokens,
                    match,
                    [...this.scopes(stack), ...names(closing.rule.name, match)],
                    closing.rule.endCaptures,
                );
            } else if (rule.match !== undefined) {
                this.emitCaptures(tokens, match, [...this.scopes(stack), ...names(rule.name, match)], rule.captures);
            } else {
                this.emitCaptures(
                    tokens,
                    match,
                    [...this.scopes(stack), ...names(rule.name, match)],
                    rule.beginCaptures,
                );
                stack.push({ rule, endRegex: this.regex(rule.end!) });
            }
            const end = match.index + match[0].length;
            if (end === position && rule !== undefined) {
                throw new Error(
                    `zero-length match of ${rule.match ?? rule.begin} at ${position}: the tokenizer would not advance`,
                );
            }
            position = end;
            const open = stack.at(-1);
            const endsHere = open !== undefined && execFrom(open.endRegex, line, position)?.index === position;
            if (position >= line.length && !endsHere) {
                break;
            }
        }
        return tokens;
    }

    /** The scopes of the open rules: each rule's name, and its content name inside it. */
    private scopes(stack: readonly OpenRule[]): string[] {
        return [
            this.grammar.scopeName,
            ...stack
                .flatMap((open) => [open.rule.name, open.rule.contentName])
                .filter((scope): scope is string => Boolean(scope)),
        ];
    }

    private emitCaptures(
        tokens: ScopedToken[],
        match: RegExpExecArray,
        scopes: string[],
        captures?: Record<string, { name: string }>,
    ): void {
        const indices = (match as RegExpExecArray & { indices?: Array<[number, number] | undefined> }).indices ?? [];
        let cursor = match.index;
        const whole = captures?.['0']?.name;
        const base = whole ? [...scopes, whole] : scopes;
        const groups = Object.keys(captures ?? {})
            .filter((key) => key !== '0')
            .map(Number)
            .sort((a, b) => a - b);
        for (const group of groups) {
            const span = indices[group];
            if (!span || span[0] === span[1]) {
                continue;
            }
            this.push(tokens, match.input.substring(cursor, span[0]), base);
            this.push(tokens, match.input.substring(span[0], span[1]), [
                ...base,
                ...names(captures![String(group)]!.name, match),
            ]);
            cursor = span[1];
        }
        this.push(tokens, match.input.substring(cursor, match.index + match[0].length), base);
    }

    private push(tokens: ScopedToken[], text: string, scopes: string[]): void {
        if (text.length > 0) {
            tokens.push({ text, scopes });
        }
    }

    private expand(patterns: readonly GrammarRule[]): GrammarRule[] {
        return patterns.flatMap((rule) => {
            if (rule.include) {
                const target =
                    rule.include === '$self'
                        ? { patterns: this.grammar.patterns }
                        : this.grammar.repository[rule.include.slice(1)];
                if (!target) {
                    throw new Error(`unknown include ${rule.include}`);
                }
                return target.match !== undefined || target.begin !== undefined
                    ? [target]
                    : this.expand(target.patterns ?? []);
            }
            return [rule];
        });
    }

    private regex(source: string): RegExp {
        let regex = this.regexCache.get(source);
        if (!regex) {
            regex = new RegExp(source, 'gd');
            this.regexCache.set(source, regex);
        }
        return regex;
    }
}

function execFrom(regex: RegExp, text: string, position: number): RegExpExecArray | null {
    regex.lastIndex = position;
    return regex.exec(text);
}

/** A scope name with `$1`-style back-references replaced by the match's groups. */
function names(name: string | undefined, match: RegExpExecArray): string[] {
    return name ? [name.replace(/\$(\d)/g, (_, group: string) => match[Number(group)] ?? '')] : [];
}
