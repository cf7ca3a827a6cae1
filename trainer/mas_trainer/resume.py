"""What a checkpoint holds for the trainer and how a loaded one is checked before anything changes on --resume.

Order on resume (trainer.Trainer.restore): load and check a checkpoint (checkpoint.load_latest with check_payload;
a malformed one falls back to the previous or stops with exit 8), apply it, and only then delete the metrics records
and trajectory files of later steps (rundir.truncate.drop_steps_after), so a bad checkpoint never costs a record.
"""

from __future__ import annotations

from typing import Callable

from . import rng_state
from .critic.hooks import check_critic_state
from .policy_files import check_unit_files, unit_key
from .rundir.layout import CHECKPOINT_FILES
from .state_checks import check_like, check_optimizer

TRAINER_STATE = CHECKPOINT_FILES["trainerState"]
TRAINER_STATE_VERSION = 1


def optim_file(unit) -> str:
    """Optimizer and LR-schedule state: torch.save of tensors and plain values, loaded with weights_only=True."""
    return f"optim-{unit_key(unit)}.pt"


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
            check_unit_files(unit, payload)
            optim = payload.get(optim_file(unit))
            if not isinstance(optim, dict) or not isinstance(optim.get("optimizer"), dict):
                raise ValueError(f"{optim_file(unit)} is missing or does not hold `optimizer` and `scheduler` states")
            if not isinstance(optim.get("scheduler"), dict):
                raise ValueError(f"{optim_file(unit)} must hold `optimizer` and `scheduler` states")
            check_like(optim["scheduler"], schedulers[unit.name].state_dict(), f"{optim_file(unit)} scheduler")
            check_optimizer(optim["optimizer"], optimizers[unit.name], f"{optim_file(unit)} optimizer")
        check_critic_state(critic, payload)

    return check
