"""The trainer's side of critic credit (the registry's `needs_critic` methods): build the learner when the spec
needs one, save and export it at checkpoints. Its credit per step is an estimator of the registry
(mas_trainer/credit/critic.py). Kept here so trainer.py only calls these few functions."""

from __future__ import annotations

import os
import random
from typing import Optional

from ..credit import method_info, methods_where
from ..credit.counterfactual import reads_q
from ..credit_step import VALUE_ASSISTED_NEEDS_CRITIC
from ..errors import EXIT_BAD_SPEC, MasError
from ..state_checks import check_module_state, check_optimizer
from .learner import CriticLearner, critic_params

CHECKPOINT_FILE = "critic.pt"


CRITIC_METHODS = methods_where(lambda info: info.needs_critic)


def wants_critic_credit(spec, methods: list[str]) -> bool:
    """Critic credit (the `needs_critic` methods) trains or is recorded."""
    return any(m in CRITIC_METHODS for m in methods) or (spec.train.critic is not None and _records_all(spec))


def wants_q(spec) -> bool:
    """The training credit reads the critic's Q per decision (value-assisted C3 credit)."""
    return reads_q(spec.train.credit.method, spec.train.credit.params)


def check_critic_named(spec) -> None:
    """Refuses value-assisted C3 credit without `critic: <model>` before the run directory is made."""
    if wants_q(spec) and spec.train.critic is None:
        raise MasError(VALUE_ASSISTED_NEEDS_CRITIC, EXIT_BAD_SPEC)


def wants_critic(spec, methods: list[str]) -> bool:
    return wants_critic_credit(spec, methods) or wants_q(spec)


def _records_all(spec) -> bool:
    rc = spec.train.record_credit
    return rc == "all" or (isinstance(rc, list) and any(m in CRITIC_METHODS for m in rc))


def with_critic_methods(spec, methods: list[str], critic: Optional[CriticLearner]) -> list[str]:
    """The methods to compute each step: those asked for, and the critic's when a critic was built for critic
    credit (one built only for value-assisted C3's Q is fitted on C3's prefixes alone, critic/q_values.py)."""
    if critic is None or not wants_critic_credit(spec, methods):
        return methods
    return methods + [m for m in CRITIC_METHODS if m not in methods]


def make_critic(
    spec, device, dist_ctx, methods: list[str], micro_batch_tokens: Optional[int] = None
) -> Optional[CriticLearner]:
    """A CriticLearner when critic credit trains or is recorded; None otherwise. Errors say what to fix.
    `micro_batch_tokens`: the padded tokens of one of its forwards (the trainer's resolved budget)."""
    if not wants_critic(spec, methods):
        return None
    if spec.train.critic is None:
        if not wants_critic_credit(spec, methods):
            raise MasError(VALUE_ASSISTED_NEEDS_CRITIC, EXIT_BAD_SPEC)
        raise MasError(
            "`credit: critic` needs a value model: add `critic: <model>` to the train block "
            "(a `model` declared in the workflow, e.g. a small scratch model)",
            EXIT_BAD_SPEC,
        )
    names = {m.name for m in spec.models}
    if spec.train.critic not in names:
        raise MasError(
            f"train.critic names unknown model `{spec.train.critic}`; recompile with `mas compile`", EXIT_BAD_SPEC
        )
    params = spec.train.credit.params if method_info(spec.train.credit.method).needs_critic else {}
    try:
        checked = critic_params(params)
    except ValueError as err:
        raise MasError(str(err), EXIT_BAD_SPEC) from None
    return CriticLearner(
        spec.model(spec.train.critic),
        checked["lr"],
        device,
        spec.train.seed,
        dist_ctx,
        passes=checked["passes"],
        normalize=checked["normalize"],
        group=spec.train.algorithm.group,
        replay=checked["replay"],
        micro_batch_tokens=micro_batch_tokens,
    )


def export_after_checkpoint(critic: Optional[CriticLearner], run_dir: str, step: int, log) -> None:
    if critic is None:
        return
    from .export import export_critic

    try:
        export_critic(critic, run_dir, step)
    except Exception as err:  # an export failure must not stop training; the checkpoint itself is complete
        log.warning(
            "critic.onnx not exported at step %d: %s: %s (install onnx to export the critic)",
            step,
            type(err).__name__,
            str(err)[:200],
        )


def restore_critic(critic: Optional[CriticLearner], payload: dict, run_dir: str, log) -> None:
    if critic is None:
        return
    if CHECKPOINT_FILE in payload:
        critic.load_state_dict(payload[CHECKPOINT_FILE])
    else:
        log.warning("the checkpoint in %s has no critic state; the critic starts untrained", os.path.basename(run_dir))


def check_critic_state(critic: Optional[CriticLearner], payload: dict) -> None:
    """Raises ValueError/TypeError when critic.pt does not have the structure CriticLearner.state_dict writes for
    this run's critic (checked before resume applies or deletes anything)."""
    if critic is None or CHECKPOINT_FILE not in payload:
        return
    state = payload[CHECKPOINT_FILE]
    if not isinstance(state, dict) or not {"model", "optimizer", "shuffle"} <= set(state):
        raise ValueError(f"{CHECKPOINT_FILE} must hold `model`, `optimizer` and `shuffle`")
    check_module_state(state["model"], critic.module, f"{CHECKPOINT_FILE} model")
    check_optimizer(state["optimizer"], critic.optimizer, f"{CHECKPOINT_FILE} optimizer")
    try:
        random.Random().setstate(state["shuffle"])
    except (TypeError, ValueError) as err:
        raise ValueError(f"{CHECKPOINT_FILE}: `shuffle` is not a random.Random state ({err})") from None
    history = state.get("history", [])
    if not isinstance(history, list) or not all(_history_entry(h) for h in history):
        raise ValueError(f"{CHECKPOINT_FILE}: `history` must be [prefixes, returns] pairs of equal length")


def _history_entry(entry: object) -> bool:
    return (
        isinstance(entry, list)
        and len(entry) == 2
        and all(isinstance(part, list) for part in entry)
        and len(entry[0]) == len(entry[1])
        and all(isinstance(text, str) for text in entry[0])
        and all(type(value) in (int, float) for value in entry[1])
    )
