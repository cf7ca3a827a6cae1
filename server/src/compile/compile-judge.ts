import type { CriterionSpec, JudgeSpec } from '../../../protocol/run-spec.js';
import { JUDGE_DEFAULTS } from '../language/catalog/judge-catalog.js';
import type { Criterion, JudgeBody } from '../language/generated/ast.js';
import { compileExpression, compileTemplate, CompileInvariantError } from './compile-expression.js';

/** A criterion: its expression, or its judge (validation has checked that the judge names a model and a prompt). */
export function compileCriterion(criterion: Criterion): CriterionSpec {
    const base = { name: criterion.name, weight: criterion.weight };
    if (criterion.judge) return { ...base, judge: compileJudge(criterion.judge) };
    if (!criterion.expression) throw new CompileInvariantError(`The criterion "${criterion.name}" has no expression.`);
    return { ...base, expr: compileExpression(criterion.expression) };
}

function compileJudge(judge: JudgeBody): JudgeSpec {
    const model = judge.model?.ref?.name;
    if (!model) throw new CompileInvariantError('A judge criterion names no resolved model.');
    const spec: JudgeSpec = {
        model,
        prompt: compileTemplate(judge.prompt),
        scale: [judge.low ?? JUDGE_DEFAULTS.low, judge.high ?? JUDGE_DEFAULTS.high],
        max_tokens: judge.maxTokens ?? JUDGE_DEFAULTS.maxTokens,
    };
    if (judge.temperature !== undefined) spec.temperature = judge.temperature;
    return spec;
}
