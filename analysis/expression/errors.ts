import type { EvalErrorKind } from '../../protocol/expression.js';

/** An evaluation failure of one of the kinds protocol/EXPRESSIONS.md names (both evaluators raise the same kind). */
export class ExpressionError extends Error {
    constructor(
        readonly kind: EvalErrorKind,
        message: string,
    ) {
        super(message);
        this.name = 'ExpressionError';
    }
}
