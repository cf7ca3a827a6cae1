"""What difference and Shapley credit share: reading re-run rewards, and the optional normalisation of credits.

v(S) is the reward of the rollout re-run with every player outside S nulled (Rollout.counterfactuals); v(N) is the
rollout's own reward. The normalisation is a MAS Studio switch (no authors' code to follow): the plain estimators
give raw reward differences (`normalize: none`, the default, DESIGN.md §5).
"""

from __future__ import annotations

import math

from .types import NulledKey, Rollout, nulled_key

NORMALIZE_CHOICES = ("none", "center", "standardize")
NORM_EPS = 1e-6


class MissingRuns(ValueError):
    """The group lacks a re-run that the estimator needs (the trainer did not run that coalition)."""


def coalition_value(
    rollout: Rollout, all_players: list[str], included: frozenset[str], method: str, index: int
) -> float:
    nulled: NulledKey = nulled_key(p for p in all_players if p not in included)
    if not nulled:
        return rollout.reward
    if nulled not in rollout.counterfactuals:
        raise MissingRuns(
            f"credit `{method}`: rollout {index} has no re-run with {', '.join(nulled)} nulled; "
            "the trainer records these runs only for difference and Shapley credit"
        )
    return rollout.counterfactuals[nulled]


def normalise_per_agent(per_rollout: list[dict[str, float]], mode: str) -> list[dict[str, float]]:
    """`center`: minus agent k's mean over the rollouts where k acted; `standardize`: also divided by that
    sample's std (n - 1) + 1e-6. One sample, or no spread with `center`, gives 0."""
    if mode == "none":
        return per_rollout
    pools: dict[str, list[float]] = {}
    for values in per_rollout:
        for agent, v in values.items():
            pools.setdefault(agent, []).append(v)
    stats = {}
    for agent, pool in pools.items():
        mu = sum(pool) / len(pool)
        sd = math.sqrt(sum((v - mu) ** 2 for v in pool) / (len(pool) - 1)) if len(pool) > 1 else 0.0
        stats[agent] = (mu, sd + NORM_EPS if mode == "standardize" else 1.0)
    return [{a: (v - stats[a][0]) / stats[a][1] for a, v in values.items()} for values in per_rollout]


def broadcast(group_rollouts: list[Rollout], per_rollout: list[dict[str, float]]) -> list[list[float]]:
    """An agent's credit on every one of its decisions in the rollout."""
    return [[values[d.agent] for d in r.decisions] for r, values in zip(group_rollouts, per_rollout)]
