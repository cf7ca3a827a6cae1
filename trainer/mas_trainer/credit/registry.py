"""The credit-method registry: every method's name, parameters and capabilities come from methods.json beside this
file, generated from the catalogue (server/src/language/catalog/training-catalog.ts, `npm run generate:credit`), and
each method's function is registered verl-style by `@register("<name>")` in its estimator's module.

`check_complete()` (run when mas_trainer.credit is imported) fails unless every catalogue method has exactly one
registered function and every registered name is in the catalogue. Check capabilities (`method_info(m).needs_tree`)
instead of comparing names. TypeScript twin: protocol/credit.ts (methodInfo, creditMethodsWhere) over
protocol/generated/credit-methods.ts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, Protocol, Sequence

from .types import CreditGroup

REGISTRY_FILE = Path(__file__).with_name("methods.json")  # shipped in the package (.vscodeignore, pyproject.toml)

Estimator = Callable[[CreditGroup, dict], list[list[float]]]
PooledEstimator = Callable[[Sequence[CreditGroup], dict], list[list[list[float]]]]
ParamsReader = Callable[[dict], object]
# (team in order of first turn, params, rng) -> (nulled agent sets to re-run, agent orders drawn or None)
ReRunPlanner = Callable[[list, dict, Any], tuple[list, Optional[list]]]


@dataclass(frozen=True)
class MethodInfo:
    """One registry entry (TS twin: CreditMethodEntry; capabilities: CreditCapabilities, snake_case here)."""

    name: str
    parameters: tuple[dict, ...]
    needs_group: bool
    needs_tree: bool
    needs_nulled_reruns: bool
    coalition_reruns: bool
    needs_critic: bool
    pools_over_batch: bool
    rescorable: bool


class CreditLearner(Protocol):
    """What a per-step estimator needs of the critic learner (mas_trainer.critic.CriticLearner)."""

    def credit_and_fit(self, rollouts: list[tuple[list, float, list]], level: str) -> list[list[float]]: ...


@dataclass
class StepInputs:
    """What an estimator computed per training step (not per group) reads: the step's rollouts (RolloutState), their
    scores (rewards.Score), the reward level and the critic learner (mas_trainer.critic.CriticLearner) or None."""

    states: Sequence
    scores: Sequence
    level: str
    critic: Optional[CreditLearner] = None


StepEstimator = Callable[[StepInputs], list[list[float]]]


@dataclass(frozen=True)
class Registered:
    estimator: Callable  # an Estimator, or a StepEstimator when `per_step`
    per_step: bool = False
    pooled: Optional[PooledEstimator] = None
    read_params: Optional[ParamsReader] = None
    reruns: Optional[ReRunPlanner] = None


def _load() -> tuple[dict[str, MethodInfo], str]:
    data = json.loads(REGISTRY_FILE.read_text(encoding="utf-8"))
    methods = {m["name"]: MethodInfo(m["name"], tuple(m["parameters"]), **m["capabilities"]) for m in data["methods"]}
    return methods, data["default"]


METHODS, DEFAULT_METHOD = _load()
_REGISTERED: dict[str, Registered] = {}
_NAMES: dict[Callable, str] = {}


def register(
    name: str,
    *,
    per_step: bool = False,
    pooled: Optional[PooledEstimator] = None,
    read_params: Optional[ParamsReader] = None,
    reruns: Optional[ReRunPlanner] = None,
):
    """Registers the decorated function as the estimator of catalogue method `name` (`method_of(fn)` returns it).
    `per_step`: it takes the whole step (StepInputs) rather than one group; `pooled`: the form that credits a step's
    groups together (`pools_over_batch`); `read_params`: checks the params without rollouts (needed where a probe group
    cannot be credited: tree or re-run methods); `reruns`: plans the nulled re-runs (`needs_nulled_reruns`)."""
    if name not in METHODS:
        raise ValueError(
            f"@register({name!r}): not a credit method of the catalogue ({', '.join(METHODS)}); add it to "
            "server/src/language/catalog/training-catalog.ts and run `npm run generate:credit`"
        )
    if name in _REGISTERED:
        raise ValueError(f"credit method {name!r} is registered twice")

    def decorate(fn):
        _REGISTERED[name] = Registered(fn, per_step, pooled, read_params, reruns)
        _NAMES[fn] = name
        return fn

    return decorate


def method_of(fn: Callable) -> str:
    """The method name `fn` is registered as: an estimator module names its method only in its `@register` line."""
    return _NAMES[fn]


def check_complete() -> None:
    """Every catalogue method has exactly one function, with the hooks its capabilities call for."""
    problems = [f"{m}: no function registered (@register({m!r}))" for m in METHODS if m not in _REGISTERED]
    for name, entry in _REGISTERED.items():
        info = METHODS[name]
        for hook, wanted, why in (
            ("per_step", info.needs_critic, "needs_critic"),
            ("pooled", info.pools_over_batch, "pools_over_batch"),
            ("reruns", info.needs_nulled_reruns, "needs_nulled_reruns"),
            ("read_params", info.needs_tree or info.needs_nulled_reruns, "needs_tree or needs_nulled_reruns"),
        ):
            if bool(getattr(entry, hook)) != wanted:
                problems.append(
                    f"{name}: `{hook}` {'missing' if wanted else 'given'} but the catalogue says {why} is {wanted}"
                )
    if problems:
        raise ImportError("the credit registry does not match methods.json: " + "; ".join(problems))


def method_info(name: str) -> MethodInfo:
    """The registry entry of `name`; ValueError for a method the catalogue does not know."""
    if name not in METHODS:
        raise ValueError(f"unknown credit method {name!r}; the catalogue has {', '.join(METHODS)}")
    return METHODS[name]


def methods_where(test: Callable[[MethodInfo], bool]) -> tuple[str, ...]:
    """Names of the methods whose entry passes `test`, in catalogue order."""
    return tuple(name for name, info in METHODS.items() if test(info))


def registered(name: str) -> Registered:
    method_info(name)
    return _REGISTERED[name]


def group_estimator(name: str) -> Estimator:
    """The function crediting one group; ValueError for an unknown method or one computed per training step."""
    computed = methods_where(lambda i: not i.needs_critic)
    if name not in METHODS:
        raise ValueError(f"unknown credit method {name!r}; this module computes {', '.join(computed)}")
    entry = _REGISTERED[name]
    if entry.per_step:
        raise ValueError(
            f"credit `{name}` is computed per training step by the trainer (it needs a critic), not from "
            f"a group; this module computes {', '.join(computed)}"
        )
    return entry.estimator


# The estimators computable from the sampled group alone, and those needing tree rollouts or nulled re-runs.
GROUP_METHODS = methods_where(lambda i: not (i.needs_tree or i.needs_nulled_reruns or i.needs_critic))
RERUN_METHODS = methods_where(lambda i: i.needs_tree or i.needs_nulled_reruns)


def computable_methods(training_method: str) -> list[str]:
    """The estimators the rollouts of a step trained with `training_method` let us compute (record_credit: all): the
    group ones always, the training one, and beside a coalition method the one-agent-nulled methods (its re-runs
    include theirs)."""
    extra = [training_method]
    if method_info(training_method).coalition_reruns:
        extra += methods_where(lambda i: i.needs_nulled_reruns and not i.coalition_reruns)
    return list(GROUP_METHODS) + [m for m in extra if m not in GROUP_METHODS]


def recorded_methods(record_credit, training_method: str) -> list[str]:
    """The estimators recorded beside the training one, restricted to those computable from the step's rollouts."""
    if record_credit == "none":
        wanted = []
    elif record_credit == "all":
        wanted = computable_methods(training_method)
    else:
        wanted = [m for m in record_credit if m in computable_methods(training_method)]
    return [training_method] + [m for m in wanted if m != training_method]
