"""`counterfactual` credit (C3): tree rollouts, a node's value against its siblings' (same frozen context).

Follows EIT-EAST-Lab/C3 (commit 628185b):
- c3/mas/rollout_generator.py builds a prefix tree over the roles in topological order with `fanout[d]` children
  per node at depth d; leaves are numbered in prefix order (leaf_start = prefix_id * leaf_size), and every node's
  reward is the mean reward of the leaves under it ("subtree_mean").
- materialize.py groups nodes by adv_group_id = (question, role, parent node): the siblings. With --c3_no_replay the
  parent is collapsed to -1 below the root, so a depth's group is every node of that depth (`no_replay: on`).
- provider.py C3CreditProvider.compute: a group of N == 1 gets advantage 0; else, with b(x) the leave-one-out mean
  (`baseline_mode` loo, default) or the mean including self (`full_mean`) over the group,
  `reward_only`:    A = r - b(r)
  `value_assisted`: A = r - [(1 - alpha) b(r) + alpha b(Q)]   (C3's default variant, alpha = --c3_va_alpha, 1.0)
  where Q of a node is the Q critic's score of the transcript through that node's action (format_for_q "prefix"
  mode up to the node's role, inclusive). Here Q comes in on the node's decision (Decision.q), so the estimator is
  a pure function; the trainer fills it from `critic: <model>` (mas_trainer/critic/q_values.py).
- openrlhf/trainer/ppo_utils/experience_maker.py _compute_c3_credit: unless --no_advantage_std_norm, the advantages
  are then standardised within the same groups with c3/algorithms/utils.py group_mean_std:
  (a - mean) / max(sqrt(population var + 1e-8), 1e-8).

Here the group holds the G = prod(fanout) leaf rollouts in that prefix order, and depth d is decision d of a leaf
(the turn at which the tree branched). Decisions past the fan-out list sit on levels of fan-out 1, whose sibling
groups have one node: credit 0, as in C3 with a fan-out of 1. A node exists only where its rollout took a decision
at that depth (a branch that reached `end` earlier has none). Switches: docs/credit-estimators.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from .params import ParamReader
from .registry import method_of, register
from .types import CreditGroup, Rollout

COUNTERFACTUAL_PARAMS = {"fanout", "baseline", "normalize", "variant", "alpha", "no_replay"}
C3_STD_EPS = 1e-8  # group_mean_std's eps (under the square root) and its clamp_min


@dataclass(frozen=True)
class CounterfactualParams:
    fanout: list[int]
    baseline: str  # loo | full_mean
    normalize: bool  # standardise within each group (C3's default)
    variant: str  # reward_only | value_assisted
    alpha: float  # value_assisted's weight of the critic baseline
    no_replay: bool  # a depth's group is all its nodes, not one parent's children


def leaf_size(fanout: list[int], depth: int) -> int:
    """Leaves under one node at `depth` (C3's _leaf_size)."""
    return math.prod(fanout[depth + 1 :])


def _baseline(values: list[float], mode: str) -> list[float]:
    n, total = len(values), sum(values)
    return [(total - v) / (n - 1) for v in values] if mode == "loo" else [total / n] * n


def _advantages(values: list[float], q: Optional[list[float]], p: CounterfactualParams) -> list[float]:
    n = len(values)
    if n <= 1:
        return [0.0] * n
    b_r = _baseline(values, p.baseline)
    if q is None:
        adv = [v - b for v, b in zip(values, b_r)]
    else:
        b_q = _baseline(q, p.baseline)
        adv = [v - ((1.0 - p.alpha) * br + p.alpha * bq) for v, br, bq in zip(values, b_r, b_q)]
    if not p.normalize:
        return adv
    mu = sum(adv) / n
    std = max(math.sqrt(sum((a - mu) ** 2 for a in adv) / n + C3_STD_EPS), C3_STD_EPS)
    return [(a - mu) / std for a in adv]


def read_counterfactual(params: dict) -> CounterfactualParams:
    """The checked switches with C3's defaults, except `variant` (reward_only: it needs no critic)."""
    reader = ParamReader(method_of(counterfactual_credit), params, COUNTERFACTUAL_PARAMS)
    fanout = reader.positive_int_list("fanout")
    alpha = reader.non_negative_number("alpha", 1.0)
    if alpha > 1:
        raise ValueError(f"credit `counterfactual`: `alpha` must be between 0 and 1, got {alpha!r}")
    return CounterfactualParams(
        fanout=fanout,
        baseline=reader.choice("baseline", ("loo", "full_mean"), "loo"),
        normalize=reader.choice("normalize", ("siblings", "none"), "siblings") == "siblings",
        variant=reader.choice("variant", ("reward_only", "value_assisted"), "reward_only"),
        alpha=alpha,
        no_replay=reader.choice("no_replay", ("off", "on"), "off") == "on",
    )


def reads_q(method: str, params: dict) -> bool:
    """Whether crediting with `method(params)` needs the critic's Q per decision (value-assisted C3 credit)."""
    return method == method_of(counterfactual_credit) and params.get("variant") == "value_assisted"


def _node_q(rollout: Rollout, depth: int, leaf: int) -> float:
    q = rollout.decisions[depth].q
    if q is None:
        raise ValueError(
            f"credit `counterfactual(variant: value_assisted)` needs the critic's Q of every tree node, but decision "
            f"{depth} of rollout {leaf} has none; the trainer fills it from `critic: <model>` in the train block"
        )
    return q


def _groups(n_nodes: int, fan: int, exists: list[bool], no_replay: bool) -> list[list[int]]:
    """The nodes compared with each other: one parent's children, or with no_replay every node of the depth."""
    spans = [range(n_nodes)] if no_replay else [range(p * fan, (p + 1) * fan) for p in range(n_nodes // fan)]
    return [[node for node in span if exists[node]] for span in spans]


@register("counterfactual", read_params=read_counterfactual)
def counterfactual_credit(group: CreditGroup, params: dict) -> list[list[float]]:
    p = read_counterfactual(params)
    fanout, rollouts = p.fanout, group.rollouts
    if len(rollouts) != math.prod(fanout):
        raise ValueError(
            f"credit `counterfactual`: the group has {len(rollouts)} rollouts but the fan-out "
            f"{fanout} makes {math.prod(fanout)} leaves; the GRPO group must equal the fan-out product"
        )
    rewards = [r.reward for r in rollouts]
    # credit_at[d][node]: the advantage of the node at depth d (0 where no such node exists)
    credit_at: list[list[float]] = []
    for depth, fan in enumerate(fanout):
        size = leaf_size(fanout, depth)
        n_nodes = len(rollouts) // size
        exists = [len(rollouts[node * size].decisions) > depth for node in range(n_nodes)]
        value = [sum(rewards[node * size : (node + 1) * size]) / size for node in range(n_nodes)]
        level = [0.0] * n_nodes
        for members in _groups(n_nodes, fan, exists, p.no_replay):
            q = None
            if p.variant == "value_assisted" and len(members) > 1:  # a lone node gets 0 whatever its Q
                q = [_node_q(rollouts[node * size], depth, node * size) for node in members]
            for node, adv in zip(members, _advantages([value[m] for m in members], q, p)):
                level[node] = adv
        credit_at.append(level)
    return [
        [credit_at[j][i // leaf_size(fanout, j)] if j < len(fanout) else 0.0 for j in range(len(r.decisions))]
        for i, r in enumerate(rollouts)
    ]


def tree_parent(index: int, fanout: list[int]) -> tuple[int | None, int]:
    """(parent leaf, branch depth) of leaf `index`: it shares its first `branch depth` turns with the parent leaf
    (the same digits with the last non-zero one set to 0) and owns its decisions from there on; leaf 0 has none."""
    digits, rest = [], index
    for depth in range(len(fanout) - 1, -1, -1):
        rest, digit = divmod(rest, fanout[depth])
        digits.append(digit)
    digits.reverse()
    nonzero = [d for d, digit in enumerate(digits) if digit]
    if not nonzero:
        return None, 0
    last = nonzero[-1]
    return index - digits[last] * leaf_size(fanout, last), last
