"""The policy update: clipped policy-gradient (GRPO) loss on each decision's tokens, weighted by its credit, with
an optional k3 KL estimate to the reference, one optimizer per unit, gradient clipping, bf16 autocast on GPU."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import torch

from .dist import DistContext
from .logprobs import sequence_logprobs
from .models import Policy, Unit, autocast_for, trainable_parameters

MAX_GRAD_NORM = 1.0


@dataclass
class Decision:
    """One trainable decision: the agent's prompt and output tokens, the log-probs sampled with, its credit."""

    agent: str
    prompt_ids: list[int]
    token_ids: list[int]
    old_logprobs: list[float]
    credit: float
    temperature: float


@dataclass
class UpdateStats:
    loss: float
    kl: float
    tokens: int
    grad_norm: dict[str, float]  # per agent: norm of the gradient of that agent's share of the loss
    unit_grad_norm: dict[str, float]  # per unit, before clipping


def micro_batches(items: list[Decision], budget: int) -> list[list[Decision]]:
    """Decisions grouped, shortest first, so that each group's padded size (rows × (longest prompt + longest output),
    what the forward holds) stays within `budget` tokens; a decision longer than the budget goes alone."""
    ordered = sorted(items, key=lambda d: len(d.prompt_ids) + len(d.token_ids))
    groups: list[list[Decision]] = []
    current: list[Decision] = []
    width_p = width_o = 0
    for d in ordered:
        wp, wo = max(width_p, len(d.prompt_ids)), max(width_o, len(d.token_ids))
        if current and (len(current) + 1) * (wp + wo) > budget:
            groups.append(current)
            current, wp, wo = [], len(d.prompt_ids), len(d.token_ids)
        current.append(d)
        width_p, width_o = wp, wo
    if current:
        groups.append(current)
    return groups


def _micro_batch_loss(policy: Policy, items: list[Decision], clip: float, kl_coef: float, total_tokens: int, device):
    """The summed loss of some decisions of one agent, divided by the step's global token count (so the losses of
    all micro-batches add up to the one-batch loss), and their summed k3 KL."""
    prompts, outputs = [d.prompt_ids for d in items], [d.token_ids for d in items]
    pad_id, temperature = policy.tokenizer.pad_id, items[0].temperature
    ref_logp = None
    if kl_coef > 0:  # first, under no_grad: the reference's activations are freed before the policy's are built
        with torch.no_grad(), policy.reference_model() as ref, autocast_for(device):
            ref_logp, _ = sequence_logprobs(ref, prompts, outputs, temperature, pad_id, device)
    model = policy.activate()
    with autocast_for(device):
        new_logp, mask = sequence_logprobs(model, prompts, outputs, temperature, pad_id, device)
    old = torch.zeros_like(new_logp)
    for i, d in enumerate(items):
        old[i, : len(d.old_logprobs)] = torch.tensor(d.old_logprobs, device=device)
    credit = torch.tensor([d.credit for d in items], device=device)[:, None]
    ratio = torch.exp(new_logp - old)
    surrogate = torch.minimum(ratio * credit, torch.clamp(ratio, 1 - clip, 1 + clip) * credit)
    per_token = -surrogate
    kl = torch.zeros((), device=device)
    if ref_logp is not None:
        log_ratio = ref_logp - new_logp
        k3 = torch.exp(log_ratio) - log_ratio - 1  # unbiased, non-negative KL estimate (Schulman's k3)
        per_token = per_token + kl_coef * k3
        kl = (k3 * mask).sum()
    # Token-mean over the whole batch (every agent), so agents with longer outputs weigh by their tokens.
    return (per_token * mask).sum() / total_tokens, kl


def trained_decisions(decisions: list[Decision], agent: str, kl_coef: float) -> list[Decision]:
    """The agent's decisions that need a forward. A credit of exactly 0 (every reward of its GRPO group equal) makes
    the policy-gradient term 0 with a 0 gradient, so without KL such a decision is skipped. With KL it is kept: the
    k3 term still pulls its tokens towards the reference."""
    return [d for d in decisions if d.agent == agent and d.token_ids and (kl_coef > 0 or d.credit != 0)]


def update(
    units: list[Unit],
    policies: dict[str, Policy],
    optimizers: dict,
    schedulers: dict,
    decisions: list[Decision],
    clip: float,
    kl_coef: float,
    device,
    dist_ctx: DistContext | None = None,
    micro_batch_tokens: int | None = None,
) -> UpdateStats:
    """One optimizer step per unit. `micro_batch_tokens`: the padded tokens of one forward (micro_batches); each
    agent's micro-batches accumulate their gradients, which equal the one-batch gradient. None: one micro-batch."""
    dist_ctx = dist_ctx or DistContext()
    # Normalise by the global token count so the summed per-process gradients equal one process's gradient.
    total_tokens = max(1, int(dist_ctx.sum(float(sum(len(d.token_ids) for d in decisions)))))
    loss_sum, kl_sum, grad_norm, unit_norm = 0.0, 0.0, {}, {}
    for unit in units:
        params = trainable_parameters(unit)
        unit.module.train()
        # Each agent's gradient is computed (and all-reduced) alone, so its norm can be reported, then summed.
        accumulated = [torch.zeros_like(p) for p in params]
        for agent in unit.agents:
            optimizers[unit.name].zero_grad(set_to_none=True)
            items = trained_decisions(decisions, agent, kl_coef)
            for part in micro_batches(items, micro_batch_tokens or sys.maxsize):
                loss, kl = _micro_batch_loss(policies[agent], part, clip, kl_coef, total_tokens, device)
                loss.backward()
                loss_sum += float(loss.detach())
                kl_sum += float(kl.detach())
            norm_sq = 0.0
            for p, acc in zip(params, accumulated):
                grad = p.grad if p.grad is not None else torch.zeros_like(p)
                dist_ctx.all_reduce_(grad)
                norm_sq += float(grad.float().pow(2).sum())
                acc.add_(grad)
            grad_norm[agent] = norm_sq**0.5
        for p, acc in zip(params, accumulated):
            p.grad = acc
        unit_norm[unit.name] = float(torch.nn.utils.clip_grad_norm_(params, MAX_GRAD_NORM))
        optimizers[unit.name].step()
        schedulers[unit.name].step()
        unit.module.eval()
    loss_sum, kl_sum = dist_ctx.sum(loss_sum), dist_ctx.sum(kl_sum)
    return UpdateStats(loss_sum, kl_sum / total_tokens, total_tokens, grad_norm, unit_norm)
