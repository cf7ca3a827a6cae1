"""The credit module's contract with the trainer: errors are sentences, the group shape round-trips."""

import pytest

from mas_trainer.credit import KNOWN_METHODS, RERUN_METHODS, CreditGroup, compute_credit

GROUP_ONLY = [m for m in KNOWN_METHODS if m not in RERUN_METHODS]


def _group():
    return CreditGroup.from_rollouts([([("a", 0, None), ("b", 1, None)], 1.0), ([("a", 0, None)], 0.0)])


def test_unknown_method_is_a_sentence():
    with pytest.raises(ValueError, match=r"unknown credit method 'sideways'; this module computes outcome"):
        compute_credit("sideways", _group(), {})


@pytest.mark.parametrize("method", KNOWN_METHODS)
def test_unknown_param_is_refused(method):
    with pytest.raises(ValueError, match=rf"credit `{method}` has no parameter 'epsilonn'"):
        compute_credit(method, _group(), {"epsilonn": 1e-6})


@pytest.mark.parametrize(
    "method,key", [("outcome", "std"), ("agent_normalized", "pooling"), ("turn_level", "advantage_pool")]
)
def test_bad_choice_names_the_allowed_values(method, key):
    with pytest.raises(ValueError, match=rf"`{key}` must be one of"):
        compute_credit(method, _group(), {key: "sideways"})


def test_json_round_trip():
    group = _group()
    assert CreditGroup.from_json(group.to_json()) == group


@pytest.mark.parametrize("method", GROUP_ONLY)
def test_one_credit_per_decision(method):
    credit = compute_credit(method, _group(), {})
    assert [len(c) for c in credit] == [2, 1]
