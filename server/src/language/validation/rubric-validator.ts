import { AstUtils, GrammarUtils, type ValidationAcceptor } from 'langium';
import { isContextRef, type Reward, type Rubric } from '../generated/ast.js';
import type { QuickFix } from './diagnostic-data.js';
import { IssueCodes } from './issue-codes.js';
import { report } from './report.js';
import { normalizeWeights, weightsSumToOne } from './weights.js';

/** Rubrics: at least one criterion, positive weights summing to 1, context references only where they exist. */
export class RubricValidator {
    checkRubric(rubric: Rubric, accept: ValidationAcceptor): void {
        if (rubric.criteria.length === 0) {
            report(
                accept,
                'error',
                IssueCodes.EmptyRubric,
                `The rubric '${rubric.name}' has no criteria, so it scores nothing; add one, for example \`criterion correct weight 1: trim(solver.output) == task.answer\`.`,
                { node: rubric, property: 'name' },
            );
            return;
        }
        let allPositive = true;
        for (const criterion of rubric.criteria) {
            // A weight lost to a syntax error is the parser's to report; the sum would be meaningless.
            if (criterion.weight === undefined) allPositive = false;
            else if (!(criterion.weight > 0)) {
                allPositive = false;
                report(
                    accept,
                    'error',
                    IssueCodes.NonPositiveWeight,
                    `The weight of the criterion '${criterion.name}' is ${criterion.weight}; weights must be positive (remove the criterion rather than weighting it 0).`,
                    { node: criterion, property: 'weight' },
                );
            }
        }
        const weights = rubric.criteria.map((criterion) => criterion.weight ?? 0);
        if (allPositive && !weightsSumToOne(weights)) {
            const sum = weights.reduce((total, weight) => total + weight, 0);
            report(
                accept,
                'warning',
                IssueCodes.WeightsNotNormalized,
                `The weights of the rubric '${rubric.name}' sum to ${Number(sum.toFixed(6))}, not 1, which scales the reward and the learning rate with it; normalize them.`,
                { node: rubric, property: 'name' },
                normalizeFix(rubric, weights),
            );
        }
    }

    /** `output`, `agent` and `turn` name the decision being scored: a per-trajectory reward has none. */
    checkRewardContext(reward: Reward, accept: ValidationAcceptor): void {
        const rubric = reward.rubric?.ref;
        if (!rubric || reward.level !== 'trajectory') return;
        const refs = rubric.criteria.flatMap((criterion) =>
            criterion.expression ? AstUtils.streamAst(criterion.expression).filter(isContextRef).toArray() : [],
        );
        if (refs.length === 0) return;
        const sameDocument = AstUtils.getDocument(rubric) === AstUtils.getDocument(reward);
        const message = (name: string) =>
            `\`${name}\` names the decision being scored, but the rubric '${rubric.name}' is used by the per-trajectory reward '${reward.name}', which scores whole trajectories; use \`per turn\` or \`per agent\`, or read an agent's output such as \`solver.output\`.`;
        if (sameDocument) {
            for (const ref of refs)
                report(accept, 'error', IssueCodes.ContextRefUnavailable, message(ref.name), { node: ref });
        } else {
            report(accept, 'error', IssueCodes.ContextRefUnavailable, message(refs[0]!.name), {
                node: reward,
                property: 'rubric',
            });
        }
    }
}

function normalizeFix(rubric: Rubric, weights: readonly number[]): QuickFix[] {
    const normalized = normalizeWeights(weights);
    if (!normalized) return [];
    const edits = rubric.criteria.flatMap((criterion, index) => {
        const range = GrammarUtils.findNodeForProperty(criterion.$cstNode, 'weight')?.range;
        return range ? [{ range, newText: normalized[index]! }] : [];
    });
    return edits.length === rubric.criteria.length
        ? [{ title: 'Normalize the weights to sum to 1', edits, preferred: true }]
        : [];
}
