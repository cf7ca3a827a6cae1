import type { BinaryOp, Expr, FunctionName, Value } from '../../protocol/expression.js';

/**
 * A parser for single expressions of the .mas expression language (grammar/expressions.langium, same precedence:
 * or < and < not < comparison < + - < * / % < unary minus), producing the protocol's expression tree. The debugger
 * uses it for conditional breakpoints and the debug console, where the text is typed at run time and no document
 * exists for the language server to compile. Besides the grammar's references it accepts free names (`credit`,
 * `reward`, …) that the caller binds to values before evaluation (`bindNames`).
 */
export type ParsedExpr = Expr | { op: 'name'; name: string };

export class ExpressionSyntaxError extends Error {
    constructor(message: string, readonly column: number) {
        super(`${message} (column ${column + 1})`);
        this.name = 'ExpressionSyntaxError';
    }
}

const FUNCTIONS: readonly FunctionName[] = ['extract', 'length', 'number', 'lower', 'upper', 'trim', 'count', 'string'];
const COMPARISONS = ['==', '!=', '<=', '>=', '<', '>', 'contains', 'matches'] as const;
const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '0': '\0' };

type Token = { kind: 'num' | 'str' | 'regex' | 'id' | 'punct'; text: string; at: number; value?: string };

function tokenize(text: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    const operandExpected = () => {
        const last = tokens[tokens.length - 1];
        return !last || (last.kind === 'punct' && last.text !== ')') || (last.kind === 'id' && ['and', 'or', 'not', 'contains', 'matches'].includes(last.text));
    };
    while (i < text.length) {
        const rest = text.slice(i);
        const space = /^\s+/.exec(rest);
        if (space) { i += space[0].length; continue; }
        const number = /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(rest);
        if (number) { tokens.push({ kind: 'num', text: number[0], at: i }); i += number[0].length; continue; }
        const id = /^[_a-zA-Z]\w*/.exec(rest);
        if (id) { tokens.push({ kind: 'id', text: id[0], at: i }); i += id[0].length; continue; }
        if (rest[0] === '"') {
            let value = '';
            let j = 1;
            for (; j < rest.length && rest[j] !== '"'; j++) {
                if (rest[j] === '\\' && j + 1 < rest.length) { j++; value += ESCAPES[rest[j]!] ?? rest[j]; } else value += rest[j];
            }
            if (j >= rest.length) throw new ExpressionSyntaxError('unterminated string; close it with "', i);
            tokens.push({ kind: 'str', text: rest.slice(0, j + 1), at: i, value });
            i += j + 1;
            continue;
        }
        const regex = /^\/(?![*/\s])(?:\\.|[^/\\\r\n])+\/[ims]*/.exec(rest);
        if (regex && operandExpected()) { tokens.push({ kind: 'regex', text: regex[0], at: i }); i += regex[0].length; continue; }
        const punct = /^(==|!=|<=|>=|[<>+\-*/%(),.])/.exec(rest);
        if (punct) { tokens.push({ kind: 'punct', text: punct[0], at: i }); i += punct[0].length; continue; }
        throw new ExpressionSyntaxError(`unexpected character '${rest[0]}'`, i);
    }
    return tokens;
}

class Parser {
    private at = 0;
    constructor(private readonly tokens: Token[], private readonly length: number, private readonly names: ReadonlySet<string>) {}

    parse(): ParsedExpr {
        const expr = this.or();
        const next = this.peek();
        if (next) throw new ExpressionSyntaxError(`unexpected '${next.text}' after a complete expression`, next.at);
        return expr;
    }

    private peek(): Token | undefined { return this.tokens[this.at]; }
    private column(): number { return this.peek()?.at ?? this.length; }
    private accept(text: string): boolean {
        const t = this.peek();
        if (t && (t.kind === 'punct' || t.kind === 'id') && t.text === text) { this.at++; return true; }
        return false;
    }
    private expect(text: string): void {
        if (!this.accept(text)) throw new ExpressionSyntaxError(`expected '${text}'`, this.column());
    }

