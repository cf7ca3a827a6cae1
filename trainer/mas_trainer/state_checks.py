"""Checks that a state loaded from a checkpoint has the structure of this run's own state before it is applied:
load_state_dict methods trust their input (an LR scheduler copies every key into itself; a string learning rate fails
only steps later), and a checkpoint comes from an untrusted run directory (trainer/README.md)."""

from __future__ import annotations

import torch


def _same_kind(value, fresh) -> bool:
    if isinstance(fresh, (list, tuple)):
        return (
            type(value) is type(fresh)
            and len(value) == len(fresh)
            and all(_same_kind(v, f) for v, f in zip(value, fresh))
        )
    return type(value) is type(fresh)


def check_like(state: object, fresh: dict, what: str) -> None:
    """state has exactly the keys of this run's own fresh state, each value of the same type (lists element-wise)."""
    if not isinstance(state, dict) or set(state) != set(fresh):
        raise ValueError(f"{what} has other keys than this run's")
    for key, value in state.items():
        if not _same_kind(value, fresh[key]):
            raise ValueError(f"{what}: `{key}` is not of the type this run uses")


def check_optimizer(state: dict, optimizer, what: str) -> None:
    fresh = optimizer.state_dict()
    groups = state.get("param_groups")
    if not isinstance(groups, list) or len(groups) != len(fresh["param_groups"]):
        raise ValueError(f"{what} has another number of parameter groups")
    for group, fresh_group in zip(groups, fresh["param_groups"]):
        check_like(group, fresh_group, what)
    params = [p for group in optimizer.param_groups for p in group["params"]]
    per_param = state.get("state")
    if not isinstance(per_param, dict):
        raise ValueError(f"{what} has no per-parameter state")
    for index, entry in per_param.items():
        if type(index) is not int or not 0 <= index < len(params) or not isinstance(entry, dict):
            raise ValueError(f"{what}: state {index!r:.20} does not name a parameter of this run")
        for name, tensor in entry.items():
            if not isinstance(tensor, torch.Tensor) or tensor.shape not in (torch.Size([]), params[index].shape):
                raise ValueError(f"{what}: state {index}.{name} is not a tensor of the parameter's shape")


def check_module_state(state: object, module: torch.nn.Module, what: str) -> None:
    fresh = module.state_dict()
    if not isinstance(state, dict) or set(state) != set(fresh):
        raise ValueError(f"{what} holds other tensors than this run's model")
    for name, value in state.items():
        if not isinstance(value, torch.Tensor) or value.shape != fresh[name].shape:
            raise ValueError(f"{what}: {name} is not a tensor of shape {tuple(fresh[name].shape)}")
