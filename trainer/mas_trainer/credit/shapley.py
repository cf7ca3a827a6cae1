"""`shapley` credit: each agent's Shapley value in the game v(S) = reward with the agents outside S nulled.

Exact: phi_k = sum over S in N-{k} of |S|! (n-|S|-1)! / n! (v(S + k) - v(S)), 2^n - 1 re-runs per rollout, used
when the rollout has at most EXACT_SHAPLEY_AGENT_LIMIT players (mode `auto`). Otherwise the mean marginal
contribution over `samples` random agent orders (Castro et al. 2009), which the trainer draws and records in
Rollout.permutations. Both sum to v(N) - v(empty) per rollout, exactly for every sampled order too. Players are the
agents that took a decision in the rollout; each of an agent's decisions carries its value.
"""

from __future__ import annotations

import math
import random
from itertools import combinations

from .nulled import NORMALIZE_CHOICES, MissingRuns, broadcast, coalition_value, normalise_per_agent
from .params import ParamReader
from .registry import method_of, register
from .types import CreditGroup, Rollout, nulled_key, players

SHAPLEY_PARAMS = {"samples", "mode", "normalize"}
# Twin of EXACT_SHAPLEY_AGENT_LIMIT in server/src/language/catalog/training-catalog.ts (the validator's warning).
EXACT_SHAPLEY_AGENT_LIMIT = 6
DEFAULT_SAMPLES = 64  # the validator's "sample permutations" quick fix writes the same number


def read_shapley(params: dict) -> tuple[int | None, str, str]:
    """samples is None only for an explicit `samples: null` (the default is a number)."""
    reader = ParamReader(method_of(shapley_credit), params, SHAPLEY_PARAMS)
    samples = reader.positive_int("samples", DEFAULT_SAMPLES)
    mode = reader.choice("mode", ("auto", "exact", "sampled"), "auto")
    return samples, mode, reader.choice("normalize", NORMALIZE_CHOICES, "none")


def is_exact(n_players: int, mode: str) -> bool:
    return mode == "exact" or (mode == "auto" and n_players <= EXACT_SHAPLEY_AGENT_LIMIT)


def exact_shapley(team: list[str], value) -> dict[str, float]:
    n = len(team)
    phi = {}
    for k in team:
        others = [p for p in team if p != k]
        total = 0.0
        for size in range(n):
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for coalition in combinations(others, size):
                s = frozenset(coalition)
                total += weight * (value(s | {k}) - value(s))
        phi[k] = total
    return phi


def sampled_shapley(team: list[str], orders: list[list[str]], value) -> dict[str, float]:
    phi = {k: 0.0 for k in team}
    for order in orders:
        before: frozenset[str] = frozenset()
        for k in order:
            phi[k] += value(before | {k}) - value(before)
            before = before | {k}
    return {k: v / len(orders) for k, v in phi.items()}


def _orders(rollout: Rollout, team: list[str], index: int) -> list[list[str]]:
    orders = rollout.permutations
    if not orders:
        raise MissingRuns(
            f"credit `shapley`: rollout {index} has {len(team)} agents, more than exact Shapley's "
            f"{EXACT_SHAPLEY_AGENT_LIMIT}, but no sampled agent orders"
        )
    for order in orders:
        if sorted(order) != sorted(team):
            raise ValueError(
                f"credit `shapley`: rollout {index}'s agent order {order} is not a permutation of its agents {team}"
            )
    return orders


def shapley_reruns(
    team: list[str], params: dict, rng: random.Random
) -> tuple[list[tuple[str, ...]], list[list[str]] | None]:
    """The re-run planner of the registry: the coalitions to null for one rollout, and the agent orders drawn from
    `rng` when it samples (None when exact)."""
    samples, mode, _ = read_shapley(params)
    if is_exact(len(team), mode):
        orders = None
    elif samples is None:
        raise ValueError(f"credit `{method_of(shapley_credit)}`: sampled mode needs `samples`, a whole number >= 1")
    else:
        orders = draw_orders(team, samples, rng)
    return shapley_coalitions(team, orders), orders


@register("shapley", read_params=read_shapley, reruns=shapley_reruns)
def shapley_credit(group: CreditGroup, params: dict) -> list[list[float]]:
    _, mode, normalize = read_shapley(params)
    per_rollout = []
    for i, rollout in enumerate(group.rollouts):
        team = players(rollout)

        def value(included: frozenset, rollout=rollout, team=team, i=i) -> float:
            return coalition_value(rollout, team, included, method_of(shapley_credit), i)

        per_rollout.append(
            exact_shapley(team, value)
            if is_exact(len(team), mode)
            else sampled_shapley(team, _orders(rollout, team, i), value)
        )
    return broadcast(group.rollouts, normalise_per_agent(per_rollout, normalize))


def draw_orders(team: list[str], samples: int, rng: random.Random) -> list[list[str]]:
    """`samples` uniformly random agent orders (what the trainer records in Rollout.permutations)."""
    orders = []
    for _ in range(samples):
        order = list(team)
        rng.shuffle(order)
        orders.append(order)
    return orders


def shapley_coalitions(team: list[str], orders: list[list[str]] | None) -> list[tuple[str, ...]]:
    """The nulled sets whose re-runs Shapley credit needs for one rollout (never the empty one: v(N) = R)."""
    if orders is None:
        return [nulled_key(c) for size in range(1, len(team) + 1) for c in combinations(team, size)]
    needed: dict[tuple[str, ...], None] = {}
    for order in orders:
        for cut in range(len(order)):
            needed.setdefault(nulled_key(order[cut:]), None)
    return list(needed)
