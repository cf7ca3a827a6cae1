import type { TrainerScores } from '../../../analysis/run-dir/rescore-stream.js';
import type { TrajectoryRecord } from '../../../protocol/run-dir.js';
import type { RunSpec } from '../../../protocol/run-spec.js';
import type { RescoreResult } from '../../../protocol/trajectory-messages.js';

/** One run directory's re-score: its recorded rollouts, the trainer's scores, and the view's result (ranks). */
export interface RunRescore {
    root: string;
    records: TrajectoryRecord[];
    scores: TrainerScores;
    result: RescoreResult;
}

const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / (values.length || 1);
const f = (value: number): string => (Number.isFinite(value) ? value.toFixed(3) : 'n/a');

/** The text `mas rescore` prints: per run, the mean reward and each criterion recorded → re-scored, rank changes. */
export function rescoreSummary(
    runs: readonly RunRescore[],
    spec: RunSpec,
    verifierErrors: Record<string, number>,
): string {
    const rubric = spec.rubrics.find((r) => r.name === spec.reward.rubric);
    const lines: string[] = [];
    const width = Math.max(12, ...(rubric?.criteria ?? []).map((c) => `criterion ${c.name}`.length));
    const label = (text: string) => `  ${text.padEnd(width)} `;
    for (const run of runs) {
        const rows = run.result.rows;
        lines.push(
            `${run.root}: ${rows.length} rollouts re-scored with reward ${spec.reward.name} (rubric ${spec.reward.rubric})`,
        );
        lines.push(
            `${label('mean reward')}${f(mean(rows.map((r) => r.before)))} -> ${f(mean(rows.map((r) => r.after)))}`,
        );
        for (const criterion of rubric?.criteria ?? []) {
            const before = run.records
                .map((r) => r.criteria[criterion.name])
                .filter((v): v is number => typeof v === 'number');
            const after = run.scores.rollouts
                .map((r) => r.criteria[criterion.name])
                .filter((v): v is number => typeof v === 'number');
            const recorded = before.length ? f(mean(before)) : 'new';
            lines.push(`${label(`criterion ${criterion.name}`)}${recorded} -> ${f(mean(after))}`);
        }
        const moved = rows.filter((r) => r.rankBefore !== r.rankAfter).length;
        const rho = run.result.rankCorrelation;
        lines.push(
            `${label('rank changes')}${moved} of ${rows.length} rollouts${rho === null ? '' : ` (Spearman ${f(rho)})`}`,
        );
        if (run.result.note) lines.push(`  note: ${run.result.note}`);
    }
    const failed = Object.entries(verifierErrors).filter(([, n]) => n > 0);
    lines.push(
        failed.length
            ? `verifier errors: ${failed.map(([name, n]) => `${name} ${n}`).join(', ')} (those criteria scored null)`
            : 'verifier errors: none',
    );
    return lines.join('\n') + '\n';
}
