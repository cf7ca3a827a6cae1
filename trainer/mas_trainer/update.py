"""The policy update: clipped policy-gradient (GRPO) loss on each decision's tokens, weighted by its credit, with
an optional k3 KL estimate to the reference, one optimizer per unit, gradient clipping, bf16 autocast on GPU."""

from __future__ import annotations

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


def _agent_loss(policy: Policy, items: list[Decision], clip: float, kl_coef: float, total_tokens: int, device):
    model = policy.activate()
    with autocast_for(device):
        new_logp, mask = sequence_logprobs(
            model,
            [d.prompt_ids for d in items],
            [d.token_ids for d in items],
            items[0].temperature,
            policy.tokenizer.pad_id,
            device,
        )
    old = torch.zeros_like(new_logp)
    for i, d in enumerate(items):
        old[i, : len(d.old_logprobs)] = torch.tensor(d.old_logprobs, device=device)
    credit = torch.tensor([d.credit for d in items], device=device)[:, None]
    ratio = torch.exp(new_logp - old)
    surrogate = torch.minimum(ratio * credit, torch.clamp(ratio, 1 - clip, 1 + clip) * credit)
    per_token = -surrogate
    kl = torch.zeros((), device=device)
    if kl_coef > 0:
        with torch.no_grad(), policy.reference_model() as ref, autocast_for(device):
            ref_logp, _ = sequence_logprobs(
                ref,
                [d.prompt_ids for d in items],
                [d.token_ids for d in items],
                items[0].temperature,
                policy.tokenizer.pad_id,
                device,
            )
        log_ratio = ref_logp - new_logp
        k3 = torch.exp(log_ratio) - log_ratio - 1  # unbiased, non-negative KL estimate (Schulman's k3)
        per_token = per_token + kl_coef * k3
        kl = (k3 * mask).sum()
    # Token-mean over the whole batch (every agent), so agents with longer outputs weigh by their tokens.
    return (per_token * mask).sum() / total_tokens, kl


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
) -> UpdateStats:
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
            items = [d for d in decisions if d.agent == agent and d.token_ids]
            if items:
                loss, kl = _agent_loss(policies[agent], items, clip, kl_coef, total_tokens, device)
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
