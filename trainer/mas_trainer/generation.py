"""Batched sampling with a KV cache and per-token log-probabilities (the update's log-prob forward: logprobs.py).

Own loop rather than `generate()` so each row samples from its own torch.Generator, seeded from (seed, step,
rollout, turn): a rollout's tokens do not depend on how rollouts are batched or split across processes, resume
needs no sampler state, and the recorded log-probs are those of the distribution actually sampled from.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F


@dataclass
class Sample:
    prompt_ids: list[int]  # after truncation to the context, as the model saw them
    token_ids: list[int]
    logprobs: list[float]
    text: str


def row_generator(*key: int) -> torch.Generator:
    """A generator seeded from integers (seed, step, rollout, turn), independent of batching."""
    seed = 0
    for k in key:
        seed = (seed * 1_000_003 + int(k) + 1) % (2**63 - 1)
    return torch.Generator().manual_seed(seed)


def _left_pad(seqs: list[list[int]], pad_id: int, device) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for i, s in enumerate(seqs):
        if s:
            ids[i, width - len(s) :] = torch.tensor(s)
            mask[i, width - len(s) :] = 1
    return ids.to(device), mask.to(device)


@torch.no_grad()
def sample(
    model,
    tokenizer,
    prompts: list[str],
    max_tokens: int,
    temperature: float,
    stop: str | None,
    generators: list[torch.Generator],
    context: int,
    device,
) -> list[Sample]:
    """Samples one continuation per prompt; stops at eos, at `stop` (kept in the output) or at max_tokens."""
    budget = max(1, context - max_tokens)
    # An empty prompt still needs one position to predict from: start from eos.
    seqs = [(tokenizer.encode(p) or [tokenizer.eos_id])[-budget:] for p in prompts]
    ids, mask = _left_pad(seqs, tokenizer.pad_id, device)
    positions = (mask.cumsum(-1) - 1).clamp(min=0)
    out = model(input_ids=ids, attention_mask=mask, position_ids=positions, use_cache=True)
    past, logits = out.past_key_values, out.logits[:, -1, :].float()
    n = len(prompts)
    tokens: list[list[int]] = [[] for _ in range(n)]
    logprobs: list[list[float]] = [[] for _ in range(n)]
    done = [False] * n
    next_pos = positions[:, -1:] + 1
    for _ in range(max_tokens):
        if temperature > 0:
            logp = F.log_softmax(logits / temperature, dim=-1)
            probs = logp.exp().cpu()
            chosen = torch.cat([torch.multinomial(probs[i], 1, generator=generators[i]) for i in range(n)]).to(device)
        else:
            logp = F.log_softmax(logits, dim=-1)
            chosen = logp.argmax(-1)
        chosen_logp = logp.gather(1, chosen[:, None]).squeeze(1)
        for i in range(n):
            if done[i]:
                continue
            tokens[i].append(int(chosen[i]))
            logprobs[i].append(float(chosen_logp[i]))
            if int(chosen[i]) == tokenizer.eos_id or (stop and stop in tokenizer.decode(tokens[i])):
                done[i] = True
        if all(done):
            break
        mask = torch.cat([mask, torch.ones((n, 1), dtype=mask.dtype, device=device)], dim=1)
        out = model(
            input_ids=chosen[:, None], attention_mask=mask, position_ids=next_pos, past_key_values=past, use_cache=True
        )
        past, logits = out.past_key_values, out.logits[:, -1, :].float()
        next_pos = next_pos + 1
    return [Sample(s, t, lp, tokenizer.decode(t)) for s, t, lp in zip(seqs, tokens, logprobs)]
