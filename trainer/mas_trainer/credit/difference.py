"""`difference` credit (difference rewards, Wolpert & Tumer 2002): D_k = R - R(agent k's messages replaced by its
null behaviour), the same for every decision of agent k in the rollout.

R(k nulled) is the reward of the rollout replayed from the frozen context just before k's first turn, with k's
declared null behaviour (empty message, fixed text or skip) in place of each of its turns and the later agents
sampled again with the same per-turn seeds (common random numbers: an agent whose prompt did not change says the
same thing). Switch `normalize` (none | center | standardize, per agent over the group): docs/credit-estimators.md.
"""

from __future__ import annotations

from .nulled import NORMALIZE_CHOICES, broadcast, coalition_value, normalise_per_agent
from .params import ParamReader
from .registry import method_of, register
from .types import CreditGroup, players

DIFFERENCE_PARAMS = {"normalize"}


def read_difference(params: dict) -> str:
    reader = ParamReader(method_of(difference_credit), params, DIFFERENCE_PARAMS)
    return reader.choice("normalize", NORMALIZE_CHOICES, "none")


def difference_coalitions(team: list[str]) -> list[tuple[str, ...]]:
    """The re-runs difference credit needs for one rollout: each player nulled alone."""
    return [(k,) for k in team]


def difference_reruns(team: list[str], params: dict, rng) -> tuple[list[tuple[str, ...]], None]:
    """The re-run planner of the registry: the one-player coalitions; no agent orders (`rng` unused)."""
    return difference_coalitions(team), None


@register("difference", read_params=read_difference, reruns=difference_reruns)
def difference_credit(group: CreditGroup, params: dict) -> list[list[float]]:
    normalize = read_difference(params)
    per_rollout = []
    for i, rollout in enumerate(group.rollouts):
        team = players(rollout)
        per_rollout.append(
            {
                k: rollout.reward
                - coalition_value(rollout, team, frozenset(team) - {k}, method_of(difference_credit), i)
                for k in team
            }
        )
    return broadcast(group.rollouts, normalise_per_agent(per_rollout, normalize))
