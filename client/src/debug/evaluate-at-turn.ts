import { bindNames } from '../../../analysis/expression/bind-names.js';
import { evaluate } from '../../../analysis/expression/evaluate.js';
import type { Value } from '../../../protocol/expression.js';
import type { CompileExpressionParams, CompileExpressionResult, OpenExpr } from '../../../protocol/lsp.js';
import type { TrajectoryRecord } from '../../../protocol/run-dir.js';
import { CONDITION_NAMES, turnBindings } from './turn-context.js';

/** `mas/compileExpression` through the language client: the language server owns the expression grammar. */
export type CompileExpression = (params: CompileExpressionParams) => Promise<CompileExpressionResult>;

/** The agents whose `<agent>.output` the expression reads. */
function outputAgents(node: unknown, into: Set<string>): Set<string> {
    if (Array.isArray(node)) for (const item of node) outputAgents(item, into);
    else if (typeof node === 'object' && node !== null) {
        const fields = node as Record<string, unknown>;
        if (fields['op'] === 'output' && typeof fields['agent'] === 'string') into.add(fields['agent']);
        for (const value of Object.values(fields)) outputAgents(value, into);
    }
    return into;
}

/** The first verifier the expression calls (`{ op: 'verifier', name }`), if any. */
function firstVerifier(node: unknown): string | undefined {
    if (Array.isArray(node)) return node.map(firstVerifier).find((name) => name !== undefined);
    if (typeof node !== 'object' || node === null) return undefined;
    const fields = node as Record<string, unknown>;
    if (fields['op'] === 'verifier') return String(fields['name']);
    return Object.values(fields)
        .map(firstVerifier)
        .find((name) => name !== undefined);
}

/**
 * Compiles a condition / console expression; the bare names are the debugger's turn variables. Throws with the
 * column, and, given the workflow's agents, for `<agent>.output` of an agent it does not declare: the evaluator reads
 * an agent that has not spoken yet as "", which made a typo such as `foo.output` silently "" (first-hour bug B8).
 */
export async function compileTurnExpression(
    text: string,
    compile: CompileExpression,
    agents: readonly string[] = [],
): Promise<OpenExpr> {
    const result = await compile({ text, names: [...CONDITION_NAMES] });
    if ('error' in result) throw new Error(`${result.error} (column ${result.column + 1})`);
    // Verifiers are Python (or model-judged) code that only the trainer runs; refuse them here, naming the verifier,
    // rather than let the evaluator fail on every stop.
    const verifier = firstVerifier(result.expr);
    if (verifier !== undefined)
        throw new Error(
            `verifier calls run in the trainer; they cannot be evaluated in the debugger ('${verifier}(...)')`,
        );
    const unknown =
        agents.length > 0 ? [...outputAgents(result.expr, new Set())].filter((agent) => !agents.includes(agent)) : [];
    if (unknown.length > 0) {
        throw new Error(
            `unknown agent '${unknown[0]}' in ${unknown[0]}.output; the workflow's agents are ${agents.join(', ')}`,
        );
    }
    return result.expr;
}

export function evaluateCompiledAtTurn(expr: OpenExpr, record: TrajectoryRecord, turn: number, method: string): Value {
    const { context, names } = turnBindings(record, turn, method);
    return evaluate(bindNames(expr, names), context);
}

/** Evaluates .mas expression text at a turn (debug console, watch, hover). */
export async function evaluateAtTurn(
    text: string,
    compile: CompileExpression,
    record: TrajectoryRecord,
    turn: number,
    method: string,
    agents: readonly string[] = [],
): Promise<Value> {
    return evaluateCompiledAtTurn(await compileTurnExpression(text, compile, agents), record, turn, method);
}
