import type { Expr, Value } from '../../protocol/expression.js';
import type { OpenExpr } from '../../protocol/lsp.js';

/**
 * Replaces the bare names of a compiled debugger condition (`mas/compileExpression`) by literals: numbers, strings
 * and bools as themselves, null (or a name without a value) by a task field no row has, which reads as null.
 */
export function bindNames(expr: OpenExpr, values: Readonly<Record<string, Value>>): Expr {
    const node = expr as OpenExpr & Record<string, unknown>;
    if (node.op === 'name') {
        const value = values[(node as { name: string }).name] ?? null;
        if (value === null) return { op: 'task', field: '\u0000missing' };
        if (typeof value === 'number') return { op: 'num', value };
        if (typeof value === 'string') return { op: 'str', value };
        return { op: 'bool', value };
    }
    const out: Record<string, unknown> = { ...node };
    for (const key of ['left', 'right', 'arg'] as const)
        if (node[key]) out[key] = bindNames(node[key] as OpenExpr, values);
    if (Array.isArray(node['args'])) out['args'] = (node['args'] as OpenExpr[]).map((arg) => bindNames(arg, values));
    return out as Expr;
}
