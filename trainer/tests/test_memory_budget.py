"""`train { micro_batch_tokens }`: checked in the spec, defaulted from the device's memory, recorded in run.json and
metrics.jsonl with `frac_zero_std`, and honoured by the critic's forwards with the same gradient."""

import json
import types

import pytest
import torch
from helpers import lazy_team, lazy_team_data

from mas_trainer import memory_budget
from mas_trainer.critic.learner import CriticLearner
from mas_trainer.critic.model import encode_texts
from mas_trainer.memory_budget import default_micro_batch_tokens, resolve_micro_batch_tokens, token_budget_groups
from mas_trainer.metrics import frac_zero_std
from mas_trainer.rundir import read_records
from mas_trainer.spec import ModelSource, ModelSpec, SpecError, parse_spec
from mas_trainer.trainer import RunOptions, Trainer


@pytest.mark.parametrize("bad", [0, -5, 2.5, "4096", True])
def test_the_spec_refuses_a_budget_that_is_not_a_positive_whole_number(bad):
    data = lazy_team_data()
    data["train"]["micro_batch_tokens"] = bad
    with pytest.raises(SpecError, match="micro_batch_tokens"):
        parse_spec(data)


def test_the_spec_takes_a_budget_or_none():
    assert lazy_team().train.micro_batch_tokens is None
    assert lazy_team(micro_batch_tokens=512).train.micro_batch_tokens == 512


def test_the_default_budget_follows_the_device_memory(monkeypatch):
    assert default_micro_batch_tokens(torch.device("cpu")) == memory_budget.CPU_MICRO_BATCH_TOKENS
    props = {"total": 80 * 2**30}
    monkeypatch.setattr(
        torch.cuda, "get_device_properties", lambda _device: types.SimpleNamespace(total_memory=props["total"])
    )
    assert default_micro_batch_tokens(torch.device("cuda")) == 80 * memory_budget.CUDA_TOKENS_PER_GIB
    props["total"] = 2 * 2**30  # a small card still gets the floor
    assert default_micro_batch_tokens(torch.device("cuda")) == memory_budget.MIN_CUDA_MICRO_BATCH_TOKENS
    assert resolve_micro_batch_tokens(300, torch.device("cuda")) == 300


def test_token_budget_groups_keep_order_and_budget():
    lengths = [3, 9, 2, 2, 20, 1]
    groups = token_budget_groups(lengths, 10)
    assert [i for g in groups for i in g] == list(range(len(lengths)))
    assert all(len(g) == 1 or len(g) * max(lengths[i] for i in g) <= 10 for g in groups)
    assert token_budget_groups(lengths, None) == [list(range(len(lengths)))]
    assert token_budget_groups([], 10) == []


def test_frac_zero_std_is_the_share_of_groups_with_equal_rewards():
    assert frac_zero_std([1.0, 1.0, 0.0, 1.0, 0.5, 0.5], 2) == pytest.approx(2 / 3)
    assert frac_zero_std([0.0, 0.0, 0.0, 0.0], 4) == 1.0
    assert frac_zero_std([0.0, 1.0, 2.0, 3.0], 2) == 0.0
    assert frac_zero_std([1.0, 2.0], 1) == 1.0  # a group of one has no spread
    assert frac_zero_std([], 8) == 0.0


def test_a_run_records_frac_zero_std_and_the_budget_it_used(tmp_path):
    spec = lazy_team(steps=1, batch=2, checkpoint_every=1, micro_batch_tokens=64)
    spec.train.algorithm.group = 2
    Trainer(spec, RunOptions(str(tmp_path))).run()
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["trainer"]["micro_batch_tokens"] == 64
    (record,) = read_records(str(tmp_path / "metrics.jsonl"))
    assert record["micro_batch_tokens"] == 64
    rewards = [r["reward"] for r in read_records(str(tmp_path / "trajectories" / "1.jsonl"))]
    assert record["frac_zero_std"] == pytest.approx(frac_zero_std(rewards, 2))


def test_a_run_without_a_budget_records_the_device_default(tmp_path):
    spec = lazy_team(steps=1, batch=1, checkpoint_every=1)
    spec.train.algorithm.group = 2
    Trainer(spec, RunOptions(str(tmp_path))).run()
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["trainer"]["micro_batch_tokens"] == memory_budget.CPU_MICRO_BATCH_TOKENS
    assert run["spec"]["train"]["micro_batch_tokens"] is None


def test_the_critic_gradient_is_the_same_in_micro_batches():
    spec = ModelSpec("value", ModelSource("scratch", layers=1, hidden=16, heads=2, context=64), None)
    texts = ["a>" + "x" * n for n in (3, 17, 8, 30, 1, 12)]
    targets = [0.5, -1.0, 2.0, 0.0, 1.5, -0.3]
    grads = []
    for budget in (None, 40):
        learner = CriticLearner(spec, 0.01, torch.device("cpu"), seed=3, micro_batch_tokens=budget)
        with torch.no_grad():  # away from the zero-initialised head, so every parameter has a gradient
            gen = torch.Generator().manual_seed(0)
            for p in learner.module.parameters():
                p.add_(0.1 * torch.randn(p.shape, generator=gen))
        seqs = encode_texts(learner.tokenizer, texts, learner.max_length)
        if budget is not None:
            assert len(token_budget_groups([len(s) for s in seqs], budget)) >= 3
        loss = learner.accumulate_gradient(seqs, targets)
        grads.append((loss, [p.grad.clone() for p in learner.module.parameters() if p.grad is not None]))
        values = learner.values(texts)
        assert len(values) == len(texts)
    (loss_one, one), (loss_many, many) = grads
    assert loss_one == pytest.approx(loss_many, abs=1e-6) and len(one) == len(many) > 0
    for a, b in zip(one, many):  # gradients up to ~12 here: equal to float32 rounding (relative 1e-6)
        assert torch.allclose(a, b, atol=1e-6, rtol=1e-6)
