/**
 * The rubric computations the trajectory view asks for — what-if scores of an edited output and re-scoring a run —
 * answered by the run reader (service.ts). In the extension the reader is a worker thread (worker-client.ts), so
 * rubric expressions (user regexes included) are never evaluated on the extension host's thread, and every call
 * has a deadline past which the worker is ended.
 */
import type { TrajectoryRecord } from '../../protocol/run-dir.js';
import type { CriterionRow, RescoreResult } from '../../protocol/trajectory-messages.js';
import type { RubricScore } from '../rubric/score.js';
import { rescoreRun, type RescoreSettings } from './rescore.js';
import type { RunIndex } from './run-index.js';
import { withOutput } from './edited-turns.js';
import { scoreRollout } from './score-rollout.js';
import { rewardRubric } from './view-model.js';

/** The rubric part of a what-if: the recorded transcript's reward and criteria, then the edited one's. */
export interface WhatIfScores {
    before: { reward: number; criteria: CriterionRow[] };
    after: { reward: number; criteria: CriterionRow[] };
}

function rows(score: RubricScore): CriterionRow[] {
    return score.criteria.map((c) => ({
        name: c.name,
        weight: c.weight,
        score: c.score,
        ...(c.error ? { error: c.error.message } : {}),
    }));
}

/** What the trajectory view asks to be scored; part of RunReader (service.ts), answered in its worker. */
export interface RunScoring {
    /** A rollout scored with run.json's reward rubric as recorded and with turn `turn`'s output replaced. */
    whatIf(root: string, step: number, rollout: number, turn: number, output: string): Promise<WhatIfScores>;
    /** Every rollout of the run re-scored with another rubric, the training estimator's credit recomputed. */
    rescore(root: string, settings: RescoreSettings): Promise<RescoreResult>;
}

/** Scores `record` as recorded and with turn `turn`'s output replaced, with run.json's reward rubric. */
export function scoreWhatIf(index: RunIndex, record: TrajectoryRecord, turn: number, output: string): WhatIfScores {
    const rubric = rewardRubric(index);
    if (!rubric)
        throw new Error(
            `run.json names reward rubric '${index.run.spec.reward.rubric}' but does not contain it; the run directory is damaged.`,
        );
    const level = index.run.spec.reward.level;
    const before = scoreRollout(record.task, record.turns, rubric, level);
    const after = scoreRollout(record.task, withOutput(record.turns, turn, output), rubric, level);
    return {
        before: { reward: before.reward, criteria: rows(before.final) },
        after: { reward: after.reward, criteria: rows(after.final) },
    };
}

/** Re-scores every step of the run, read one step at a time through `readStep`. */
export async function rescoreSteps(
    index: RunIndex,
    readStep: (step: number) => Promise<TrajectoryRecord[]>,
    settings: RescoreSettings,
): Promise<RescoreResult> {
    const steps: TrajectoryRecord[][] = [];
    for (const step of index.steps) steps.push(await readStep(step.step));
    return rescoreRun(steps, settings);
}
