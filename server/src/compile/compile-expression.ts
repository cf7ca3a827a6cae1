import type { Expr } from '../../../protocol/expression.js';
import type { TemplatePart } from '../../../protocol/run-spec.js';
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
    type Expression,
    type OutputRef,
    type TaskFieldRef,
    type Template,
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

type NamedReference = { ref?: { name: string } | undefined; $refText: string };

/** How the compiler reads the names of an expression's references, and which nodes the caller compiles itself. */
export interface ExpressionNaming {
    /** The name a reference stands for; a document's references are linked, a debugger condition's are not. */
    reference(ref: NamedReference, what: string): string;
    /** A tree for a node the caller translates itself (the debugger's bare names), or undefined. */
    leaf?(node: Expression): Expr | undefined;
}

/** References of a validated document: the name of the declaration they resolve to. */
export const LINKED_NAMES: ExpressionNaming = {
    reference(ref, what) {
        if (!ref.ref) throw new CompileInvariantError(`The ${what} "${ref.$refText}" is not resolved.`);
        return ref.ref.name;
    },
};

/** `task.x` and `a.output` as the protocol's reference nodes. */
export function compileReference(
    node: TaskFieldRef | OutputRef,
    naming: ExpressionNaming = LINKED_NAMES,
): Extract<Expr, { op: 'task' } | { op: 'output' }> {
    return isTaskFieldRef(node)
        ? { op: 'task', field: naming.reference(node.field, 'data set field') }
        : { op: 'output', agent: naming.reference(node.agent, 'agent') };
}

/** An edge condition or rubric criterion (or a debugger condition) as the JSON expression tree of protocol/expression.ts. */
export function compileExpression(node: Expression, naming: ExpressionNaming = LINKED_NAMES): Expr {
    const own = naming.leaf?.(node);
    if (own) return own;
    const compile = (child: Expression) => compileExpression(child, naming);
    if (isBinaryExpression(node)) {
        return { op: node.operator, left: compile(node.left), right: compile(node.right) };
    }
    if (isUnaryExpression(node)) {
        return { op: node.operator === 'not' ? 'not' : 'neg', arg: compile(node.operand) };
    }
    if (isNumberLiteral(node)) return { op: 'num', value: node.value };
    if (isStringLiteral(node)) return { op: 'str', value: node.value };
    if (isBoolLiteral(node)) return { op: 'bool', value: node.value === 'true' };
    if (isRegexLiteral(node)) return { op: 'regex', ...splitRegexLiteral(node.value) };
    if (isCallExpression(node)) return { op: 'call', fn: node.function, args: node.args.map(compile) };
    if (isTaskFieldRef(node) || isOutputRef(node)) return compileReference(node, naming);
    if (isContextRef(node)) return { op: 'ctx', name: node.name };
    if (isVerifierCall(node)) {
        return { op: 'verifier', name: naming.reference(node.verifier, 'verifier'), args: node.args.map(compile) };
    }
    throw new CompileInvariantError(
        `The expression node ${(node as { $type?: string } | undefined)?.$type ?? 'undefined'} cannot be compiled.`,
    );
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
