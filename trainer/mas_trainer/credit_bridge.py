"""Calls the credit estimators (mas_trainer.credit, owned separately) on the groups of a batch.

Interface agreed with the credit module: compute_credit(method, group: CreditGroup, params) -> list[list[float]],
one credit per decision per rollout, for the G rollouts of one task.
"""
from __future__ import annotations

from .errors import EXIT_BAD_SPEC, MasError
from .rewards import Score, decisions
from .rollout import RolloutState

# Estimators that need only the sampled group (the others need tree rollouts or a critic: a later issue).
GROUP_METHODS = ("outcome", "agent_normalized", "turn_level")


def build_group(states: list[RolloutState], scores: list[Score]):
    from .credit.types import CreditGroup

    return CreditGroup.from_rollouts([
        ([(t.agent, t.index, r) for t, r in zip(decisions(s), sc.decision_rewards)], sc.reward)
        for s, sc in zip(states, scores)
    ])


def group_credit(method: str, states: list[RolloutState], scores: list[Score], params: dict) -> list[list[float]]:
    if method not in GROUP_METHODS:
        raise MasError(f"credit `{method}` needs tree rollouts or a critic, which this trainer does not run yet; "
                       f"use one of {', '.join(GROUP_METHODS)}", EXIT_BAD_SPEC)
    try:
        from .credit import compute_credit
    except ImportError as err:
        raise MasError(f"the credit module is missing ({err}); reinstall the trainer", EXIT_BAD_SPEC) from None
    credit = compute_credit(method, build_group(states, scores), params)
    return [list(map(float, c)) for c in credit]


def recorded_methods(record_credit, training_method: str) -> list[str]:
    """The estimators recorded beside the training one, restricted to those computable from the group."""
    if record_credit == "none":
        wanted = []
    elif record_credit == "all":
        wanted = list(GROUP_METHODS)
    else:
        wanted = [m for m in record_credit if m in GROUP_METHODS]
    return [training_method] + [m for m in wanted if m != training_method]
