"""A training step's credit: the step's rollouts and scores become the estimators' groups (mas_trainer.credit) and
each method of the registry is computed the way its capabilities say — per task's group, pooled over the whole step
(across data-parallel processes too, so that N processes compute what one process would), or per step by the critic.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence

from . import credit
from .credit import CreditGroup, StepInputs, method_info, recorded_methods
from .credit.counterfactual import reads_q
from .critic.q_values import fill_q
from .errors import EXIT_BAD_SPEC, MasError
from .rewards import Score, decisions
from .rollout import RolloutState

VALUE_ASSISTED_NEEDS_CRITIC = (
    "`counterfactual(variant: value_assisted)` takes each tree node's Q from a critic: add `critic: <model>` to the "
    "train block (a `model` of the workflow; C3 starts its critic from the policy's base model) or use "
    "`variant: reward_only`, then recompile"
)

# Concatenates every process's list in rank order (DistContext.gather); None in a single process.
Gather = Optional[Callable[[list], list]]


def build_group(states: Sequence[RolloutState], scores: Sequence[Score]) -> CreditGroup:
    """One task's G rollouts as the credit module's input: decisions in turn order, nulled turns excluded."""
    group = CreditGroup.from_rollouts(
        [
            ([(t.agent, t.index, r) for t, r in zip(decisions(s), sc.decision_rewards)], sc.reward)
            for s, sc in zip(states, scores)
        ]
    )
    for rollout, state in zip(group.rollouts, states):  # re-runs with agents nulled (difference, shapley)
        rollout.counterfactuals, rollout.permutations = dict(state.counterfactuals), state.permutations
    return group


def _check_method(method: str) -> None:
    if method not in credit.METHODS:
        raise MasError(
            f"credit `{method}` is not computed by this trainer; use one of {', '.join(credit.METHODS)}", EXIT_BAD_SPEC
        )


def check_credit(method: str, params: dict) -> None:
    """Refuses an unsupported method or a bad param before any model is built (not at the end of step 1). A method
    needing a critic is checked where the critic is built (critic.hooks.make_critic)."""
    _check_method(method)
    if method_info(method).needs_critic:
        return
    try:
        credit.check_params(method, params)
    except ValueError as err:
        raise MasError(f"{err}; fix train.credit in the .mas file and recompile", EXIT_BAD_SPEC) from None


def step_credit(
    method: str,
    states: Sequence[RolloutState],
    scores: Sequence[Score],
    group_size: int,
    params: dict,
    gather: Gather = None,
    rank: int = 0,
    *,
    critic=None,
    level: str = "trajectory",
) -> list[list[float]]:
    """Credit per decision for each local rollout of a step; `states` holds whole groups of `group_size`. `critic`
    (a CriticLearner) and the reward `level` are read by the estimators computed per step; the critic also gives
    value-assisted C3 credit its Q per decision (and is fitted on those prefixes, critic/q_values.py)."""
    _check_method(method)
    entry = credit.registered(method)
    if entry.per_step:
        return entry.estimator(StepInputs(states, scores, level, critic))
    groups = [
        build_group(states[i : i + group_size], scores[i : i + group_size]) for i in range(0, len(states), group_size)
    ]
    n_local, offset = len(groups), 0
    if gather is not None and method_info(method).pools_over_batch:
        # Every process holds the same number of groups (check_batch), so this process's start is rank * count.
        offset = rank * n_local
        groups = gather(groups)
    if reads_q(method, params):
        if critic is None:  # make_critic refuses a spec without `critic: <model>` before this
            raise MasError(VALUE_ASSISTED_NEEDS_CRITIC, EXIT_BAD_SPEC)
        fill_q(groups, [states[i : i + group_size] for i in range(0, len(states), group_size)], critic)
    try:
        per_group = credit.compute_credit_batch(method, groups, params)
    except ValueError as err:
        raise MasError(f"{err}; fix train.credit in the .mas file and recompile", EXIT_BAD_SPEC) from None
    local = per_group[offset : offset + n_local]
    return [list(map(float, rollout)) for group in local for rollout in group]


__all__ = ["Gather", "build_group", "check_credit", "recorded_methods", "step_credit"]
