"""`counterfactual` credit (C3): tree rollouts, a node's value against its siblings' (same frozen context).

Follows EIT-EAST-Lab/C3 (commit 628185b) in its reward-only form:
- c3/mas/rollout_generator.py builds a prefix tree over the roles in topological order with `fanout[d]` children
  per node at depth d; leaves are numbered in prefix order (leaf_start = prefix_id * leaf_size), and every node's
  reward is the mean reward of the leaves under it ("subtree_mean").
- materialize.py groups nodes by adv_group_id = (question, role, parent node): the siblings.
- provider.py (credit_variant `reward_only`): N == 1 -> advantage 0; else r - baseline(r) with the leave-one-out
  mean (`baseline_mode` loo, default) or the mean including self (`full_mean`).
- openrlhf/trainer/ppo_utils/experience_maker.py _compute_c3_credit: unless --no_advantage_std_norm, the advantages
  are then standardised within the same sibling groups with c3/algorithms/utils.py group_mean_std:
  (a - mean) / max(sqrt(population var + 1e-8), 1e-8).

Here the group holds the G = prod(fanout) leaf rollouts in that prefix order, and depth d is decision d of a leaf
(the turn at which the tree branched). Decisions past the fan-out list sit on levels of fan-out 1, whose sibling
groups have one node: credit 0, as in C3 with a fan-out of 1. A node exists only where its rollout took a decision
at that depth (a branch that reached `end` earlier has none). Switches: docs/credit-estimators.md.
"""

from __future__ import annotations

import math

from .params import ParamReader
from .registry import method_of, register
from .types import CreditGroup

COUNTERFACTUAL_PARAMS = {"fanout", "baseline", "normalize"}
C3_STD_EPS = 1e-8  # group_mean_std's eps (under the square root) and its clamp_min


def leaf_size(fanout: list[int], depth: int) -> int:
    """Leaves under one node at `depth` (C3's _leaf_size)."""
    return math.prod(fanout[depth + 1 :])


def _advantages(values: list[float], baseline: str, normalize: bool) -> list[float]:
    n = len(values)
    if n <= 1:
        return [0.0] * n
    total = sum(values)
    if baseline == "loo":
        adv = [v - (total - v) / (n - 1) for v in values]
    else:
        adv = [v - total / n for v in values]
    if not normalize:
        return adv
    mu = sum(adv) / n
    std = max(math.sqrt(sum((a - mu) ** 2 for a in adv) / n + C3_STD_EPS), C3_STD_EPS)
    return [(a - mu) / std for a in adv]


def read_counterfactual(params: dict) -> tuple[list[int], str, bool]:
    """(fanout, baseline, normalize within siblings) with C3's defaults."""
    reader = ParamReader(method_of(counterfactual_credit), params, COUNTERFACTUAL_PARAMS)
    fanout = reader.positive_int_list("fanout")
    baseline = reader.choice("baseline", ("loo", "full_mean"), "loo")
    return fanout, baseline, reader.choice("normalize", ("siblings", "none"), "siblings") == "siblings"


@register("counterfactual", read_params=read_counterfactual)
def counterfactual_credit(group: CreditGroup, params: dict) -> list[list[float]]:
    fanout, baseline, normalize = read_counterfactual(params)
    rollouts = group.rollouts
    if len(rollouts) != math.prod(fanout):
        raise ValueError(
            f"credit `counterfactual`: the group has {len(rollouts)} rollouts but the fan-out "
            f"{fanout} makes {math.prod(fanout)} leaves; the GRPO group must equal the fan-out product"
        )
    rewards = [r.reward for r in rollouts]
    # credit_at[d][node]: the advantage of the node at depth d (None where no such node exists)
    credit_at: list[list[float]] = []
    for depth, fan in enumerate(fanout):
        size = leaf_size(fanout, depth)
        n_nodes = len(rollouts) // size
        exists = [len(rollouts[node * size].decisions) > depth for node in range(n_nodes)]
        value = [sum(rewards[node * size : (node + 1) * size]) / size for node in range(n_nodes)]
        level = [0.0] * n_nodes
        for parent in range(n_nodes // fan):
            siblings = [node for node in range(parent * fan, (parent + 1) * fan) if exists[node]]
            for node, adv in zip(siblings, _advantages([value[s] for s in siblings], baseline, normalize)):
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
