"""What a checkpoint holds for the trainer and how a loaded one is checked before anything changes on --resume.

Order on resume (trainer.Trainer.restore): load and check a checkpoint (checkpoint.load_latest with check_payload;
a malformed one falls back to the previous or stops with exit 8), apply it, and only then delete the metrics records
and trajectory files of later steps (rundir.truncate.drop_steps_after), so a bad checkpoint never costs a record.
"""

from __future__ import annotations

from typing import Callable

import torch

from . import rng_state
from .critic.hooks import check_critic_state
from .state_checks import check_like, check_optimizer

TRAINER_STATE = "trainer_state.json"
TRAINER_STATE_VERSION = 1


def unit_key(unit) -> str:
    return unit.name.replace("/", "__")


def trainer_state(step: int, rng: dict | None = None) -> dict:
    """`rng`: a state captured at the step boundary (a stop during the next rollout has already drawn from it)."""
    return {"version": TRAINER_STATE_VERSION, "step": step, "rng": rng if rng is not None else rng_state.capture()}


def check_payload(units, optimizers: dict, schedulers: dict, critic=None) -> Callable[[int, dict], None]:
    """check(step, payload) for checkpoint.load_latest: every file the trainer restores is there and has the shapes
    and types of this run's own modules, optimizers and schedulers (a scheduler's load_state_dict copies any key
    into the object, and a string learning rate would only fail steps later), and trainer_state.json is well-formed
    with the folder's step."""

    def check(step: int, payload: dict) -> None:
        state = payload.get(TRAINER_STATE)
        if state is None:
            raise ValueError(
                f"{TRAINER_STATE} is missing (older trainers stored this state as a pickle, "
                "trainer_state.pt, which is never loaded)"
            )
        if not isinstance(state, dict) or state.get("version") != TRAINER_STATE_VERSION:
            raise ValueError(f"{TRAINER_STATE} is not a version {TRAINER_STATE_VERSION} trainer state")
        if type(state.get("step")) is not int or state["step"] != step:
            raise ValueError(
                f"{TRAINER_STATE}: `step` must be the folder's step {step}, found {state.get('step')!r:.40}"
            )
        rng_state.check(state.get("rng"))
        for unit in units:
            _check_unit(unit, payload)
            optim = payload[f"optim-{unit_key(unit)}.pt"]
            check_like(optim["scheduler"], schedulers[unit.name].state_dict(), f"optim-{unit_key(unit)}.pt scheduler")
            check_optimizer(optim["optimizer"], optimizers[unit.name], f"optim-{unit_key(unit)}.pt optimizer")
        check_critic_state(critic, payload)

    return check


def _check_unit(unit, payload: dict) -> None:
    key = unit_key(unit)
    weights, optim = payload.get(f"unit-{key}.pt"), payload.get(f"optim-{key}.pt")
    if not isinstance(weights, dict) or not isinstance(optim, dict):
        raise ValueError(f"unit-{key}.pt or optim-{key}.pt is missing or not a dictionary")
    params = dict(unit.module.named_parameters())
    if set(weights) != set(unit.trainable):
        raise ValueError(
            f"unit-{key}.pt holds other parameters than the model `{unit.name}` trains "
            "(was the workflow changed since this run started?)"
        )
    for name, value in weights.items():
        if not isinstance(value, torch.Tensor) or value.shape != params[name].shape:
            raise ValueError(f"unit-{key}.pt: {name} is not a tensor of shape {tuple(params[name].shape)}")
    if not isinstance(optim.get("optimizer"), dict) or not isinstance(optim.get("scheduler"), dict):
        raise ValueError(f"optim-{key}.pt must hold `optimizer` and `scheduler` states")
