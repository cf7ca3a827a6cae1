"""Micro-batches with gradient accumulation (update.py): the same gradient and per-agent norms as one batch, and
decisions with a credit of exactly 0 skipped when there is no KL term."""

import pytest
import torch
from helpers import lazy_team_data

import mas_trainer.update as update_module
from mas_trainer.models import build_policies, trainable_parameters
from mas_trainer.spec import parse_spec
from mas_trainer.update import Decision, micro_batches, update

LORA = {"kind": "lora", "rank": 4, "alpha": 8, "dropout": 0.0}


def _build(sharing, adapter, kl):
    data = lazy_team_data()
    data["models"][0]["adapter"] = adapter
    for agent, mode in zip(data["agents"], sharing):
        agent["sharing"] = mode
    torch.manual_seed(0)
    policies, units = build_policies(parse_spec(data), torch.device("cpu"), need_reference=kl > 0)
    with torch.no_grad():  # move the policy away from the reference (and LoRA B away from 0)
        gen = torch.Generator().manual_seed(1)
        for p in trainable_parameters(units[0]):
            p.add_(0.05 * torch.randn(p.shape, generator=gen))
    return policies, units


def _decisions(credits=(0.7, -1.2, 0.4, 1.5, -0.3, 0.9)):
    gen = torch.Generator().manual_seed(2)
    out = []
    for i, credit in enumerate(credits):
        prompt = torch.randint(3, 60, (3 + 4 * i % 9,), generator=gen).tolist()
        tokens = torch.randint(3, 60, (1 + i % 4,), generator=gen).tolist()
        old = (-4.0 + 0.3 * torch.randn(len(tokens), generator=gen)).tolist()  # ratios away from 1: some clip
        out.append(Decision("first" if i % 2 == 0 else "second", prompt, tokens, old, credit, 1.0))
    return out


def _run(sharing, adapter, kl, budget, decisions, monkeypatch):
    monkeypatch.setattr(update_module, "MAX_GRAD_NORM", 1e9)  # compare the raw accumulated gradients
    policies, units = _build(sharing, adapter, kl)
    unit = units[0]
    opt = {unit.name: torch.optim.SGD(trainable_parameters(unit), lr=0.0)}
    sched = {unit.name: torch.optim.lr_scheduler.LambdaLR(opt[unit.name], lambda s: 1.0)}
    stats = update(units, policies, opt, sched, decisions, 0.2, kl, "cpu", micro_batch_tokens=budget)
    grads = [p.grad.clone() for p in trainable_parameters(unit) if p.grad is not None]
    return stats, grads


@pytest.mark.parametrize("kl", [0.0, 0.1], ids=["no-kl", "kl"])
@pytest.mark.parametrize(
    "sharing,adapter", [(["shared"] * 3, None), (["adapter"] * 3, LORA)], ids=["shared-full", "adapters"]
)
def test_accumulated_micro_batches_give_the_one_batch_gradient(sharing, adapter, kl, monkeypatch):
    decisions = _decisions()
    budget = 24
    assert len(micro_batches([d for d in decisions if d.agent == "first"], budget)) >= 2  # several micro-batches
    one, one_grads = _run(sharing, adapter, kl, None, decisions, monkeypatch)
    many, many_grads = _run(sharing, adapter, kl, budget, decisions, monkeypatch)
    assert len(one_grads) == len(many_grads) > 0
    for a, b in zip(one_grads, many_grads):
        assert torch.allclose(a, b, atol=1e-6, rtol=0), (a - b).abs().max()
    assert one.grad_norm.keys() == many.grad_norm.keys() == {"first", "idle", "second"}
    for agent in one.grad_norm:
        assert abs(one.grad_norm[agent] - many.grad_norm[agent]) <= 1e-6
    assert one.grad_norm["first"] > 0 and one.grad_norm["second"] > 0
    assert abs(one.loss - many.loss) <= 1e-6 and abs(one.kl - many.kl) <= 1e-7 and one.tokens == many.tokens
    assert (one.kl > 0) == (kl > 0)


def test_micro_batches_stay_within_the_budget_and_keep_every_decision():
    decisions = _decisions()
    for budget in (1, 10, 24, 1000):
        groups = micro_batches(decisions, budget)
        assert sorted(id(d) for g in groups for d in g) == sorted(id(d) for d in decisions)
        for g in groups:
            padded = len(g) * (max(len(d.prompt_ids) for d in g) + max(len(d.token_ids) for d in g))
            assert len(g) == 1 or padded <= budget
    assert len(micro_batches(decisions, 1)) == len(decisions)  # a decision longer than the budget goes alone
    assert len(micro_batches(decisions, 10**6)) == 1


def _rows_through_head(units, policies, decisions, kl, monkeypatch):
    seen: list[int] = []
    head = units[0].module.get_output_embeddings()
    handle = head.register_forward_hook(lambda _m, args, _out: seen.append(args[0].shape[0]))
    try:
        _, grads = _run_built(units, policies, decisions, kl, monkeypatch)
    finally:
        handle.remove()
    return sum(seen), grads


def _run_built(units, policies, decisions, kl, monkeypatch):
    monkeypatch.setattr(update_module, "MAX_GRAD_NORM", 1e9)
    unit = units[0]
    opt = {unit.name: torch.optim.SGD(trainable_parameters(unit), lr=0.0)}
    sched = {unit.name: torch.optim.lr_scheduler.LambdaLR(opt[unit.name], lambda s: 1.0)}
    stats = update(units, policies, opt, sched, decisions, 0.2, kl, "cpu")
    return stats, [p.grad.clone() for p in trainable_parameters(unit) if p.grad is not None]


def _direct_gradient(units, policies, decisions, kl):
    """Every decision forwarded, zero credits included, with the update's own loss: the gradient skipping must keep."""
    unit = units[0]
    params = trainable_parameters(unit)
    total = sum(len(d.token_ids) for d in decisions)
    unit.module.train()
    for p in params:
        p.grad = None
    for agent in ("first", "second"):
        items = [d for d in decisions if d.agent == agent]
        loss, _ = update_module._micro_batch_loss(policies[agent], items, 0.2, kl, total, "cpu")
        loss.backward()
    unit.module.eval()
    return [p.grad.clone() if p.grad is not None else torch.zeros_like(p) for p in params]


@pytest.mark.parametrize("kl", [0.0, 0.1], ids=["no-kl", "kl"])
def test_zero_credit_decisions_are_skipped_without_kl_and_the_gradient_is_unchanged(kl, monkeypatch):
    decisions = _decisions(credits=(0.0, -1.2, 0.0, 1.5, 0.0, 0.0))
    policies, units = _build(["shared"] * 3, None, kl)
    expected = _direct_gradient(units, policies, decisions, kl)
    rows, grads = _rows_through_head(units, policies, decisions, kl, monkeypatch)
    nonzero = sum(1 for d in decisions if d.credit != 0)
    # without KL only the credited decisions reach the policy's head; with KL every decision does (the reference of
    # a full-weight unit is its own frozen copy, with its own head)
    assert rows == (nonzero if kl == 0 else len(decisions))
    assert len(grads) == len(expected)
    for a, b in zip(grads, expected):
        assert torch.allclose(a, b, atol=1e-6, rtol=0)
