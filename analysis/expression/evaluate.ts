import type { EvalContext, Expr, FunctionName, Value } from '../../protocol/expression.js';
import { EXPRESSION_FUNCTIONS, functionSignature } from '../../protocol/expression-functions.js';
import { ExpressionError } from './errors.js';
import { compileRegex, countMatches, firstMatch, testMatch, type CompiledRegex } from './regex.js';
import { codePointLength, compareCodePoints, formatNumber, parseNumber, trimAscii } from './text.js';

export { ExpressionError } from './errors.js';

/**
 * Evaluates an expression tree with the semantics of protocol/EXPRESSIONS.md. Throws
 * `ExpressionError` (kind `unknown_op`, `arity`, `type_error`, `bad_regex` or `needs_trainer`) exactly where the
 * contract raises; the Python evaluator must agree on every conformance vector.
 */
export function evaluate(expr: Expr, context: EvalContext): Value {
    return new Evaluator(context).value(expr);
}

/** Like `evaluate`, but returns the error instead of throwing it. */
export function tryEvaluate(
    expr: Expr,
    context: EvalContext,
): { ok: true; value: Value } | { ok: false; error: ExpressionError } {
    try {
        return { ok: true, value: evaluate(expr, context) };
    } catch (error) {
        if (error instanceof ExpressionError) return { ok: false, error };
        throw error;
    }
}

function typeError(message: string): ExpressionError {
    return new ExpressionError('type_error', message);
}

function describe(value: Value): string {
    return value === null ? 'null' : typeof value;
}

/** Arithmetic never yields infinities or NaN: an overflow is "missing" (null), like a division by zero. */
function finite(value: number): number | null {
    return Number.isFinite(value) ? value : null;
}

class Evaluator {
    constructor(private readonly context: EvalContext) {}

    value(expr: Expr): Value {
        const node = expr as Expr & { op: string };
        switch (node.op) {
            case 'num':
            case 'str':
            case 'bool':
                return (node as { value: Value }).value;
            case 'regex':
                throw typeError('A regular expression can only be the second argument of matches, extract or count.');
            case 'task': {
                const { field } = node as { field: string };
                return Object.prototype.hasOwnProperty.call(this.context.task, field)
                    ? this.context.task[field]!
                    : null;
            }
            case 'output': {
                const { agent } = node as { agent: string };
                return Object.prototype.hasOwnProperty.call(this.context.outputs, agent)
                    ? this.context.outputs[agent]!
                    : '';
            }
            case 'ctx': {
                const { name } = node as { name: string };
                const ctx = this.context.ctx ?? {};
                return Object.prototype.hasOwnProperty.call(ctx, name) ? (ctx as Record<string, Value>)[name]! : null;
            }
            case 'not':
                return this.not(this.value((node as { arg: Expr }).arg));
            case 'neg':
                return this.neg(this.value((node as { arg: Expr }).arg));
            case 'and':
            case 'or':
                return this.logic(node.op, node as { left: Expr; right: Expr });
            case '+':
            case '-':
            case '*':
            case '/':
            case '%':
            case '==':
            case '!=':
            case '<':
            case '<=':
            case '>':
            case '>=':
            case 'contains': {
                const { left, right } = node as { left: Expr; right: Expr };
                return this.binary(node.op, this.value(left), this.value(right));
            }
            case 'matches': {
                const { left, right } = node as { left: Expr; right: Expr };
                const text = this.stringOrNull(this.value(left), 'matches');
                const regex = this.regex(right, 'matches');
                return text !== null && testMatch(regex, text);
            }
            case 'call':
                return this.call(node as { fn: FunctionName; args: Expr[] });
            case 'verifier':
                // Python code (the workspace's, or the trainer's library): only the trainer runs it, in its worker pool.
                throw new ExpressionError(
                    'needs_trainer',
                    `The verifier "${String((node as { name?: unknown }).name)}" is Python code that only the trainer runs: the editor cannot evaluate it, so this criterion scores 0 here (needs the trainer).`,
                );
            default:
                throw new ExpressionError(
                    'unknown_op',
                    `The operator "${String((node as { op: unknown }).op)}" is unknown; this evaluator reads the operators of protocol/EXPRESSIONS.md.`,
                );
        }
    }

    private not(value: Value): boolean {
        if (value === null || value === false) return true;
        if (value === true) return false;
        throw typeError(`"not" needs a bool, got a ${describe(value)}.`);
    }

    private neg(value: Value): number | null {
        if (value === null) return null;
        if (typeof value === 'number') return -value;
        throw typeError(`Unary minus needs a number, got a ${describe(value)}.`);
    }

    private truth(value: Value, op: string): boolean {
        if (value === null) return false;
        if (typeof value === 'boolean') return value;
        throw typeError(`"${op}" needs bool operands, got a ${describe(value)}.`);
    }

