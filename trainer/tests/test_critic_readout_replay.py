"""The critic's summed readout (a turn's TD credit is the sum over its own tokens) and its replay window."""

import random
import statistics
import string

import pytest
import torch

from mas_trainer.critic.learner import CriticLearner, critic_params
from mas_trainer.critic.model import encode_batch
from mas_trainer.spec import ModelSource, ModelSpec


def _spec(hidden: int = 32, context: int = 32) -> ModelSpec:
    return ModelSpec("value", ModelSource("scratch", layers=1, hidden=hidden, heads=2, context=context), None)


def _xor_sample(rng: random.Random) -> tuple[str, float]:
    """One lazy-team worker: the output's case must match the bit two tokens before it; read 9 tokens later."""
    bit, out = rng.choice("lu"), rng.choice(string.printable[:95])
    right = (bit == "l" and out.islower()) or (bit == "u" and out.isupper())
    return f"w1> 1{bit}>{out}\nlazy> z>", float(right)


def _lazy2_sample(rng: random.Random) -> tuple[str, float]:
    """A whole lazy-2 transcript (two workers, each half of the reward) with uniformly random outputs."""
    first, second = _xor_sample(rng), _xor_sample(rng)
    text = first[0].replace("\nlazy> z>", "\n") + second[0].replace("w1> 1", "w2> 2")
    return text, 0.5 * first[1] + 0.5 * second[1]


def test_a_prefix_value_is_the_running_sum_of_its_tokens_terms():
    learner = CriticLearner(_spec(), 0.01, torch.device("cpu"), seed=5)
    torch.nn.init.normal_(learner.module.head.weight, std=0.5)  # a trained-looking, non-zero head
    text = "w1> 1l>x\nw2> 2u>Q\n"
    ids, mask = encode_batch(learner.tokenizer, [text], 32, "cpu")
    with torch.no_grad():
        hidden = learner.module.backbone(input_ids=ids, attention_mask=mask).last_hidden_state
        terms = learner.module.head(hidden).squeeze(-1)[0]
    prefixes = [text[:k] for k in range(1, len(text) + 1)]
    values = learner.values(prefixes)
    running = torch.cumsum(terms, 0).tolist()
    assert values == pytest.approx(running, abs=1e-5)  # causal: appending text never changes earlier terms
    assert values[-1] - values[8] == pytest.approx(sum(terms[9:].tolist()), abs=1e-5)


def test_the_summed_readout_learns_the_lazy_teams_value():
    # Held-out MSE against the best constant's after 30 epochs over 512 random lazy-2 transcripts: 0.05 x here; the
    # last-token readout this replaced stays at about 1.0 x (it has to gather both workers' bits and outputs at one
    # position).
    rng = random.Random(0)
    train, held_out = [_lazy2_sample(rng) for _ in range(512)], [_lazy2_sample(rng) for _ in range(200)]
    learner = CriticLearner(_spec(), 0.003, torch.device("cpu"), seed=1, passes=1)
    for _ in range(30):
        learner.fit([t for t, _ in train], [y for _, y in train])
    targets = [y for _, y in held_out]
    mean = statistics.fmean(targets)
    constant = statistics.fmean((mean - y) ** 2 for y in targets)
    mse = statistics.fmean((v - y) ** 2 for v, y in zip(learner.values([t for t, _ in held_out]), targets))
    assert mse < 0.3 * constant


def test_replay_is_checked():
    assert critic_params({"replay": 16})["replay"] == 16
    for bad in (0, 65, 2.0, True, "4"):
        with pytest.raises(ValueError, match="`replay` must be a whole number from 1 to 64"):
            critic_params({"replay": bad})


def _turn(agent: str, prompt: str, output: str):
    from types import SimpleNamespace

    return SimpleNamespace(agent=agent, prompt=prompt, output=output, nulled=False)


def test_the_replay_window_keeps_the_last_steps_and_survives_a_checkpoint(monkeypatch):
    learner = CriticLearner(_spec(16), 0.01, torch.device("cpu"), seed=3, replay=2)
    fitted: list[int] = []
    original = learner.fit
    monkeypatch.setattr(learner, "fit", lambda texts, targets: fitted.append(len(texts)) or original(texts, targets))
    steps = [[([_turn("a", "p>", o)], r, [None])] for o, r in [("x", 1.0), ("y", 0.0), ("z", 1.0)]]
    for rollouts in steps:
        learner.credit_and_fit(rollouts, "trajectory")
    assert fitted == [1, 2, 2]  # one prefix per step; the window holds two steps
    assert [texts for texts, _ in learner.history] == [["a> p>"], ["a> p>"]]
    assert [targets for _, targets in learner.history] == [[0.0], [1.0]]  # steps 2 and 3, oldest first

    resumed = CriticLearner(_spec(16), 0.01, torch.device("cpu"), seed=3, replay=2)
    resumed.load_state_dict(learner.state_dict())
    assert resumed.history == learner.history
    old_format = {k: v for k, v in learner.state_dict().items() if k != "history"}
    resumed.load_state_dict(old_format)  # a checkpoint written before `replay` existed
    assert resumed.history == []
