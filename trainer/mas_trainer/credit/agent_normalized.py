"""`agent_normalized` credit (Dr. MAS): GRPO normalisation with each agent's own mean/std within the group.

Follows DrMAS's compute_grpo_outcome_advantage with group_by_agent_id=True (langfengQ/DrMAS,
verl/trainer/ppo/core_algos.py; the pool key is f"{uid}_{agent_id}", verl/trainer/ppo/ray_trainer.py
compute_advantage). Their quirk that matters: with group_by_agent_id the per-trajectory averaging is skipped and every
row (one decision) of agent k is one sample (`id2score[idx].extend(reward_list)`), so a rollout in which k acted three
times weighs three times in k's mean and std (`pooling="decision"`, the default). `pooling="rollout"` is the plainer
reading of DESIGN.md §5: one sample per rollout in which k acted (the mean of k's decision scores there).

Every row carries the episode reward in their pipeline (agent_system/reward_manager/episode.py), so the default
score of a decision is its rollout's reward (`reward="rollout"`); `reward="decision"` uses Decision.reward where the
workflow set one (per-turn / per-agent rubrics) and the rollout reward elsewhere.

`baseline="rloo"` with `std="population"`, `epsilon=1e-8`, `epsilon_form="in_sqrt"` is MAGRPO's per-role advantage
(EIT-EAST-Lab/C3, c3/algorithms/magrpo.py `compute_magrpo` grouped by (question, role), `magrpo_adv_unit=per_role`).
"""

from __future__ import annotations

from collections import defaultdict

from .grpo import GRPO_PARAMS, read_grpo_options
from .params import ParamReader
from .registry import method_of, register
from .stats import GrpoPool, mean
from .types import CreditGroup, Decision, Rollout


def _decision_score(decision: Decision, rollout: Rollout, reward_source: str) -> float:
    if reward_source == "decision" and decision.reward is not None:
        return decision.reward
    return rollout.reward


@register("agent_normalized")
def agent_normalized_credit(group: CreditGroup, params: dict) -> list[list[float]]:
    reader = ParamReader(method_of(agent_normalized_credit), params, GRPO_PARAMS | {"pooling", "reward"})
    options = read_grpo_options(reader)
    pooling = reader.choice("pooling", ("decision", "rollout"), "decision")
    reward_source = reader.choice("reward", ("decision", "rollout"), "decision")  # Dr. MAS: each row's own score

    scores = [[_decision_score(d, r, reward_source) for d in r.decisions] for r in group.rollouts]
    if pooling == "rollout":
        # One sample per (rollout, agent): the agent's decisions in that rollout share their mean score.
        for rollout, row in zip(group.rollouts, scores):
            by_agent: dict[str, list[int]] = defaultdict(list)
            for j, d in enumerate(rollout.decisions):
                by_agent[d.agent].append(j)
            for positions in by_agent.values():
                shared = mean([row[j] for j in positions])
                for j in positions:
                    row[j] = shared

    samples: dict[str, list[float]] = defaultdict(list)
    seen: set[tuple[int, str]] = set()
    for i, (rollout, row) in enumerate(zip(group.rollouts, scores)):
        for d, score in zip(rollout.decisions, row):
            if pooling == "rollout" and (i, d.agent) in seen:
                continue
            seen.add((i, d.agent))
            samples[d.agent].append(score)

    pools = {agent: GrpoPool(values, **options.pool_kwargs()) for agent, values in samples.items()}
    return [
        [pools[d.agent].credit(score) for d, score in zip(rollout.decisions, row)]
        for rollout, row in zip(group.rollouts, scores)
    ]
