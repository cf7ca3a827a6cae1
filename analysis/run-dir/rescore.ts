import { creditMethodsWhere, methodInfo, type CreditParams } from '../../protocol/credit.js';
import type { TrajectoryRecord } from '../../protocol/run-dir.js';
import type { RewardSpec, RubricSpec } from '../../protocol/run-spec.js';
import type { RescoreResult, RescoreRow } from '../../protocol/trajectory-messages.js';
import { recomputeCredit } from '../credit/from-records.js';
import { ownValue } from './own-key.js';
import { spearman } from './rank.js';
import type { TrainerScores } from './rescore-stream.js';
import { rubricNeedsTrainer } from './rubric-needs-trainer.js';
import { scoreRollout } from './score-rollout.js';

export interface RescoreSettings {
    rubric: RubricSpec;
    level: RewardSpec['level'];
    /** The credit method to recompute (the run's training estimator). */
    method: string;
    params: Record<string, unknown>;
    /** Where the rubric came from (the .mas file), shown with the result. */
    source: string;
    /**
     * The rollouts as the trainer's `rescore` scored them (a rubric calling Python verifiers, or criteria without an
     * expression): used instead of the TypeScript evaluator, which cannot run them. Run 0 of the stream.
     */
    trainer?: TrainerScores;
}

/** What re-scoring needs of a rollout's new score. */
interface NewScore {
    reward: number;
    /** One per trainable decision (turns not nulled, in order); null at trajectory level. */
    decisionRewards: (number | null)[];
}

/** The RunSpec params the estimators read: numbers, strings and number lists (counterfactual's `fanout`). */
function scalarParams(params: Record<string, unknown>): CreditParams {
    return Object.fromEntries(
        Object.entries(params).filter(
            (e): e is [string, number | string | number[]] =>
                typeof e[1] === 'number' ||
                typeof e[1] === 'string' ||
                (Array.isArray(e[1]) && e[1].every((v) => typeof v === 'number')),
        ),
    );
}

/** Per-decision rewards in `decision_turns` order (tree branches leave their copied prefix out of it). */
function alignedDecisionRewards(record: TrajectoryRecord, score: NewScore): (number | null)[] {
    const byTurn = new Map(
        record.turns.filter((t) => !t.nulled).map((t, j) => [t.index, score.decisionRewards[j] ?? null]),
    );
    return record.decision_turns.map((turn) => byTurn.get(turn) ?? null);
}

/** Estimators whose inputs are all recorded transcripts (the registry's `rescorable`: not those needing nulled
 *  re-runs or a critic). */
const RESCORABLE: readonly string[] = creditMethodsWhere((c) => c.rescorable);

/** 1 = best; equal rewards keep their recorded order, so a rank changes only when the order really changes. */
function rankBy(values: readonly number[]): number[] {
    const order = values.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    const ranks = new Array<number>(values.length);
    order.forEach(([, i], position) => {
        ranks[i] = position + 1;
    });
    return ranks;
}

function meanByAgent(pairs: Iterable<[string, number]>): Map<string, number> {
    const sums = new Map<string, [number, number]>();
    for (const [agent, value] of pairs) {
        const s = sums.get(agent) ?? [0, 0];
        sums.set(agent, [s[0] + value, s[1] + 1]);
    }
    return new Map([...sums].map(([agent, [sum, n]]) => [agent, sum / n]));
}

/**
 * Re-scores every recorded rollout with another rubric (trade-offs without retraining): new rewards, the change in
 * the ranking of rollouts, and the training estimator's credit recomputed per step from the new rewards.
 * Tree / nulled-re-run / critic estimators cannot be recomputed from records alone: that is said, not faked.
 */
/**
 * The estimator to recompute: the training one when records alone can recompute it; else the first rescorable
 * estimator the run recorded beside it (`record_credit`), else the first rescorable one (first-hour bug B3: a
 * Shapley run was refused outright although its rewards and group estimators can be re-scored).
 */
function recomputable(
    steps: readonly (readonly TrajectoryRecord[])[],
    settings: RescoreSettings,
): { method: string; params: Record<string, unknown>; note?: string } {
    if (methodInfo(settings.method)?.capabilities.rescorable)
        return { method: settings.method, params: settings.params };
    const recorded = new Set(steps.flat().flatMap((r) => Object.keys(r.credit)));
    const method = RESCORABLE.find((m) => recorded.has(m)) ?? RESCORABLE[0]!;
    const why = methodInfo(settings.method)?.capabilities.needsCritic ? 'a critic' : 're-runs with nulled agents';
    return {
        method,
        params: {},
        note: `The run trained with '${settings.method}', which needs ${why} that re-scoring cannot redo: the rewards are re-scored and credit is recomputed with '${method}'${recorded.has(method) ? ' (recorded beside it)' : ''}.`,
    };
}

