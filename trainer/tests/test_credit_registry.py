"""The credit-method registry (mas_trainer/credit/registry.py over methods.json, generated from the catalogue): every
catalogue method has exactly one registered function with the hooks its capabilities call for, the estimators accept
exactly the catalogue's parameters and values, and the capability lists are those the trainer always used."""

import re

import pytest

from mas_trainer import credit
from mas_trainer.credit import registry
from mas_trainer.credit_step import check_credit
from mas_trainer.critic.learner import critic_params
from mas_trainer.errors import MasError


def test_every_catalogue_method_has_one_registered_function():
    assert set(registry._REGISTERED) == set(registry.METHODS)
    for name, entry in registry._REGISTERED.items():
        assert registry.method_of(entry.estimator) == name
    assert registry.REGISTRY_FILE.parent.name == "credit"  # shipped inside the package, not read from the repo root


def test_a_missing_or_mismatched_registration_fails_the_import_check(monkeypatch):
    entries = dict(registry._REGISTERED)
    missing = entries.pop("outcome")
    monkeypatch.setattr(registry, "_REGISTERED", entries)
    with pytest.raises(ImportError, match=r"outcome: no function registered"):
        registry.check_complete()
    entries["outcome"] = registry.Registered(missing.estimator, pooled=missing.estimator)
    with pytest.raises(ImportError, match=r"outcome: `pooled` given but the catalogue says pools_over_batch is False"):
        registry.check_complete()


def test_register_refuses_an_unknown_or_a_second_name():
    with pytest.raises(ValueError, match=r"not a credit method of the catalogue"):
        registry.register("sideways")
    with pytest.raises(ValueError, match=r"registered twice"):
        registry.register("outcome")


def test_the_capability_lists_are_the_ones_the_trainer_always_used():
    assert credit.KNOWN_METHODS == (
        "outcome",
        "agent_normalized",
        "turn_level",
        "counterfactual",
        "difference",
        "shapley",
    )
    assert credit.GROUP_METHODS == ("outcome", "agent_normalized", "turn_level")
    assert credit.RERUN_METHODS == ("counterfactual", "difference", "shapley")
    assert credit.methods_where(lambda i: i.pools_over_batch) == ("turn_level",)
    assert credit.methods_where(lambda i: i.rescorable) == (
        "outcome",
        "agent_normalized",
        "turn_level",
        "counterfactual",
    )
    assert credit.computable_methods("shapley") == [
        "outcome",
        "agent_normalized",
        "turn_level",
        "shapley",
        "difference",
    ]
    assert credit.computable_methods("critic") == ["outcome", "agent_normalized", "turn_level", "critic"]
    assert credit.recorded_methods("all", "counterfactual") == [
        "counterfactual",
        "outcome",
        "agent_normalized",
        "turn_level",
    ]
    assert credit.DEFAULT_METHOD == "outcome"


def _check(method: str, params: dict) -> None:
    if credit.method_info(method).needs_critic:
        critic_params(params)
    else:
        credit.check_params(method, params)


def _required(method: str) -> dict:
    return {p["name"]: [2] for p in credit.method_info(method).parameters if p.get("required")}


@pytest.mark.parametrize("method", list(registry.METHODS))
def test_each_estimator_knows_exactly_the_catalogue_parameters(method):
    with pytest.raises(ValueError) as caught:
        _check(method, {**_required(method), "zzz_unknown": 1})
    known = re.search(r"known: (.*)$", str(caught.value)).group(1).split(", ")
    assert sorted(known) == sorted(p["name"] for p in credit.method_info(method).parameters)


@pytest.mark.parametrize(
    "method,param", [(m, p) for m, info in registry.METHODS.items() for p in info.parameters if p.get("values")]
)
def test_each_choice_allows_exactly_the_catalogue_values(method, param):
    with pytest.raises(ValueError, match=r"must be one of") as caught:
        _check(method, {**_required(method), param["name"]: "zzz_unknown"})
    allowed = re.search(r"must be one of (.*), got", str(caught.value)).group(1).split(", ")
    assert allowed == list(param["values"])
    _check(method, {**_required(method), param["name"]: param["default"]})  # the catalogue's default is accepted


def test_check_credit_leaves_a_critic_method_to_the_critic_builder_and_refuses_an_unknown_one():
    check_credit("critic", {"epochs": 3})  # make_critic checks it, with the value model
    with pytest.raises(MasError, match=r"credit `sideways` is not computed by this trainer"):
        check_credit("sideways", {})
