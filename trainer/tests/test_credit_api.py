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


def _tree(q):
    """A [2] tree of one decision per leaf, with the critic's Q of each node or None."""
    return CreditGroup.from_json(
        {"rollouts": [{"decisions": [{"agent": "a", "turn": 0, "q": v}], "reward": r} for v, r in zip(q, (1.0, 0.0))]}
    )


def test_value_assisted_without_q_names_the_missing_node_and_the_fix():
    with pytest.raises(ValueError, match=r"decision 0 of rollout 1 has none; .* `critic: <model>`"):
        compute_credit("counterfactual", _tree([0.5, None]), {"fanout": [2], "variant": "value_assisted"})


def test_value_assisted_uses_the_siblings_q_and_reward_only_ignores_it():
    raw = {"fanout": [2], "normalize": "none"}
    # alpha 1: A(n) = V(n) - Q(sibling): 1 - 0.25 and 0 - 0.75
    assert compute_credit("counterfactual", _tree([0.75, 0.25]), raw | {"variant": "value_assisted"}) == [
        [0.75],
        [-0.75],
    ]
    assert compute_credit("counterfactual", _tree([0.75, 0.25]), raw) == [[1.0], [-1.0]]


def test_alpha_outside_zero_one_is_refused():
    with pytest.raises(ValueError, match=r"`alpha` must be between 0 and 1"):
        compute_credit("counterfactual", _tree([0.5, 0.5]), {"fanout": [2], "variant": "value_assisted", "alpha": 2})