/** The trainer's score of each record; an error naming the first record it did not score. */
function trainerScores(records: readonly TrajectoryRecord[], trainer: TrainerScores): Map<TrajectoryRecord, NewScore> {
    const byKey = new Map(
        trainer.rollouts
            .filter((r) => r.run === 0)
            .map((r) => [`${r.step}/${r.rollout}`, { reward: r.reward ?? 0, decisionRewards: r.decision_rewards }]),
    );
    return new Map(
        records.map((r) => {
            const score = byKey.get(`${r.step}/${r.rollout}`);
            if (!score)
                throw new Error(
                    `the trainer did not score step ${r.step} rollout ${r.rollout} (a line it could not read: see its messages in the "MAS Studio" output); nothing was re-scored.`,
                );
            return [r, score];
        }),
    );
}

function trainerNote(trainer: TrainerScores): string {
    const failed = Object.entries(trainer.verifierErrors).filter(([, n]) => n > 0);
    const errors = failed.length
        ? ` Failed verifier calls (their criteria scored null): ${failed.map(([name, n]) => `${name} ${n}`).join(', ')}.`
        : '';
    const skipped = trainer.skippedLines ? ` ${trainer.skippedLines} unreadable trajectory line(s) were skipped.` : '';
    return `Scored by the trainer's Python (the rubric calls verifiers).${errors}${skipped}`;
}

export function rescoreRun(steps: readonly (readonly TrajectoryRecord[])[], requested: RescoreSettings): RescoreResult {
    const { method, params, note: methodNote } = recomputable(steps, requested);
    const settings = { ...requested, method, params };
    const records = steps.flat();
    if (!settings.trainer && rubricNeedsTrainer(settings.rubric))
        throw new Error(
            `the rubric '${settings.rubric.name}' calls Python verifiers (or criteria without an expression), which only the trainer's Python can score.`,
        );
    const scores: Map<TrajectoryRecord, NewScore> = settings.trainer
        ? trainerScores(records, settings.trainer)
        : new Map(records.map((r) => [r, scoreRollout(r.task, r.turns, settings.rubric, settings.level)]));
    const notes = [methodNote, settings.trainer ? trainerNote(settings.trainer) : undefined].filter(Boolean);
    const note = notes.length ? notes.join(' ') : undefined;
    const before: [string, number][] = [],
        after: [string, number][] = [];
    const recomputed = new Map<TrajectoryRecord, number[]>();
    for (const stepRecords of steps) {
        // The step's records with the new rewards: tree rollouts carry their own transcripts, so they re-score too.
        const rescored = stepRecords.map((r) => ({
            ...r,
            reward: scores.get(r)!.reward,
            decision_rewards: alignedDecisionRewards(r, scores.get(r)!),
        }));
        const credit = recomputeCredit(settings.method, rescored, scalarParams(settings.params));
        for (const r of stepRecords) {
            const fresh = credit.get(r.rollout) ?? [];
            recomputed.set(r, fresh);
            r.decision_turns.forEach((turn, j) => {
                const agent = r.turns.find((t) => t.index === turn)?.agent ?? '?';
                const old = ownValue(r.credit, settings.method)?.[j];
                if (old !== undefined) before.push([agent, old]);
                if (fresh[j] !== undefined) after.push([agent, fresh[j]!]);
            });
        }
    }
    const oldRewards = records.map((r) => r.reward),
        newRewards = records.map((r) => scores.get(r)!.reward);
    const rankBefore = rankBy(oldRewards),
        rankAfter = rankBy(newRewards);
    const rows: RescoreRow[] = records.map((r, i) => ({
        step: r.step,
        rollout: r.rollout,
        before: oldRewards[i]!,
        after: newRewards[i]!,
        rankBefore: rankBefore[i]!,
        rankAfter: rankAfter[i]!,
        creditBefore: ownValue(r.credit, settings.method) ?? [],
        creditAfter: recomputed.get(r) ?? [],
    }));
    const meansBefore = meanByAgent(before),
        meansAfter = meanByAgent(after);
    const agents = [...new Set([...meansBefore.keys(), ...meansAfter.keys()])];
    return {
        rubric: settings.rubric.name,
        source: settings.source,
        method: settings.method,
        rows,
        agentCredit: agents.map((agent) => ({
            agent,
            before: meansBefore.get(agent) ?? NaN,
            after: meansAfter.get(agent) ?? NaN,
        })),
        rankCorrelation: spearman(oldRewards, newRewards),
        ...(note ? { note } : {}),
    };
}
