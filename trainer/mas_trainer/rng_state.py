"""The trainer's RNG state as plain JSON (checkpoint file trainer_state.json), so resuming unpickles nothing.

numpy's state used to be a pickled ndarray tuple; here every generator's state is lists of ints. check() applies a
state to fresh generators, so a malformed file is refused (ValueError/TypeError) before the trainer changes anything.
"""

from __future__ import annotations

import random

import numpy as np
import torch


def capture() -> dict:
    version, internal, gauss = random.getstate()
    np_state = np.random.get_state(legacy=False)
    return {
        "torch": torch.get_rng_state().tolist(),
        "python": {"version": version, "state": list(internal), "gauss_next": gauss},
        "numpy": {
            "bit_generator": np_state["bit_generator"],
            "key": np_state["state"]["key"].tolist(),
            "pos": int(np_state["state"]["pos"]),
            "has_gauss": int(np_state["has_gauss"]),
            "gauss": float(np_state["gauss"]),
        },
    }


def _ints(value: object, what: str) -> list[int]:
    if not isinstance(value, list) or not all(type(v) is int for v in value):
        raise TypeError(f"{what} must be a list of integers")
    return value


def _torch_state(state: dict) -> torch.Tensor:
    values = _ints(state["torch"], "rng.torch")
    if len(values) != torch.get_rng_state().numel() or not all(0 <= v < 256 for v in values):
        raise ValueError("rng.torch is not a torch CPU generator state")
    return torch.tensor(values, dtype=torch.uint8)


def _python_state(state: dict) -> tuple:
    py = state["python"]
    gauss = py["gauss_next"]
    if gauss is not None and type(gauss) is not float:
        raise TypeError("rng.python.gauss_next must be a number or null")
    return py["version"], tuple(_ints(py["state"], "rng.python.state")), gauss


def _numpy_state(state: dict) -> dict:
    np_state = state["numpy"]
    key = _ints(np_state["key"], "rng.numpy.key")
    if len(key) != 624 or not all(0 <= v < 2**32 for v in key):
        raise ValueError("rng.numpy.key is not 624 values of 32 bits")
    pos, has_gauss, gauss = np_state["pos"], np_state["has_gauss"], np_state["gauss"]
    # numpy accepts an out-of-range pos silently and then reads outside the key: check it here
    if type(pos) is not int or not 0 <= pos <= 624 or has_gauss not in (0, 1) or type(gauss) is not float:
        raise ValueError("rng.numpy: pos must be 0..624, has_gauss 0 or 1, gauss a number")
    return {
        "bit_generator": np_state["bit_generator"],
        "state": {"key": np.array(key, dtype=np.uint32), "pos": pos},
        "has_gauss": has_gauss,
        "gauss": gauss,
    }


def check(state: object) -> None:
    """Raises ValueError, TypeError or KeyError when state is not one capture() wrote."""
    if not isinstance(state, dict):
        raise TypeError("rng must be an object")
    torch.Generator().set_state(_torch_state(state))
    random.Random().setstate(_python_state(state))
    np.random.RandomState().set_state(_numpy_state(state))


def restore(state: dict) -> None:
    """Sets the global generators; call check(state) first."""
    torch.set_rng_state(_torch_state(state))
    random.setstate(_python_state(state))
    np.random.set_state(_numpy_state(state))
