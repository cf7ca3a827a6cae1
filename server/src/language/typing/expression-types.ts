import {
    isBinaryExpression,
    isBoolLiteral,
    isCallExpression,
    isContextRef,
    isNumberLiteral,
    isOutputRef,
    isRegexLiteral,
    isStringLiteral,
    isTaskFieldRef,
    isUnaryExpression,
    isVerifierCall,
    type BinaryExpression,
    type CallExpression,
    type Expression,
} from '../generated/ast.js';
import { functionSignature, type ValueType } from '../../../../protocol/expression-functions.js';
import { inferVerifierCall } from './verifier-call-types.js';

/**
 * The static type of an expression. `unknown` stands for "already wrong or unresolved": it is
 * accepted everywhere so that one mistake is reported once, not again by every enclosing operator.
 */
export type ExpressionType = ValueType | 'regex' | 'unknown';

/** A typing problem: the node to underline and a sentence that says how to fix it. */
export interface TypeProblem {
    node: Expression;
    kind: 'type-mismatch' | 'wrong-arity';
    message: string;
}

/** Where a type problem goes; the validator reports them, the compiler only needs the type. */
export type TypeProblemSink = (problem: TypeProblem) => void;

const ignoreProblems: TypeProblemSink = () => undefined;

/**
 * Infers the type of an expression following protocol/EXPRESSIONS.md, reporting operands of the
 * wrong type and calls with the wrong number of arguments to `report`.
 */
export function inferExpressionType(
    node: Expression | undefined,
    report: TypeProblemSink = ignoreProblems,
): ExpressionType {
    const type = inferInner(node, report);
    if (type === 'regex' && node) {
        report({
            node,
            kind: 'type-mismatch',
            message:
                'A regular expression can only be the second argument of `matches`, `extract` or `count`; use a string in quotes here.',
        });
        return 'unknown';
    }
    return type;
}

function inferInner(node: Expression | undefined, report: TypeProblemSink): ExpressionType {
    if (!node) return 'unknown';
    if (isNumberLiteral(node)) return 'number';
    if (isStringLiteral(node)) return 'string';
    if (isBoolLiteral(node)) return 'bool';
    if (isRegexLiteral(node)) return 'regex';
    if (isOutputRef(node)) return 'string';
    if (isTaskFieldRef(node)) return node.field?.ref?.type ?? 'unknown';
    if (isContextRef(node)) return node.name === 'turn' ? 'number' : 'string';
    if (isUnaryExpression(node)) {
        const expected: ValueType = node.operator === 'not' ? 'bool' : 'number';
        expectType(node.operand, expected, `\`${node.operator}\``, report);
        return expected;
    }
    if (isBinaryExpression(node)) return inferBinary(node, report);
    if (isCallExpression(node)) return inferCall(node, report);
    if (isVerifierCall(node)) return inferVerifierCall(node, report, expectType, (arg) => inferInner(arg, report));
    return 'unknown';
}

/** Checks that an operand has the expected type; returns false (after reporting) when it does not. */
function expectType(
    operand: Expression | undefined,
    expected: ExpressionType,
    where: string,
    report: TypeProblemSink,
): boolean {
    const actual = inferExpressionTypeAllowingRegex(operand, expected === 'regex', report);
    if (actual === 'unknown' || actual === expected || !operand) return true;
    report({
        node: operand,
        kind: 'type-mismatch',
        message: `${where} expects ${describe(expected)} here, but this is ${describe(actual)}; ${conversionHint(actual, expected)}`,
    });
    return false;
}

function inferExpressionTypeAllowingRegex(
    node: Expression | undefined,
    allowRegex: boolean,
    report: TypeProblemSink,
): ExpressionType {
    return allowRegex ? inferInner(node, report) : inferExpressionType(node, report);
}

