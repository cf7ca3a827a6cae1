"""Golden vectors for the estimators that need more than the sampled group: counterfactual (C3 tree rollouts),
difference and Shapley (re-runs with agents nulled). Used by make_credit_vectors.py.

References written from the sources, not from mas_trainer.credit:
  counterfactual: EIT-EAST-Lab/C3 rollout_generator.py (prefix tree, subtree-mean node reward, adv_group_id),
                  provider.py (reward_only, _baseline_loo / _baseline_full_mean, N==1 -> 0),
                  experience_maker.py _compute_c3_credit + c3/algorithms/utils.py group_mean_std (normalisation).
                  Nodes are enumerated explicitly as (depth, prefix digits) rows and grouped by parent prefix.
  shapley: the average marginal contribution over ALL n! agent orders (not the subset formula the estimator uses),
           and for sampled orders the same average over the recorded orders.
  difference: R - v(N - {k}).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

# ---------------------------------------------------------------- counterfactual (C3)


def reference_counterfactual(group: dict, p: dict) -> list[list[float]]:
    fanout = list(p["fanout"])
    rollouts = group["rollouts"]
    leaves = list(itertools.product(*[range(f) for f in fanout]))  # prefix order = leaf index order
    assert len(leaves) == len(rollouts)
    rewards = np.array([r["reward"] for r in rollouts], dtype=float)
    rows = []  # one row per tree node: (depth, prefix, reward); C3 emits one Experience per node
    for depth in range(len(fanout)):
        for prefix in itertools.product(*[range(f) for f in fanout[: depth + 1]]):
            under = [i for i, leaf in enumerate(leaves) if leaf[: depth + 1] == prefix]
            if len(rollouts[under[0]]["decisions"]) <= depth:
                continue  # that branch ended before this depth: no node
            rows.append((depth, prefix, rewards[under].mean()))
    adv = {}
    groups: dict = {}
    for depth, prefix, reward in rows:  # adv_group_id = (question, role/depth, parent node)
        groups.setdefault((depth, prefix[:-1]), []).append((prefix, reward))
    for members in groups.values():
        r = np.array([m[1] for m in members])
        n = len(r)
        if n <= 1:
            a = np.zeros(n)
        elif p.get("baseline", "loo") == "loo":
            a = r - (r.sum() - r) / (n - 1)
        else:
            a = r - r.mean()
        if p.get("normalize", "siblings") == "siblings":
            std = max(math.sqrt(((a - a.mean()) ** 2).mean() + 1e-8), 1e-8)
            a = (a - a.mean()) / std
        for (prefix, _), value in zip(members, a):
            adv[prefix] = float(value)
    return [
        [adv[leaf[: j + 1]] if j < len(fanout) else 0.0 for j in range(len(r["decisions"]))]
        for leaf, r in zip(leaves, rollouts)
    ]


# ---------------------------------------------------------------- nulled re-runs


def _players(rollout: dict) -> list[str]:
    return list(dict.fromkeys(d["agent"] for d in rollout["decisions"]))


def _value(rollout: dict, included: set) -> float:
    nulled = sorted(set(_players(rollout)) - included)
    if not nulled:
        return rollout["reward"]
    return next(c["reward"] for c in rollout["counterfactuals"] if sorted(c["nulled"]) == nulled)


def _normalise(per_rollout: list[dict], mode: str) -> list[dict]:
    if mode == "none":
        return per_rollout
    agents = {a for values in per_rollout for a in values}
    out = [dict(v) for v in per_rollout]
    for a in agents:
        pool = np.array([v[a] for v in per_rollout if a in v])
        sd = pool.std(ddof=1) if len(pool) > 1 else 0.0
        for v in out:
            if a in v:
                v[a] = (v[a] - pool.mean()) / ((sd + 1e-6) if mode == "standardize" else 1.0)
    return out


def _broadcast(group: dict, per_rollout: list[dict]) -> list[list[float]]:
    return [[float(values[d["agent"]]) for d in r["decisions"]] for r, values in zip(group["rollouts"], per_rollout)]


def reference_difference(group: dict, p: dict) -> list[list[float]]:
    per = [{k: r["reward"] - _value(r, set(_players(r)) - {k}) for k in _players(r)} for r in group["rollouts"]]
    return _broadcast(group, _normalise(per, p.get("normalize", "none")))


def _marginals(rollout: dict, orders) -> dict:
    team = _players(rollout)
    phi = {k: 0.0 for k in team}
    count = 0
    for order in orders:
        count += 1
        for i, k in enumerate(order):
            phi[k] += _value(rollout, set(order[: i + 1])) - _value(rollout, set(order[:i]))
    return {k: v / count for k, v in phi.items()}


def reference_shapley(group: dict, p: dict) -> list[list[float]]:
    per = []
    for r in group["rollouts"]:
        team = _players(r)
        exact = p.get("mode", "auto") == "exact" or (p.get("mode", "auto") == "auto" and len(team) <= 6)
        per.append(_marginals(r, itertools.permutations(team) if exact else r["permutations"]))
    return _broadcast(group, _normalise(per, p.get("normalize", "none")))


# ---------------------------------------------------------------- the groups


def _d(agent: str, turn: int) -> dict:
    return {"agent": agent, "turn": turn, "reward": None}


def _tree(fanout: list[int], agents: list[str], rewards: list[float], short: dict | None = None) -> dict:
    """Leaf rollouts of a tree; `short` maps a leaf index to its number of decisions (a branch that ended early)."""
    short = short or {}
    return {
        "rollouts": [
            {"decisions": [_d(agents[j % len(agents)], j) for j in range(short.get(i, len(agents)))], "reward": r}
            for i, r in enumerate(rewards)
        ]
    }


def _games(rewards: dict, agents: list[str], permutations=None) -> dict:
    """One rollout per entry: v(N) and the value of every nulled set given as 'a,b' -> reward."""
    rollouts = []
    for reward, nulled in rewards:
        r = {
            "decisions": [_d(a, j) for j, a in enumerate(agents)],
            "reward": reward,
            "counterfactuals": [{"nulled": sorted(k.split(",")), "reward": v} for k, v in nulled.items()],
        }
        if permutations is not None:
            r["permutations"] = permutations
        rollouts.append(r)
    return {"rollouts": rollouts}


def _full_game(agents: list[str], v) -> tuple[float, dict]:
    """v(N) and v(S) for every proper coalition, from a function of the included set."""
    values = {}
    for size in range(len(agents)):
        for included in itertools.combinations(agents, size):
            nulled = [a for a in agents if a not in included]
            values[",".join(sorted(nulled))] = v(set(included))
    return v(set(agents)), values


LAZY = ["first", "second", "lazy"]
_lazy_v = lambda s: 0.5 * ("first" in s) + 0.5 * ("second" in s)  # noqa: E731  the lazy agent adds nothing
_synergy_v = lambda s: 1.0 if {"a", "b"} <= s else (0.25 if "c" in s else 0.0)  # noqa: E731
SEVEN = [f"a{i}" for i in range(7)]
_seven_v = lambda s: len(s) / 7 + (0.5 if {"a0", "a6"} <= s else 0.0)  # noqa: E731

RERUN_GROUPS = {
    "tree_2x4": _tree([2, 4], ["planner", "solver"], [1, 0, 0.5, 0.25, 0, 0, 1, 0.75]),
    "tree_2x2x2": _tree([2, 2, 2], LAZY, [1, 0.5, 1, 0.5, 0.5, 0, 0.5, 0]),
    "tree_all_equal": _tree([2, 2], ["a", "b"], [0.5, 0.5, 0.5, 0.5]),
    "tree_short_branch": _tree([2, 2], ["a", "b", "c"], [1, 1, 0, 0.25], short={0: 1, 1: 1}),
    "tree_longer_than_fanout": _tree([4], ["solver", "verifier", "solver"], [0.2, 0.9, 0.4, 0.4]),
    "lazy_team": _games(
        [
            (1.0, _full_game(LAZY, _lazy_v)[1]),
            (0.5, {k: v - 0.5 for k, v in _full_game(LAZY, _lazy_v)[1].items()}),
            (0.5, _full_game(LAZY, lambda s: 0.5 * ("second" in s))[1]),
        ],
        LAZY,
    ),
    "synergy": _games(
        [_full_game(["a", "b", "c"], _synergy_v), _full_game(["a", "b", "c"], lambda s: len(s) / 3)], ["a", "b", "c"]
    ),
    "two_agents": _games(
        [
            _full_game(["x", "y"], lambda s: 0.25 * len(s) + 0.5 * ({"x", "y"} <= s)),
            (0.0, {"x": -0.5, "y": 0.25, "x,y": -1.0}),
        ],
        ["x", "y"],
    ),
}


def _seven_sampled() -> dict:
    orders = [SEVEN, list(reversed(SEVEN)), ["a3", "a0", "a6", "a1", "a5", "a2", "a4"]]
    rollout = {
        "decisions": [_d(a, j) for j, a in enumerate(SEVEN)],
        "reward": _seven_v(set(SEVEN)),
        "counterfactuals": [],
        "permutations": orders,
    }
    needed = {tuple(sorted(o[cut:])) for o in orders for cut in range(len(o))}
    rollout["counterfactuals"] = [{"nulled": list(k), "reward": _seven_v(set(SEVEN) - set(k))} for k in sorted(needed)]
    return {"rollouts": [rollout]}


RERUN_GROUPS["seven_sampled"] = _seven_sampled()

RERUN_CASES = {
    "counterfactual": [
        ({"fanout": [2, 4]}, ["tree_2x4"]),
        ({"fanout": [2, 2, 2]}, ["tree_2x2x2"]),
        ({"fanout": [2, 2]}, ["tree_all_equal", "tree_short_branch"]),
        ({"fanout": [4]}, ["tree_longer_than_fanout"]),
        ({"fanout": [2, 4], "baseline": "full_mean"}, ["tree_2x4"]),
        ({"fanout": [2, 4], "normalize": "none"}, ["tree_2x4"]),
        ({"fanout": [2, 2, 2], "baseline": "full_mean", "normalize": "none"}, ["tree_2x2x2"]),
    ],
    "difference": [
        ({}, ["lazy_team", "synergy", "two_agents"]),
        ({"normalize": "center"}, ["lazy_team", "synergy"]),
        ({"normalize": "standardize"}, ["lazy_team", "two_agents"]),
    ],
    "shapley": [
        ({}, ["lazy_team", "synergy", "two_agents", "seven_sampled"]),
        ({"normalize": "center"}, ["lazy_team"]),
        ({"normalize": "standardize"}, ["synergy"]),
        ({"mode": "sampled"}, ["seven_sampled"]),
    ],
}

RERUN_REFERENCES = {
    "counterfactual": reference_counterfactual,
    "difference": reference_difference,
    "shapley": reference_shapley,
}
