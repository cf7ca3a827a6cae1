import type { Expr } from '../../../protocol/expression.js';
import type { TemplatePart } from '../../../protocol/run-spec.js';
import {
    isBinaryExpression, isBoolLiteral, isCallExpression, isContextRef, isNumberLiteral, isOutputRef, isRegexLiteral,
    isStringLiteral, isTaskFieldRef, isUnaryExpression, type Expression, type OutputRef, type TaskFieldRef, type Template,
} from '../language/generated/ast.js';

/** Thrown for an AST the compiler cannot translate; only reachable when a document with errors slips through. */
export class CompileInvariantError extends Error {}

/** Splits a regex literal's raw text `/source/flags` at its last slash. */
export function splitRegexLiteral(raw: string): { source: string; flags: string } {
    const lastSlash = raw.lastIndexOf('/');
    if (!raw.startsWith('/') || lastSlash <= 0) {
        throw new CompileInvariantError(`The regular expression literal ${raw} is malformed.`);
    }
    return { source: raw.slice(1, lastSlash), flags: raw.slice(lastSlash + 1) };
}

function referenceName(ref: { ref?: { name: string } | undefined; $refText: string }, what: string): string {
    if (!ref.ref) throw new CompileInvariantError(`The ${what} "${ref.$refText}" is not resolved.`);
    return ref.ref.name;
}

/** `task.x` and `a.output` as the protocol's reference nodes. */
export function compileReference(node: TaskFieldRef | OutputRef): Extract<Expr, { op: 'task' } | { op: 'output' }> {
    return isTaskFieldRef(node)
        ? { op: 'task', field: referenceName(node.field, 'data set field') }
        : { op: 'output', agent: referenceName(node.agent, 'agent') };
}

/** An edge condition or rubric criterion as the JSON expression tree of protocol/expression.ts. */
export function compileExpression(node: Expression): Expr {
    if (isBinaryExpression(node)) {
        return { op: node.operator, left: compileExpression(node.left), right: compileExpression(node.right) };
    }
    if (isUnaryExpression(node)) {
        return { op: node.operator === 'not' ? 'not' : 'neg', arg: compileExpression(node.operand) };
    }
    if (isNumberLiteral(node)) return { op: 'num', value: node.value };
    if (isStringLiteral(node)) return { op: 'str', value: node.value };
    if (isBoolLiteral(node)) return { op: 'bool', value: node.value === 'true' };
    if (isRegexLiteral(node)) return { op: 'regex', ...splitRegexLiteral(node.value) };
    if (isCallExpression(node)) return { op: 'call', fn: node.function, args: node.args.map(compileExpression) };
    if (isTaskFieldRef(node) || isOutputRef(node)) return compileReference(node);
    if (isContextRef(node)) return { op: 'ctx', name: node.name };
    throw new CompileInvariantError(`The expression node ${(node as { $type?: string } | undefined)?.$type ?? 'undefined'} cannot be compiled.`);
}

/** A prompt as alternating literal text and references; empty text pieces are left out. */
export function compileTemplate(template: Template | undefined): TemplatePart[] {
    if (!template) return [];
    const parts: TemplatePart[] = [];
    template.parts.forEach((text, index) => {
        if (text.length > 0) parts.push({ text });
        const hole = template.holes[index];
        if (hole) parts.push({ ref: compileReference(hole) });
    });
    return parts;
}
