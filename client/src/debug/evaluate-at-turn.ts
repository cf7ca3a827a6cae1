import { evaluate } from '../../../analysis/expression/evaluate.js';
import { bindNames, parseExpression, type ParsedExpr } from '../../../analysis/expression/parse.js';
import type { Value } from '../../../protocol/expression.js';
import type { TrajectoryRecord } from '../../../protocol/run-dir.js';
import { CONDITION_NAMES, turnBindings } from './turn-context.js';

/** Parses a condition / console expression; the free names are the debugger's turn variables. */
export function parseTurnExpression(text: string): ParsedExpr {
    return parseExpression(text, CONDITION_NAMES);
}

export function evaluateParsedAtTurn(expr: ParsedExpr, record: TrajectoryRecord, turn: number, method: string): Value {
    const { context, names } = turnBindings(record, turn, method);
    return evaluate(bindNames(expr, names), context);
}

/** Evaluates .mas expression text at a turn (debug console, watch, hover). */
export function evaluateAtTurn(text: string, record: TrajectoryRecord, turn: number, method: string): Value {
    return evaluateParsedAtTurn(parseTurnExpression(text), record, turn, method);
}
