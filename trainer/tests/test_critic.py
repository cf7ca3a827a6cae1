"""`critic` credit: the pure TD-error function (golden vectors), what the critic reads, and that it learns."""

import json
import math
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from mas_trainer.critic import critic_credit, decision_prefixes, decision_returns, decision_rewards
from mas_trainer.critic.credit import normalise_per_agent
from mas_trainer.critic.learner import CriticLearner, critic_lr, critic_params
from mas_trainer.critic.model import char_tokenizer_description, encode_batch
from mas_trainer.spec import ModelSource, ModelSpec
from mas_trainer.tokenizer import CharTokenizer

VECTORS = json.loads((Path(__file__).resolve().parents[2] / "test" / "fixtures" / "credit" / "critic.json").read_text())


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v["name"])
def test_golden_vector(vector):
    credit = critic_credit(vector["rewards"], vector["values"])
    assert len(credit) == len(vector["credit"])
    for got, want in zip(credit, vector["credit"]):
        assert abs(got - want) <= 1e-9


@pytest.mark.parametrize("vector", [v for v in VECTORS if v["rewards"]], ids=lambda v: v["name"])
def test_credits_telescope_to_return_minus_first_value(vector):
    assert math.isclose(
        sum(critic_credit(vector["rewards"], vector["values"])),
        sum(vector["rewards"]) - vector["values"][0],
        abs_tol=1e-9,
    )


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="one value per decision"):
        critic_credit([0.0, 1.0], [0.5])


def test_rewards_and_returns_per_level():
    assert decision_rewards(0.7, [None, None, None], "trajectory") == [0.0, 0.0, 0.7]
    assert decision_rewards(0.7, [0.9, 0.5], "agent") == [0.0, 0.7]  # agent level: the team's mean, at the end
    assert decision_rewards(0.3, [0.1, 0.2], "turn") == [0.1, 0.2]
    assert decision_rewards(0.0, [], "trajectory") == []
    assert decision_returns([0.1, 0.2, 0.5]) == pytest.approx([0.8, 0.7, 0.5])


def _turn(agent, prompt, output, nulled=False):
    return SimpleNamespace(agent=agent, prompt=prompt, output=output, nulled=nulled)


def test_prefix_format_includes_earlier_turns_and_skips_values_for_nulled_ones():
    turns = [_turn("a", "P1>", "x"), _turn("lazy", "z>", "", nulled=True), _turn("b", "hint x>", "y")]
    assert decision_prefixes(turns) == ["a> P1>", "a> P1>x\nlazy> z>\nb> hint x>"]


def test_critic_lr_param():
    assert critic_lr({}) == pytest.approx(1e-4)
    assert critic_lr({"lr": 0.01}) == pytest.approx(0.01)
    with pytest.raises(ValueError, match="no parameter 'gamma'"):
        critic_lr({"gamma": 0.9})
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        critic_lr({"lr": 0})


def test_critic_passes_and_normalize_params():
    assert critic_params({}) == {"lr": pytest.approx(1e-4), "passes": 2, "replay": 1, "normalize": "none"}
    assert critic_params({"passes": 8, "normalize": "standardize"})["passes"] == 8
    for bad, message in [
        ({"passes": 0}, "whole number from 1 to 64"),
        ({"passes": 2.5}, "whole number"),
        ({"normalize": "center"}, "one of none, standardize"),
    ]:
        with pytest.raises(ValueError, match=message):
            critic_params(bad)


def test_standardize_rescales_each_agents_td_errors_within_the_group():
    credits = [[0.0, 0.1, 0.5], [0.0, 0.3, -0.5]]
    out = normalise_per_agent(credits, [["w1", "w2", "lazy"], ["w1", "w2", "lazy"]])
    assert out[0][0] == 0.0 and out[1][0] == 0.0  # no spread: 0, not a division by zero
    assert out[0][1] == pytest.approx(-out[1][1]) and out[1][1] > 0  # the better w2 decision gets the plus sign
    assert abs(out[0][2]) == pytest.approx(1 / math.sqrt(2), rel=1e-4)  # mean 0, sample std 1


def test_the_learner_standardizes_per_task_group_only_when_asked():
    spec = ModelSpec("value", ModelSource("scratch", layers=1, hidden=16, heads=2, context=32), None)
    rollouts = [
        ([_turn("a", "p>", "x"), _turn("b", "q>", o)], r, [None, None])
        for o, r in [("y", 1.0), ("n", 0.0), ("y", 0.0), ("n", 1.0)]
    ]
    raw = CriticLearner(spec, 0.01, torch.device("cpu"), seed=3).credit_and_fit(rollouts, "trajectory")
    assert raw[0] == [0.0, 1.0]  # V ≡ 0 before training: the plain reward on the last decision
    learner = CriticLearner(spec, 0.01, torch.device("cpu"), seed=3, normalize="standardize", group=2)
    std = learner.credit_and_fit(rollouts, "trajectory")
    assert std[0][1] == pytest.approx(1 / math.sqrt(2), rel=1e-4) and std[1][1] == pytest.approx(-std[0][1])
    assert std[2][1] == pytest.approx(-std[0][1])  # the second group is standardised on its own


def test_char_tokenizer_description_reproduces_the_ids():
    tok = CharTokenizer()
    desc = char_tokenizer_description(tok, 16)
    text = "hint é~\n> A"
    rebuilt = [desc["alphabet"].index(c) + desc["offset"] if c in desc["alphabet"] else desc["unk_id"] for c in text]
    assert rebuilt == tok.encode(text)
    ids, mask = encode_batch(tok, ["x" * 20, "ab", ""], 16, "cpu")
    assert ids.shape == (3, 16) and mask.sum(1).tolist() == [16, 2, 1]  # left-truncated; empty = one pad
    assert ids[2, 0].item() == desc["pad_id"]


def test_the_critic_learns_values_that_separate_the_prefixes():
    torch.manual_seed(0)
    spec = ModelSpec("value", ModelSource("scratch", layers=1, hidden=32, heads=2, context=32), None)
    learner = CriticLearner(spec, 0.01, torch.device("cpu"), seed=3)
    assert learner.values(["card a>", "card b>"]) == [0.0, 0.0]  # zero head: V ≡ 0 before training
    texts, targets = ["card a>", "card b>"] * 16, [1.0, 0.0] * 16
    for _ in range(30):
        learner.fit(texts, targets)
    high, low = learner.values(["card a>", "card b>"])
    assert high > 0.8 and low < 0.2
    # a single decision's credit is the surprise the critic had left: R - V(h_0), h_0 in the transcript format
    (before,) = learner.values(["h> card a>"])
    (credit,) = learner.credit_and_fit([([_turn("h", "card a>", "x")], 1.0, [None])], "trajectory")
    assert credit[0] == pytest.approx(1.0 - before, abs=1e-6)