    private or(): ParsedExpr {
        let left = this.and();
        while (this.accept('or')) left = { op: 'or', left: left as Expr, right: this.and() as Expr };
        return left;
    }
    private and(): ParsedExpr {
        let left = this.not();
        while (this.accept('and')) left = { op: 'and', left: left as Expr, right: this.not() as Expr };
        return left;
    }
    private not(): ParsedExpr {
        if (this.accept('not')) return { op: 'not', arg: this.not() as Expr };
        return this.comparison();
    }
    private comparison(): ParsedExpr {
        const left = this.additive();
        const op = COMPARISONS.find(c => this.accept(c));
        return op ? { op, left: left as Expr, right: this.additive() as Expr } : left;
    }
    private additive(): ParsedExpr {
        let left = this.multiplicative();
        for (let op = this.binary(['+', '-']); op; op = this.binary(['+', '-'])) left = { op, left: left as Expr, right: this.multiplicative() as Expr };
        return left;
    }
    private multiplicative(): ParsedExpr {
        let left = this.unary();
        for (let op = this.binary(['*', '/', '%']); op; op = this.binary(['*', '/', '%'])) left = { op, left: left as Expr, right: this.unary() as Expr };
        return left;
    }
    private binary(ops: BinaryOp[]): BinaryOp | undefined {
        return ops.find(op => this.accept(op));
    }
    private unary(): ParsedExpr {
        if (this.accept('-')) return { op: 'neg', arg: this.unary() as Expr };
        return this.primary();
    }

    private primary(): ParsedExpr {
        const t = this.peek();
        if (!t) throw new ExpressionSyntaxError('the expression ends where a value is expected', this.length);
        this.at++;
        if (t.kind === 'num') return { op: 'num', value: Number(t.text) };
        if (t.kind === 'str') return { op: 'str', value: t.value ?? '' };
        if (t.kind === 'regex') {
            const last = t.text.lastIndexOf('/');
            return { op: 'regex', source: t.text.slice(1, last), flags: t.text.slice(last + 1) };
        }
        if (t.kind === 'punct' && t.text === '(') {
            const inner = this.or();
            this.expect(')');
            return inner;
        }
        if (t.kind !== 'id') throw new ExpressionSyntaxError(`unexpected '${t.text}' where a value is expected`, t.at);
        return this.identifier(t);
    }

    private identifier(t: Token): ParsedExpr {
        if (t.text === 'true' || t.text === 'false') return { op: 'bool', value: t.text === 'true' };
        if ((FUNCTIONS as readonly string[]).includes(t.text) && this.accept('(')) {
            const args: Expr[] = [];
            if (!this.accept(')')) {
                do args.push(this.or() as Expr); while (this.accept(','));
                this.expect(')');
            }
            return { op: 'call', fn: t.text as FunctionName, args };
        }
        if (this.accept('.')) {
            const field = this.peek();
            if (!field || field.kind !== 'id') throw new ExpressionSyntaxError(`expected a name after '${t.text}.'`, this.column());
            this.at++;
            if (t.text === 'task') return { op: 'task', field: field.text };
            if (field.text === 'output') return { op: 'output', agent: t.text };
            throw new ExpressionSyntaxError(`'${t.text}.${field.text}' is neither task.<field> nor <agent>.output`, t.at);
        }
        if (t.text === 'output' || t.text === 'agent' || t.text === 'turn') return { op: 'ctx', name: t.text };
        if (this.names.has(t.text)) return { op: 'name', name: t.text };
        const known = ['output', 'agent', 'turn', ...this.names, 'task.<field>', '<agent>.output'];
        throw new ExpressionSyntaxError(`unknown name '${t.text}'; use one of ${known.join(', ')}`, t.at);
    }
}

/** Parses `text`; `names` are the free names the caller will bind (e.g. credit, reward). */
export function parseExpression(text: string, names: Iterable<string> = []): ParsedExpr {
    if (text.length > 10_000) throw new ExpressionSyntaxError('the expression is longer than 10 000 characters', 0);
    return new Parser(tokenize(text), text.length, new Set(names)).parse();
}

/** Replaces free names by literals (numbers, strings, bools; null by an always-null `task` field). */
export function bindNames(expr: ParsedExpr, values: Readonly<Record<string, Value>>): Expr {
    const node = expr as ParsedExpr & Record<string, unknown>;
    if (node.op === 'name') {
        const value = values[(node as { name: string }).name] ?? null;
        if (value === null) return { op: 'task', field: '\u0000missing' };
        if (typeof value === 'number') return { op: 'num', value };
        if (typeof value === 'string') return { op: 'str', value };
        return { op: 'bool', value };
    }
    const out: Record<string, unknown> = { ...node };
    for (const key of ['left', 'right', 'arg'] as const) if (node[key]) out[key] = bindNames(node[key] as ParsedExpr, values);
    if (Array.isArray(node['args'])) out['args'] = (node['args'] as ParsedExpr[]).map(a => bindNames(a, values));
    return out as Expr;
}
