"""Calls the credit estimators (mas_trainer.credit, owned separately) on the rollouts of a training step.

Interface agreed with the credit module: compute_credit_batch(method, groups: list[CreditGroup], params) ->
[group][rollout][decision] credits. Most estimators normalise within one task's group (DrMAS's `uid`), but MARS's
`turn_level` pools over the whole step batch, so the trainer always hands over every group of the step — across
all data-parallel processes for the pooled methods, so that N processes compute what one process would.
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence

from .credit_runs import computable_methods
from .errors import EXIT_BAD_SPEC, MasError
from .rewards import Score, decisions
from .rollout import RolloutState

# Estimators that need only the sampled group (the others need tree rollouts or a critic: a later issue).
GROUP_METHODS = ("outcome", "agent_normalized", "turn_level")
# Estimators that need tree rollouts or re-runs with agents nulled (credit_runs.py runs them).
RERUN_METHODS = ("counterfactual", "difference", "shapley")
# Estimators whose authors normalise over the whole step batch, not per task (docs/credit-estimators.md).
BATCH_POOLED_METHODS = ("turn_level",)

# Concatenates every process's list in rank order (DistContext.gather); None in a single process.
Gather = Optional[Callable[[list], list]]


def _credit_module():
    try:
        from . import credit
    except ImportError as err:
        raise MasError(f"the credit module is missing ({err}); reinstall the trainer", EXIT_BAD_SPEC) from None
    return credit


def build_group(states: Sequence[RolloutState], scores: Sequence[Score]):
    """One task's G rollouts as the credit module's input: decisions in turn order, nulled turns excluded."""
    group = _credit_module().CreditGroup.from_rollouts([
        ([(t.agent, t.index, r) for t, r in zip(decisions(s), sc.decision_rewards)], sc.reward)
        for s, sc in zip(states, scores)
    ])
    for rollout, state in zip(group.rollouts, states):  # re-runs with agents nulled (difference, shapley)
        rollout.counterfactuals, rollout.permutations = dict(state.counterfactuals), state.permutations
    return group


def _check_method(method: str) -> None:
    if method not in GROUP_METHODS + RERUN_METHODS:
        raise MasError(f"credit `{method}` is not computed by this trainer; use one of "
                       f"{', '.join(GROUP_METHODS + RERUN_METHODS)}", EXIT_BAD_SPEC)


def check_credit(method: str, params: dict) -> None:
    """Refuses an unsupported method or a bad param before any model is built (not at the end of step 1)."""
    _check_method(method)
    try:
        _credit_module().check_params(method, params)
    except ValueError as err:
        raise MasError(f"{err}; fix train.credit in the .mas file and recompile", EXIT_BAD_SPEC) from None


def step_credit(method: str, states: Sequence[RolloutState], scores: Sequence[Score], group_size: int,
                params: dict, gather: Gather = None, rank: int = 0) -> list[list[float]]:
    """Credit per decision for each local rollout of a step; `states` holds whole groups of `group_size`."""
    _check_method(method)
    groups = [build_group(states[i:i + group_size], scores[i:i + group_size])
              for i in range(0, len(states), group_size)]
    n_local, offset = len(groups), 0
    if gather is not None and method in BATCH_POOLED_METHODS:
        # Every process holds the same number of groups (check_batch), so this process's start is rank * count.
        offset = rank * n_local
        groups = gather(groups)
    try:
        per_group = _credit_module().compute_credit_batch(method, groups, params)
    except ValueError as err:
        raise MasError(f"{err}; fix train.credit in the .mas file and recompile", EXIT_BAD_SPEC) from None
    local = per_group[offset:offset + n_local]
    return [list(map(float, rollout)) for group in local for rollout in group]


def recorded_methods(record_credit, training_method: str) -> list[str]:
    """The estimators recorded beside the training one, restricted to those computable from the group."""
    if record_credit == "none":
        wanted = []
    elif record_credit == "all":
        wanted = computable_methods(training_method)
    else:
        wanted = [m for m in record_credit if m in computable_methods(training_method)]
    return [training_method] + [m for m in wanted if m != training_method]
