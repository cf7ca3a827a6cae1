"""Group credit estimators: one credit per decision per rollout for the G rollouts of one task.

`outcome` (GRPO), `agent_normalized` (Dr. MAS) and `turn_level` (MARS) reproduce their authors' released code by
default; every departure DESIGN.md §5's plainer form would make is a documented param (docs/credit-estimators.md).
The TypeScript twin is analysis/credit/index.ts; both pass test/fixtures/credit/*.json.
"""
from __future__ import annotations

from typing import Callable, Sequence

from .agent_normalized import agent_normalized_credit
from .outcome import outcome_credit
from .turn_level import turn_level_credit, turn_level_credit_batch
from .types import CreditGroup, Decision, Rollout

Estimator = Callable[[CreditGroup, dict], list[list[float]]]

KNOWN_METHODS: tuple[str, ...] = ("outcome", "agent_normalized", "turn_level")


def _estimator(method: str) -> Estimator:
    estimators: dict[str, Estimator] = {
        "outcome": outcome_credit,
        "agent_normalized": agent_normalized_credit,
        "turn_level": turn_level_credit,
    }
    if method not in estimators:
        raise ValueError(f"unknown credit method {method!r}; this module computes {', '.join(KNOWN_METHODS)}")
    return estimators[method]


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


__all__ = ["KNOWN_METHODS", "CreditGroup", "Decision", "Rollout", "compute_credit", "compute_credit_batch"]
