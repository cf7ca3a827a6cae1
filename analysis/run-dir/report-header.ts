import type { ReportHeader, ReportMetric } from '../../protocol/report-data.js';
import type { RunJson } from '../../protocol/run-dir.js';
import type { RunIndex } from './run-index.js';

/** `shapley(samples: 8)`: the credit method as a user writes it in the train block. */
export function creditLabel(credit: RunJson['spec']['train']['credit'] | undefined): string {
    if (!credit) return 'unknown';
    const args = Object.entries(credit.params ?? {}).map(
        ([name, value]) => `${name}: ${Array.isArray(value) ? `[${value.join(', ')}]` : String(value)}`,
    );
    return args.length ? `${credit.method}(${args.join(', ')})` : credit.method;
}

/** The curves' points, in step order (metrics.jsonl has each step once, also across resumes). */
export function reportMetrics(index: RunIndex): ReportMetric[] {
    return index.metrics
        .map((m) => ({
            step: m.step,
            time: m.time,
            reward: m.reward_mean,
            rewardStd: m.reward_std,
            success: m.success,
            loss: m.loss,
        }))
        .sort((a, b) => a.step - b.step);
}

/** The title block: what ran, how it was credited, when, and how it ended. */
export function reportHeader(index: RunIndex, metrics: readonly ReportMetric[]): ReportHeader {
    const run = index.run;
    const last = metrics.at(-1);
    let best: ReportHeader['best'] = null;
    for (const m of metrics)
        if (m.reward !== null && (best === null || m.reward > best.reward)) best = { step: m.step, reward: m.reward };
    return {
        workflow: run.workflow,
        status: run.status,
        credit: creditLabel(run.spec?.train?.credit),
        startedAt: run.started_at,
        updatedAt: run.updated_at,
        stepsCompleted: run.steps_completed,
        stepsTotal: run.steps_total,
        device: run.trainer?.device ?? 'unknown',
        stoppedEarly: run.stopped_early ?? null,
        final: last ? { step: last.step, reward: last.reward, success: last.success } : null,
        best,
    };
}
