"""The trainer's side of critic credit (the registry's `needs_critic` methods): build the learner when the spec
needs one, save and export it at checkpoints. Its credit per step is an estimator of the registry
(mas_trainer/credit/critic.py). Kept here so trainer.py only calls these few functions."""
from __future__ import annotations

import os
from typing import Optional

from ..credit import method_info, methods_where
from ..errors import EXIT_BAD_SPEC, MasError
from .learner import CriticLearner, critic_params

CHECKPOINT_FILE = "critic.pt"


CRITIC_METHODS = methods_where(lambda info: info.needs_critic)


def wants_critic(spec, methods: list[str]) -> bool:
    return any(m in CRITIC_METHODS for m in methods) or (spec.train.critic is not None and _records_all(spec))


def _records_all(spec) -> bool:
    rc = spec.train.record_credit
    return rc == "all" or (isinstance(rc, list) and any(m in CRITIC_METHODS for m in rc))


def with_critic_methods(methods: list[str], critic: Optional[CriticLearner]) -> list[str]:
    """The methods to compute each step: those asked for, and the critic's when a critic was built."""
    return methods + [m for m in CRITIC_METHODS if critic is not None and m not in methods]


def make_critic(spec, device, dist_ctx, methods: list[str]) -> Optional[CriticLearner]:
    """A CriticLearner when critic credit trains or is recorded; None otherwise. Errors say what to fix."""
    if not wants_critic(spec, methods):
        return None
    if spec.train.critic is None:
        raise MasError("`credit: critic` needs a value model: add `critic: <model>` to the train block "
                       "(a `model` declared in the workflow, e.g. a small scratch model)", EXIT_BAD_SPEC)
    names = {m.name for m in spec.models}
    if spec.train.critic not in names:
        raise MasError(f"train.critic names unknown model `{spec.train.critic}`; recompile with `mas compile`",
                       EXIT_BAD_SPEC)
    params = spec.train.credit.params if method_info(spec.train.credit.method).needs_critic else {}
    try:
        checked = critic_params(params)
    except ValueError as err:
        raise MasError(str(err), EXIT_BAD_SPEC) from None
    return CriticLearner(spec.model(spec.train.critic), checked["lr"], device, spec.train.seed, dist_ctx,
                         passes=checked["passes"], normalize=checked["normalize"],
                         group=spec.train.algorithm.group, replay=checked["replay"])


def export_after_checkpoint(critic: Optional[CriticLearner], run_dir: str, step: int, log) -> None:
    if critic is None:
        return
    from .export import export_critic

    try:
        export_critic(critic, run_dir, step)
    except Exception as err:  # an export failure must not stop training; the checkpoint itself is complete
        log.warning("critic.onnx not exported at step %d: %s: %s (install onnx to export the critic)", step,
                    type(err).__name__, str(err)[:200])


def restore_critic(critic: Optional[CriticLearner], payload: dict, run_dir: str, log) -> None:
    if critic is None:
        return
    if CHECKPOINT_FILE in payload:
        critic.load_state_dict(payload[CHECKPOINT_FILE])
    else:
        log.warning("the checkpoint in %s has no critic state; the critic starts untrained", os.path.basename(run_dir))
