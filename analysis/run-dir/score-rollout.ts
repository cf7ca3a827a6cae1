import type { EvalContext, Value } from '../../protocol/expression.js';
import type { TrajectoryRecord, TurnRecord } from '../../protocol/run-dir.js';
import type { RewardSpec, RubricSpec } from '../../protocol/run-spec.js';
import { scoreRubric, type RubricScore } from '../rubric/score.js';
import { setOwn } from './own-key.js';

/** A rollout's reward at the declared level. Twin of trainer/mas_trainer/rewards.py `score_rollout`. */
export interface RolloutScore {
    reward: number;
    /** The rubric on the final transcript (criterion scores and errors). */
    final: RubricScore;
    /** One per trainable decision; null at trajectory level. */
    decisionRewards: (number | null)[];
}

export { withOutput } from './edited-turns.js';

function latestOutputs(turns: readonly TurnRecord[]): Record<string, string> {
    const outputs: Record<string, string> = {};
    for (const t of turns) setOwn(outputs, t.agent, t.output); // an agent named `__proto__` is an agent too
    return outputs;
}

export function scoreRollout(
    task: TrajectoryRecord['task'],
    turns: readonly TurnRecord[],
    rubric: RubricSpec,
    level: RewardSpec['level'],
): RolloutScore {
    const taskValues = task as Record<string, Value>;
    const outputs = latestOutputs(turns);
    const final = scoreRubric(rubric, { task: taskValues, outputs });
    const decisions = turns.filter((t) => !t.nulled);
    if (level === 'trajectory') return { reward: final.reward, final, decisionRewards: decisions.map(() => null) };
    if (level === 'turn') {
        const running: Record<string, string> = {};
        const rewards: number[] = [];
        for (const t of turns) {
            setOwn(running, t.agent, t.output);
            if (t.nulled) continue;
            const context: EvalContext = {
                task: taskValues,
                outputs: { ...running },
                ctx: { output: t.output, agent: t.agent, turn: t.index },
            };
            rewards.push(scoreRubric(rubric, context).reward);
        }
        return { reward: rewards.reduce((s, r) => s + r, 0), final, decisionRewards: rewards };
    }
    // agent level: each agent scored once on its latest output; the total is the mean over agents that spoke.
    const perAgent = new Map<string, number>();
    for (const t of decisions) {
        if (perAgent.has(t.agent)) continue;
        const lastTurn = Math.max(...decisions.filter((x) => x.agent === t.agent).map((x) => x.index));
        const context: EvalContext = {
            task: taskValues,
            outputs,
            ctx: { output: outputs[t.agent] ?? '', agent: t.agent, turn: lastTurn },
        };
        perAgent.set(t.agent, scoreRubric(rubric, context).reward);
    }
    const total = perAgent.size ? [...perAgent.values()].reduce((s, r) => s + r, 0) / perAgent.size : 0;
    return { reward: total, final, decisionRewards: decisions.map((t) => perAgent.get(t.agent)!) };
}