function inferBinary(node: BinaryExpression, report: TypeProblemSink): ExpressionType {
    const op = `\`${node.operator}\``;
    switch (node.operator) {
        case 'and':
        case 'or':
            expectType(node.left, 'bool', op, report);
            expectType(node.right, 'bool', op, report);
            return 'bool';
        case '-':
        case '*':
        case '/':
        case '%':
            expectType(node.left, 'number', op, report);
            expectType(node.right, 'number', op, report);
            return 'number';
        case 'contains':
            expectType(node.left, 'string', op, report);
            expectType(node.right, 'string', op, report);
            return 'bool';
        case 'matches':
            expectType(node.left, 'string', op, report);
            expectType(node.right, 'regex', op, report);
            return 'bool';
        case '+':
            return sameTypeOperands(node, ['number', 'string'], report) ?? 'unknown';
        case '==':
        case '!=':
            sameTypeOperands(node, ['number', 'string', 'bool'], report);
            return 'bool';
        default:
            sameTypeOperands(node, ['number', 'string'], report);
            return 'bool';
    }
}

/** Operators whose operands must share one of `allowed` types (`+`, comparisons); returns that type. */
function sameTypeOperands(
    node: BinaryExpression,
    allowed: readonly ValueType[],
    report: TypeProblemSink,
): ExpressionType | undefined {
    const left = inferExpressionType(node.left, report);
    const right = inferExpressionType(node.right, report);
    const op = `\`${node.operator}\``;
    for (const [side, type] of [
        [node.left, left],
        [node.right, right],
    ] as const) {
        if (type !== 'unknown' && !allowed.includes(type as ValueType)) {
            report({
                node: side,
                kind: 'type-mismatch',
                message: `${op} works on ${allowed.map(describe).join(' or ')}, but this is ${describe(type)}; convert it first.`,
            });
            return undefined;
        }
    }
    if (left !== 'unknown' && right !== 'unknown' && left !== right) {
        report({
            node: node.right,
            kind: 'type-mismatch',
            message: `${op} compares values of the same type, but the left side is ${describe(left)} and the right side is ${describe(right)}; ${conversionHint(right, left)}`,
        });
        return undefined;
    }
    return left !== 'unknown' ? left : right;
}

function inferCall(node: CallExpression, report: TypeProblemSink): ExpressionType {
    const signature = functionSignature(node.function);
    if (!signature) return 'unknown';
    if (node.args.length !== signature.parameters.length) {
        report({
            node,
            kind: 'wrong-arity',
            message: `\`${node.function}\` takes ${signature.parameters.length} argument${signature.parameters.length === 1 ? '' : 's'} (${signature.usage}), but ${node.args.length} ${node.args.length === 1 ? 'is' : 'are'} given; write \`${signature.usage}\`.`,
        });
        node.args.forEach((arg) => inferInner(arg, report));
        return signature.result;
    }
    signature.parameters.forEach((accepted, index) => {
        const arg = node.args[index]!;
        if (accepted.length === 1) {
            expectType(arg, accepted[0]!, `\`${node.function}\``, report);
            return;
        }
        const actual = inferExpressionType(arg, report);
        if (actual !== 'unknown' && !accepted.includes(actual as ValueType)) {
            report({
                node: arg,
                kind: 'type-mismatch',
                message: `\`${node.function}\` accepts ${accepted.map(describe).join(', ')}, but this is ${describe(actual)}; write \`${signature.usage}\`.`,
            });
        }
    });
    return signature.result;
}

/** "a number", "a string", ... for messages. */
export function describe(type: ExpressionType): string {
    switch (type) {
        case 'number':
            return 'a number';
        case 'string':
            return 'a string';
        case 'bool':
            return 'a bool';
        case 'regex':
            return 'a regular expression';
        default:
            return 'an unknown value';
    }
}

function conversionHint(actual: ExpressionType, expected: ExpressionType): string {
    if (expected === 'number' && actual === 'string') return 'convert it with `number(...)`.';
    if (expected === 'string' && (actual === 'number' || actual === 'bool')) return 'convert it with `string(...)`.';
    if (expected === 'bool' && actual === 'string')
        return 'compare it, for example `... contains "text"` or `... == "text"`.';
    if (expected === 'bool' && actual === 'number') return 'compare it, for example `... > 0`.';
    if (expected === 'regex') return 'write a regular expression literal such as `/[0-9]+/`.';
    return `give ${describe(expected)} instead.`;
}