    private logic(op: 'and' | 'or', node: { left: Expr; right: Expr }): boolean {
        const left = this.truth(this.value(node.left), op);
        if (op === 'and' ? !left : left) return left;
        return this.truth(this.value(node.right), op);
    }

    private binary(op: string, left: Value, right: Value): Value {
        switch (op) {
            case '+':
                if (left === null || right === null) return null;
                if (typeof left === 'number' && typeof right === 'number') return finite(left + right);
                if (typeof left === 'string' && typeof right === 'string') return left + right;
                throw typeError(
                    `"+" adds two numbers or joins two strings, got a ${describe(left)} and a ${describe(right)}.`,
                );
            case '-':
            case '*':
            case '/':
            case '%': {
                if (left === null || right === null) return null;
                if (typeof left !== 'number' || typeof right !== 'number') {
                    throw typeError(`"${op}" needs two numbers, got a ${describe(left)} and a ${describe(right)}.`);
                }
                if ((op === '/' || op === '%') && right === 0) return null;
                const result =
                    op === '-' ? left - right : op === '*' ? left * right : op === '/' ? left / right : left % right;
                return finite(result);
            }
            case '==':
            case '!=': {
                if (left === null || right === null) return op === '!=';
                if (typeof left !== typeof right) {
                    throw typeError(
                        `"${op}" compares values of one type, got a ${describe(left)} and a ${describe(right)}.`,
                    );
                }
                return (left === right) === (op === '==');
            }
            case '<':
            case '<=':
            case '>':
            case '>=':
                return this.order(op, left, right);
            default: {
                // contains
                if (left === null || right === null) return false;
                if (typeof left !== 'string' || typeof right !== 'string') {
                    throw typeError(`"contains" needs two strings, got a ${describe(left)} and a ${describe(right)}.`);
                }
                return left.includes(right);
            }
        }
    }

    private order(op: string, left: Value, right: Value): boolean {
        if (left === null || right === null) return false;
        let difference: number;
        if (typeof left === 'number' && typeof right === 'number') difference = left - right;
        else if (typeof left === 'string' && typeof right === 'string') difference = compareCodePoints(left, right);
        else
            throw typeError(
                `"${op}" compares two numbers or two strings, got a ${describe(left)} and a ${describe(right)}.`,
            );
        if (op === '<') return difference < 0;
        if (op === '<=') return difference <= 0;
        if (op === '>') return difference > 0;
        return difference >= 0;
    }

    private stringOrNull(value: Value, where: string): string | null {
        if (value === null || typeof value === 'string') return value;
        throw typeError(`${where} needs a string, got a ${describe(value)}.`);
    }

    private regex(expr: Expr, where: string): CompiledRegex {
        if (expr.op !== 'regex')
            throw typeError(`The second operand of ${where} must be a regular expression literal.`);
        return compileRegex(expr.source, expr.flags);
    }

    private call(node: { fn: FunctionName; args: Expr[] }): Value {
        const arity = functionSignature(node.fn)?.parameters.length;
        if (arity === undefined) {
            throw new ExpressionError(
                'unknown_op',
                `The function "${String(node.fn)}" is unknown; known functions: ${Object.keys(EXPRESSION_FUNCTIONS).join(', ')}.`,
            );
        }
        if (node.args.length !== arity) {
            throw new ExpressionError(
                'arity',
                `${node.fn}() takes ${arity} argument${arity === 1 ? '' : 's'}, got ${node.args.length}.`,
            );
        }
        const first = this.value(node.args[0]!);
        switch (node.fn) {
            case 'extract': {
                const text = this.stringOrNull(first, 'extract()');
                const regex = this.regex(node.args[1]!, 'extract()');
                const match = text === null ? null : firstMatch(regex, text);
                if (match === null) return null;
                return match.group1 ?? match.whole;
            }
            case 'count': {
                const text = this.stringOrNull(first, 'count()');
                const regex = this.regex(node.args[1]!, 'count()');
                return text === null ? 0 : countMatches(regex, text);
            }
            case 'length': {
                const text = this.stringOrNull(first, 'length()');
                return text === null ? null : codePointLength(text);
            }
            case 'number':
                if (first === null || typeof first === 'number') return first;
                if (typeof first === 'boolean') return first ? 1 : 0;
                return parseNumber(first);
            case 'string':
                if (first === null) return '';
                if (typeof first === 'number') return formatNumber(first);
                return String(first);
            default: {
                const text = this.stringOrNull(first, `${node.fn}()`);
                if (text === null) return null;
                return node.fn === 'lower'
                    ? text.toLowerCase()
                    : node.fn === 'upper'
                      ? text.toUpperCase()
                      : trimAscii(text);
            }
        }
    }
}
