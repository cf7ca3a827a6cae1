import { bindNames } from '../../../analysis/expression/bind-names.js';
import { evaluate } from '../../../analysis/expression/evaluate.js';
import type { Value } from '../../../protocol/expression.js';
import type { CompileExpressionParams, CompileExpressionResult, OpenExpr } from '../../../protocol/lsp.js';
import type { TrajectoryRecord } from '../../../protocol/run-dir.js';
import { CONDITION_NAMES, turnBindings } from './turn-context.js';

/** `mas/compileExpression` through the language client: the language server owns the expression grammar. */
export type CompileExpression = (params: CompileExpressionParams) => Promise<CompileExpressionResult>;

/** Compiles a condition / console expression; the bare names are the debugger's turn variables. Throws with the column. */
export async function compileTurnExpression(text: string, compile: CompileExpression): Promise<OpenExpr> {
    const result = await compile({ text, names: [...CONDITION_NAMES] });
    if ('error' in result) throw new Error(`${result.error} (column ${result.column + 1})`);
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
): Promise<Value> {
    return evaluateCompiledAtTurn(await compileTurnExpression(text, compile), record, turn, method);
}
