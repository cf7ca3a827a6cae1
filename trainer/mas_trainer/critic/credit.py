"""`critic` credit as a pure function of rewards and values (DESIGN.md §5): C_t = r_t + V(h_{t+1}) − V(h_t).

h_t is the transcript just before decision t; after the last decision the episode is over, so V(h_T) = 0 (no
bootstrapping past the end). The credits of a rollout telescope: Σ_t C_t = Σ_t r_t − V(h_0). Golden vectors:
test/fixtures/credit/critic.json (made by trainer/tools/make_critic_vectors.py).
"""

from __future__ import annotations

import math
from typing import Optional, Sequence

NORM_EPS = 1e-6


def critic_credit(rewards: Sequence[float], values: Sequence[float]) -> list[float]:
    """One credit per decision: rewards[t] + values[t+1] − values[t], with the value after the last one 0."""
    if len(rewards) != len(values):
        raise ValueError(f"critic credit needs one value per decision: {len(rewards)} rewards, {len(values)} values")
    nxt = list(values[1:]) + [0.0]
    return [float(r) + float(v1) - float(v0) for r, v0, v1 in zip(rewards, values, nxt)]


def decision_returns(rewards: Sequence[float]) -> list[float]:
    """The critic's regression targets: the undiscounted return from each decision on (Σ_{t' ≥ t} r_t')."""
    out, running = [], 0.0
    for r in reversed(rewards):
        running += float(r)
        out.append(running)
    return out[::-1]


def decision_rewards(total: float, per_decision: Sequence[Optional[float]], level: str) -> list[float]:
    """r_t per decision. `turn` level: each decision's own reward. `trajectory` and `agent` levels: the rollout's
    reward arrives after the last decision (an agent-level reward is the team's mean, not a per-turn sum)."""
    n = len(per_decision)
    if level == "turn" and all(r is not None for r in per_decision):
        return [float(r) for r in per_decision]  # type: ignore[arg-type]
    return [0.0] * (n - 1) + [float(total)] if n else []


def normalise_per_agent(credits: Sequence[Sequence[float]], agents: Sequence[Sequence[str]]) -> list[list[float]]:
    """`normalize: standardize` over one task's group: each agent's credits minus their mean, over their sample std
    (n − 1) + 1e-6, pooling all of that agent's decisions in the group (as difference / Shapley's switch). The
    TD error keeps its definition; this only rescales it per agent, like actor-critic's advantage normalisation, so
    a critic whose V(h_{t+1}) − V(h_t) is still small gives the workers a usable signal. One sample gives 0."""
    pools: dict[str, list[float]] = {}
    for cs, names in zip(credits, agents):
        for c, a in zip(cs, names):
            pools.setdefault(a, []).append(float(c))
    stats = {}
    for a, pool in pools.items():
        mu = sum(pool) / len(pool)
        sd = math.sqrt(sum((v - mu) ** 2 for v in pool) / (len(pool) - 1)) if len(pool) > 1 else 0.0
        stats[a] = (mu, sd + NORM_EPS)
    return [[(float(c) - stats[a][0]) / stats[a][1] for c, a in zip(cs, names)] for cs, names in zip(credits, agents)]
