import type { EvalContext, Value } from '../../../protocol/expression.js';
import type { TrajectoryRecord } from '../../../protocol/run-dir.js';

/** Free names a breakpoint condition or a debug-console expression may use besides output / agent / turn. */
export const CONDITION_NAMES = [
    'credit',
    'reward',
    'step',
    'rollout',
    'group',
    'sample',
    'logprob',
    'tokens',
    'role',
    'success',
] as const;

export interface TurnBindings {
    context: EvalContext;
    names: Record<string, Value>;
}

/**
 * The evaluation context at a turn: the task, every agent's latest output up to and including this turn, the
 * decision (`output`, `agent`, `turn`), and the free names: `credit` under the chosen method (null for a nulled
 * turn), the rollout's `reward`, the turn's mean `logprob` and token count.
 */
export function turnBindings(record: TrajectoryRecord, turn: number, method: string): TurnBindings {
    const outputs: Record<string, string> = {};
    for (const t of record.turns.slice(0, turn + 1)) outputs[t.agent] = t.output;
    const current = record.turns[turn];
    const decision = record.decision_turns.indexOf(turn);
    const credit = decision >= 0 ? (record.credit[method]?.[decision] ?? null) : null;
    const logprobs = current?.logprobs ?? [];
    return {
        context: {
            task: record.task as Record<string, Value>,
            outputs,
            ctx: { output: current?.output ?? '', agent: current?.agent ?? '', turn },
        },
        names: {
            credit,
            reward: record.reward,
            step: record.step,
            rollout: record.rollout,
            group: record.group,
            sample: record.sample,
            logprob: logprobs.length ? logprobs.reduce((s, v) => s + v, 0) / logprobs.length : null,
            tokens: current?.token_ids.length ?? 0,
            role: current?.role ?? '',
            success: record.success,
        },
    };
}
