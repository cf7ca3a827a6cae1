"""Credit estimators: one credit per decision per rollout, for the G rollouts of one task or a whole training step.

`outcome` (GRPO), `agent_normalized` (Dr. MAS), `turn_level` (MARS) and `counterfactual` (C3: reward-only by default,
`variant: value_assisted` with the critic's Q per decision) reproduce their authors' released code, each switch
naming the paper it matches; `difference` and `shapley` read re-runs with agents nulled;
`critic` runs the learned value model per step. Every departure DESIGN.md §5's plainer form would make is a
documented param (docs/credit-estimators.md). Names, parameters and capabilities: registry.py (generated from the
catalogue); each estimator module registers its function with `@register`. The TypeScript twin is
analysis/credit/index.ts; both pass test/fixtures/credit/*.json.
"""

from __future__ import annotations

from typing import Sequence

# Each estimator module registers its function on import (verl-style `@register("<name>")`).
from . import agent_normalized, counterfactual, critic, difference, outcome, shapley, turn_level  # noqa: F401
from .nulled import MissingRuns
from .registry import (
    DEFAULT_METHOD,
    GROUP_METHODS,
    METHODS,
    RERUN_METHODS,
    MethodInfo,
    StepInputs,
    check_complete,
    computable_methods,
    group_estimator,
    method_info,
    methods_where,
    recorded_methods,
    register,
    registered,
)
from .types import CreditGroup, Decision, Rollout

check_complete()

# The estimators computable from rollouts alone (all but those needing a critic), in catalogue order.
KNOWN_METHODS: tuple[str, ...] = methods_where(lambda i: not i.needs_critic)


def check_params(method: str, params: dict | None = None) -> None:
    """Raises the estimator's ValueError for an unknown or bad param, without any rollouts (before training)."""
    reader = registered(method).read_params if method in METHODS else None
    if reader is not None:
        reader(dict(params or {}))
    else:
        probe = CreditGroup.from_rollouts([([("probe", 0, None)], 1.0), ([("probe", 0, None)], 0.0)])
        compute_credit(method, probe, params)


def compute_credit(method: str, group: CreditGroup, params: dict | None = None) -> list[list[float]]:
    """Credit per decision per rollout of one group (a task's G rollouts)."""
    return group_estimator(method)(group, dict(params or {}))


def compute_credit_batch(
    method: str, groups: Sequence[CreditGroup], params: dict | None = None
) -> list[list[list[float]]]:
    """Credit for every group of a training step. Only the estimators that pool over the batch (MARS's `turn_level`
    normalises over the whole step) see the groups together; DrMAS's GRPO estimators normalise within each task's
    group (uid), so for them this is a map."""
    estimator = group_estimator(method)
    pooled = registered(method).pooled
    if pooled is not None:
        return pooled(groups, dict(params or {}))
    return [estimator(group, dict(params or {})) for group in groups]


__all__ = [
    "DEFAULT_METHOD",
    "GROUP_METHODS",
    "KNOWN_METHODS",
    "METHODS",
    "RERUN_METHODS",
    "CreditGroup",
    "Decision",
    "MethodInfo",
    "MissingRuns",
    "Rollout",
    "StepInputs",
    "check_params",
    "computable_methods",
    "compute_credit",
    "compute_credit_batch",
    "method_info",
    "methods_where",
    "recorded_methods",
    "register",
]
