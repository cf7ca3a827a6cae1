"""Group credit estimators: one credit per decision per rollout for the G rollouts of one task.

`outcome` (GRPO), `agent_normalized` (Dr. MAS), `turn_level` (MARS) and `counterfactual` (C3, reward-only)
reproduce their authors' released code by default; `difference` and `shapley` read re-runs with agents nulled.
Every departure DESIGN.md §5's plainer form would make is a documented param (docs/credit-estimators.md).
The TypeScript twin is analysis/credit/index.ts; both pass test/fixtures/credit/*.json.
"""
from __future__ import annotations

from typing import Callable, Sequence

from .agent_normalized import agent_normalized_credit
from .counterfactual import counterfactual_credit, read_counterfactual
from .difference import difference_credit, read_difference
from .nulled import MissingRuns
from .outcome import outcome_credit
from .shapley import read_shapley, shapley_credit
from .turn_level import turn_level_credit, turn_level_credit_batch
from .types import CreditGroup, Decision, Rollout

Estimator = Callable[[CreditGroup, dict], list[list[float]]]

KNOWN_METHODS: tuple[str, ...] = ("outcome", "agent_normalized", "turn_level", "counterfactual", "difference",
                                   "shapley")
# Need more than the sampled group: tree rollouts (counterfactual) or nulled re-runs (difference, shapley).
RERUN_METHODS: tuple[str, ...] = ("counterfactual", "difference", "shapley")


def _estimator(method: str) -> Estimator:
    estimators: dict[str, Estimator] = {
        "outcome": outcome_credit,
        "agent_normalized": agent_normalized_credit,
        "turn_level": turn_level_credit,
        "counterfactual": counterfactual_credit,
        "difference": difference_credit,
        "shapley": shapley_credit,
    }
    if method not in estimators:
        raise ValueError(f"unknown credit method {method!r}; this module computes {', '.join(KNOWN_METHODS)}")
    return estimators[method]


def check_params(method: str, params: dict | None = None) -> None:
    """Raises the estimator's ValueError for an unknown or bad param, without any rollouts (before training)."""
    readers = {"counterfactual": read_counterfactual, "difference": read_difference, "shapley": read_shapley}
    if method in readers:
        readers[method](dict(params or {}))
    else:
        probe = CreditGroup.from_rollouts([([("probe", 0, None)], 1.0), ([("probe", 0, None)], 0.0)])
        compute_credit(method, probe, params)


def compute_credit(method: str, group: CreditGroup, params: dict | None = None) -> list[list[float]]:
    """Credit per decision per rollout of one group (a task's G rollouts)."""
    return _estimator(method)(group, dict(params or {}))


def compute_credit_batch(method: str, groups: Sequence[CreditGroup], params: dict | None = None
                         ) -> list[list[list[float]]]:
    """Credit for every group of a training step. Only `turn_level` pools across groups (MARS normalises over the
    whole batch); DrMAS's GRPO estimators normalise within each task's group (uid), so for them this is a map."""
    if method == "turn_level":
        return turn_level_credit_batch(groups, dict(params or {}))
    estimator = _estimator(method)
    return [estimator(group, dict(params or {})) for group in groups]


__all__ = ["KNOWN_METHODS", "RERUN_METHODS", "CreditGroup", "Decision", "MissingRuns", "Rollout", "check_params",
           "compute_credit", "compute_credit_batch"]
