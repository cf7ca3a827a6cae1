import {
    CreditMethod,
    type CreditDecision,
    type CreditGroup,
    type CreditParams,
    type CreditRollout,
    type GroupCredit,
} from '../../protocol/credit.js';
import { GRPO_PARAMS, GrpoPool, mean, readGrpoOptions } from './grpo.js';
import { ParamReader } from './params.js';

/**
 * `agent_normalized` credit (Dr. MAS): GRPO normalisation with agent k's own mean and std within the group.
 * DrMAS's compute_grpo_outcome_advantage with group_by_agent_id=True pools by f"{uid}_{agent_id}" and skips the
 * per-trajectory averaging, so every decision of k is one sample (`pooling: decision`, default): a rollout where k
 * acted three times weighs three times. `pooling: rollout` is DESIGN.md §5's plainer reading (one sample per rollout
 * in which k acted). Every row carries the episode reward there (`reward: rollout`, default); `reward: decision` uses
 * a decision's own reward where the workflow set one. `baseline: rloo, std: population, epsilon: 1e-8,
 * epsilon_form: in_sqrt` is MAGRPO's per-role advantage (C3, compute_magrpo by (question, role)). Twin of trainer/mas_trainer/credit/agent_normalized.py.
 */
export function agentNormalizedCredit(group: CreditGroup, params: CreditParams): GroupCredit {
    const reader = new ParamReader(CreditMethod.agent_normalized, params, [...GRPO_PARAMS, 'pooling', 'reward']);
    const options = readGrpoOptions(reader);
    const pooling = reader.choice('pooling', ['decision', 'rollout'] as const, 'decision');
    const rewardSource = reader.choice('reward', ['decision', 'rollout'] as const, 'decision'); // Dr. MAS: each row's own score

    const decisionScore = (d: CreditDecision, r: CreditRollout): number =>
        rewardSource === 'decision' && d.reward !== undefined && d.reward !== null ? d.reward : r.reward;
    const scores = group.rollouts.map((r) => r.decisions.map((d) => decisionScore(d, r)));
    if (pooling === 'rollout') {
        // One sample per (rollout, agent): the agent's decisions in that rollout share their mean score.
        group.rollouts.forEach((rollout, i) => {
            const row = scores[i]!;
            const byAgent = new Map<string, number[]>();
            rollout.decisions.forEach((d, j) => byAgent.set(d.agent, [...(byAgent.get(d.agent) ?? []), j]));
            for (const positions of byAgent.values()) {
                const shared = mean(positions.map((j) => row[j]!));
                for (const j of positions) row[j] = shared;
            }
        });
    }

    const samples = new Map<string, number[]>();
    group.rollouts.forEach((rollout, i) => {
        const seen = new Set<string>();
        rollout.decisions.forEach((d, j) => {
            if (pooling === 'rollout' && seen.has(d.agent)) return;
            seen.add(d.agent);
            const pool = samples.get(d.agent);
            if (pool) pool.push(scores[i]![j]!);
            else samples.set(d.agent, [scores[i]![j]!]);
        });
    });
    const pools = new Map([...samples].map(([agent, values]) => [agent, new GrpoPool(values, options)]));
    return group.rollouts.map((rollout, i) =>
        rollout.decisions.map((d, j) => pools.get(d.agent)!.credit(scores[i]![j]!)),
    );
}
