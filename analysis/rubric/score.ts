import type { EvalContext, EvalErrorKind, Value } from '../../protocol/expression.js';
import type { RubricSpec } from '../../protocol/run-spec.js';
import { ExpressionError, tryEvaluate } from '../expression/evaluate.js';

export interface CriterionScore {
    name: string;
    weight: number;
    /** What the expression evaluated to; absent when it raised. */
    value?: Value;
    /** 1/0 for a bool (null is 0), the number itself for a number, 0 when the evaluation raised. */
    score: number;
    error?: { kind: EvalErrorKind; message: string };
}

export interface RubricScore {
    /** Σ weight × score over the criteria, with the weights as written (protocol/EXPRESSIONS.md). */
    reward: number;
    criteria: CriterionScore[];
}

/** A criterion's value as a score: `true` → 1, `false`/`null` → 0, a number → itself; a string is a `type_error`. */
export function criterionScore(value: Value): number {
    if (value === null || value === false) return 0;
    if (value === true) return 1;
    if (typeof value === 'number') return value;
    throw new ExpressionError(
        'type_error',
        'A rubric criterion must give a bool or a number, not a string; compare it or convert it with number().',
    );
}

/**
 * Scores every criterion of a rubric on one context. A criterion that raises scores 0 and carries its
 * error, so that one bad criterion is visible in the trajectory view instead of aborting the rubric.
 */
export function scoreRubric(rubric: RubricSpec, context: EvalContext): RubricScore {
    const criteria = rubric.criteria.map((criterion): CriterionScore => {
        const base = { name: criterion.name, weight: criterion.weight };
        if (criterion.expr === undefined) {
            // A judge criterion asks a model, which only the trainer runs (its `rescore` command), like a verifier.
            const judge = criterion.judge?.model ?? '?';
            const message = `the criterion '${criterion.name}' is scored by the judge model '${judge}', which only the trainer runs`;
            return { ...base, score: 0, error: { kind: 'needs_trainer', message } };
        }
        const result = tryEvaluate(criterion.expr, context);
        if (!result.ok) return { ...base, score: 0, error: { kind: result.error.kind, message: result.error.message } };
        try {
            return { ...base, value: result.value, score: criterionScore(result.value) };
        } catch (error) {
            const failure = error as ExpressionError;
            return { ...base, value: result.value, score: 0, error: { kind: failure.kind, message: failure.message } };
        }
    });
    return { reward: criteria.reduce((sum, c) => sum + c.weight * c.score, 0), criteria };
}
