import type { ValidationAcceptor } from 'langium';
import type { StopWhen, Train } from '../generated/ast.js';
import { STOP_WHEN_METRICS } from '../catalog/training-catalog.js';
import { closestName } from '../catalog/parameters.js';
import { didYouMean, didYouMeanFix } from './argument-checks.js';
import { IssueCodes } from './issue-codes.js';
import { report } from './report.js';
import type { WorkflowContext } from './workflow-context.js';

/** The metrics a `stop_when` may read: what the trainer writes per step, and the reward rubric's criteria. */
export function stopWhenMetrics(context: WorkflowContext | undefined): string[] {
    const rubric = context?.rewards[0]?.rubric?.ref; // a half-typed reward has no rubric reference yet
    const criteria = rubric?.criteria.map((criterion) => criterion.name).filter(Boolean) ?? [];
    return [...STOP_WHEN_METRICS.map((metric) => metric.name), ...criteria];
}

/** One `stop_when` at most, on a metric the trainer records, for a positive whole number of steps. */
export function checkStopWhen(train: Train, context: WorkflowContext | undefined, accept: ValidationAcceptor): void {
    train.stopWhen
        .slice(1)
        .forEach((extra) =>
            report(
                accept,
                'error',
                IssueCodes.DuplicateProperty,
                'The train block sets `stop_when` more than once (only one condition can count); remove the extra one.',
                { node: extra, keyword: 'stop_when' },
            ),
        );
    const condition = train.stopWhen[0];
    if (condition) checkCondition(condition, stopWhenMetrics(context), accept);
}

function checkCondition(condition: StopWhen, metrics: string[], accept: ValidationAcceptor): void {
    if (condition.metric && !metrics.includes(condition.metric)) {
        const suggestion = closestName(condition.metric, metrics);
        report(
            accept,
            'error',
            IssueCodes.InvalidStopCondition,
            `'${condition.metric}' is not a metric the trainer records each step; use one of ${metrics.map((m) => `\`${m}\``).join(', ')}.${didYouMean(suggestion)}`,
            { node: condition, property: 'metric' },
            didYouMeanFix(condition, 'metric', suggestion),
        );
    }
    if (condition.steps !== undefined && !(Number.isInteger(condition.steps) && condition.steps >= 1)) {
        report(
            accept,
            'error',
            IssueCodes.InvalidStopCondition,
            `\`stop_when\` needs a whole number of steps, 1 or more (the condition must hold that many steps in a row), not ${condition.steps}.`,
            { node: condition, property: 'steps' },
        );
    }
}
