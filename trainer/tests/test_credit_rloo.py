"""`baseline: rloo` keeps MAGRPO's variance rule (the std around the full group mean), so its normalised credit is
n/(n-1) x the group-mean credit; `epsilon_form: in_sqrt` divides by sqrt(var + eps).
Twin: test/analysis/credit-rloo.test.ts."""

import math

import pytest

from mas_trainer.credit import CreditGroup, compute_credit

REWARDS = [1.0, 0.0, 0.5, 0.25]
GROUP = CreditGroup.from_json(
    {"rollouts": [{"decisions": [{"agent": "a", "turn": 0}, {"agent": "b", "turn": 1}], "reward": r} for r in REWARDS]}
)
MAGRPO = {"std": "population", "epsilon": 1e-8, "epsilon_form": "in_sqrt"}


@pytest.mark.parametrize("method", ["outcome", "agent_normalized"])
@pytest.mark.parametrize("std_params", [MAGRPO, {}], ids=["magrpo", "default"])
def test_rloo_is_n_over_n_minus_1_times_group_mean(method, std_params):
    n = len(REWARDS)
    mean = compute_credit(method, GROUP, {**std_params, "baseline": "group_mean"})
    rloo = compute_credit(method, GROUP, {**std_params, "baseline": "rloo"})
    for row_mean, row_rloo in zip(mean, rloo):
        for m, r in zip(row_mean, row_rloo):
            assert r == pytest.approx(n / (n - 1) * m, abs=1e-12)


def test_rloo_subtracts_the_mean_of_the_others():
    credit = compute_credit("outcome", GROUP, {**MAGRPO, "baseline": "rloo"})
    mu = sum(REWARDS) / len(REWARDS)
    sd = math.sqrt(sum((r - mu) ** 2 for r in REWARDS) / len(REWARDS) + 1e-8)
    for row, r in zip(credit, REWARDS):
        others = (sum(REWARDS) - r) / (len(REWARDS) - 1)
        assert row == pytest.approx([(r - others) / sd] * 2, abs=1e-12)


def test_defaults_are_group_mean_and_epsilon_outside():
    assert compute_credit("outcome", GROUP, {}) == compute_credit(
        "outcome", GROUP, {"baseline": "group_mean", "epsilon_form": "outside"}
    )


def test_rloo_on_a_one_element_pool_follows_the_singleton_rule():
    lone = CreditGroup.from_json({"rollouts": [{"decisions": [{"agent": "a", "turn": 0}], "reward": 0.8}]})
    assert compute_credit("outcome", lone, {"baseline": "rloo", "singleton": "zero"}) == [[0.0]]
    assert compute_credit("outcome", lone, {"baseline": "rloo"}) == [[pytest.approx(0.8 / (1 + 1e-6))]]


def test_bad_values_name_the_allowed_ones():
    with pytest.raises(ValueError, match="`baseline` must be one of group_mean, rloo"):
        compute_credit("outcome", GROUP, {"baseline": "loo"})
    with pytest.raises(ValueError, match="`epsilon_form` must be one of outside, in_sqrt"):
        compute_credit("agent_normalized", GROUP, {"epsilon_form": "inside"})
