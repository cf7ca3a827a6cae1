"""Batched sampling with a KV cache and per-token log-probabilities (the update's log-prob forward: logprobs.py).

Own loop rather than `generate()`: each row draws from counter-based noise keyed by (seed, step, rollout, turn,
token index) (token_sampling.py), so a rollout's tokens do not depend on how rollouts are batched or split across
processes and resume needs no sampler state; the distribution never leaves the device (one device->host copy per
token of the chosen ids and their log-probs, for all rows); rows of different adapters on one base share a forward.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Optional, Sequence, Union

import torch

from .token_sampling import choose_tokens, row_uniforms

STOP_TAIL_MARGIN = 8  # characters decoded beyond a stop string and the last token when checking the tail


@dataclass
class Sample:
    prompt_ids: list[int]  # after truncation to the context, as the model saw them
    token_ids: list[int]
    logprobs: list[float]
    text: str


@dataclass(frozen=True)
class SamplingParams:
    """How one row samples: an agent's settings. top_k 0 and top_p 1 are off; temperature 0 is greedy."""

    max_tokens: int
    temperature: float = 1.0
    top_p: float = 1.0
    top_k: int = 0
    stop: Optional[str] = None


def sampling_params(agent) -> SamplingParams:
    """An AgentSpec's sampling settings."""
    return SamplingParams(agent.max_tokens, agent.temperature, agent.top_p, agent.top_k, agent.stop)


def row_key(*key: int) -> int:
    """A row's noise key from integers (seed, step, rollout, turn), independent of batching (a 63-bit int)."""
    seed = 0
    for k in key:
        seed = (seed * 1_000_003 + int(k) + 1) % (2**63 - 1)
    return seed


def _left_pad(seqs: list[list[int]], pad_id: int, device) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for i, s in enumerate(seqs):
        if s:
            ids[i, width - len(s) :] = torch.tensor(s)
            mask[i, width - len(s) :] = 1
    return ids.to(device), mask.to(device)


def _stopped(tokenizer, tokens: list[int], stop: str) -> bool:
    """Whether `stop` ends the output. Earlier tokens were checked when they came, so a new occurrence ends in the
    last token: only a tail long enough to hold it before that token's text is decoded (widened when tokens decode
    to nothing, e.g. special tokens), never the whole output."""
    need = len(stop) + len(tokenizer.decode(tokens[-1:])) + STOP_TAIL_MARGIN
    width = len(stop) + STOP_TAIL_MARGIN
    while True:
        tail = tokenizer.decode(tokens[-width:])
        if len(tail) >= need or width >= len(tokens):
            return stop in tail
        width *= 2


def _last_position_only(model) -> dict:
    """`logits_to_keep=1` where the model's forward takes it (transformers' causal LMs do; peft passes it through),
    so the prefill computes logits at the last position only; nothing for a model that does not know it."""
    inner = model.get_base_model() if hasattr(model, "get_base_model") else model
    return {"logits_to_keep": 1} if "logits_to_keep" in inspect.signature(inner.forward).parameters else {}


class _Batch:
    """The live rows of a sampling loop: per-row tensors on the device, kept aligned when finished rows leave."""

    def __init__(self, rows: list[int], params: list[SamplingParams], keys: list[int], adapters, device) -> None:
        n_tokens = max(p.max_tokens for p in params)
        self.rows = rows
        self.params = params
        self.temperature = torch.tensor([p.temperature for p in params], dtype=torch.float32, device=device)
        self.top_p = torch.tensor([p.top_p for p in params], dtype=torch.float32, device=device)
        self.top_k = torch.tensor([p.top_k for p in params], dtype=torch.long, device=device)
        self.noise = row_uniforms(torch.tensor(keys, dtype=torch.int64, device=device), n_tokens)
        self.adapters = adapters

    def keep(self, live: list[int], device) -> None:
        index = torch.tensor(live, dtype=torch.long, device=device)
        self.rows = [self.rows[i] for i in live]
        self.params = [self.params[i] for i in live]
        self.temperature, self.top_p, self.top_k = self.temperature[index], self.top_p[index], self.top_k[index]
        self.noise = self.noise[index]
        if self.adapters is not None:
            self.adapters = [self.adapters[i] for i in live]

    def choose(self, logits: torch.Tensor, step: int) -> tuple[torch.Tensor, torch.Tensor]:
        # top-k / top-p flags from the host-side params: no device sync to find out whether any row restricts
        k_max = max(p.top_k for p in self.params)
        nucleus = any(p.top_p < 1 for p in self.params)
        return choose_tokens(
            logits, self.temperature, self.top_k, self.top_p, self.noise[:, step], k_max=k_max, nucleus=nucleus
        )

    def forward_kwargs(self) -> dict:
        return {} if self.adapters is None else {"adapter_names": list(self.adapters)}


@torch.no_grad()
def sample(
    model,
    tokenizer,
    prompts: Sequence[Union[str, list[int]]],
    params: Union[SamplingParams, Sequence[SamplingParams]],
    keys: Sequence[int],
    context: int,
    device,
    adapter_names: Optional[Sequence[str]] = None,
) -> list[Sample]:
    """Samples one continuation per prompt (text, or token ids already rendered); a row stops at eos, at its `stop`
    (kept in the output) or at its max_tokens.

    `keys` (row_key) seed each row's noise; `params` is one SamplingParams for all rows or one per row;
    `adapter_names` (peft LoRA, model in eval mode) runs rows of different adapters on one base in the same forward.
    Log-probs are those of the full tempered distribution softmax(logits / T) (top-k / top-p ignored), which is what
    the update recomputes; greedy rows (T = 0) record softmax(logits). The prefill computes logits at the last
    position only; finished rows leave the batch when a quarter of it has finished.
    """
    n = len(prompts)
    if n == 0:
        return []
    per_row = [params] * n if isinstance(params, SamplingParams) else list(params)
    if len(per_row) != n or len(keys) != n or (adapter_names is not None and len(adapter_names) != n):
        raise ValueError("sample: prompts, params, keys and adapter_names must have one entry per row")
    seqs = []
    for prompt, p in zip(prompts, per_row):
        ids = tokenizer.encode(prompt) if isinstance(prompt, str) else list(prompt)
        # An empty prompt still needs one position to predict from: start from eos.
        seqs.append((ids or [tokenizer.eos_id])[-max(1, context - p.max_tokens) :])
    batch = _Batch(list(range(n)), per_row, list(keys), None if adapter_names is None else list(adapter_names), device)
    ids, mask = _left_pad(seqs, tokenizer.pad_id, device)
    positions = (mask.cumsum(-1) - 1).clamp(min=0)
    out = model(
        input_ids=ids,
        attention_mask=mask,
        position_ids=positions,
        use_cache=True,
        **_last_position_only(model),
        **batch.forward_kwargs(),
    )
    past, logits = out.past_key_values, out.logits[:, -1, :]
    tokens: list[list[int]] = [[] for _ in range(n)]
    logprobs: list[list[float]] = [[] for _ in range(n)]
    done = [False] * n
    next_pos = positions[:, -1:] + 1
    for step in range(max(p.max_tokens for p in per_row)):
        chosen, chosen_logp = batch.choose(logits, step)
        # The one device->host copy of the step: ids (exact in float64) and log-probs of every live row.
        picked = torch.stack([chosen.to(torch.float64), chosen_logp.to(torch.float64)]).cpu().tolist()
        for row, token, logp in zip(batch.rows, picked[0], picked[1]):
            if done[row]:  # finished, still in the batch until enough rows finish to compact it
                continue
            tokens[row].append(int(token))
            logprobs[row].append(logp)
            stop = per_row[row].stop
            done[row] = (
                int(token) == tokenizer.eos_id
                or len(tokens[row]) >= per_row[row].max_tokens
                or (stop is not None and stop != "" and _stopped(tokenizer, tokens[row], stop))
            )
        live = [j for j, row in enumerate(batch.rows) if not done[row]]
        if not live:
            break
        mask = torch.cat([mask, torch.ones((mask.shape[0], 1), dtype=mask.dtype, device=device)], dim=1)
        if len(live) < len(batch.rows) and 4 * (len(batch.rows) - len(live)) >= len(batch.rows):
            if hasattr(past, "batch_select_indices"):  # drop finished rows from the cache and every row tensor
                index = torch.tensor(live, dtype=torch.long, device=device)
                past.batch_select_indices(index)
                mask, next_pos, chosen = mask[index], next_pos[index], chosen[index]
                batch.keep(live, device)
        out = model(
            input_ids=chosen[:, None],
            attention_mask=mask,
            position_ids=next_pos,
            past_key_values=past,
            use_cache=True,
            **batch.forward_kwargs(),
        )
        past, logits = out.past_key_values, out.logits[:, -1, :]
        next_pos = next_pos + 1
    return [Sample(s, t, lp, tokenizer.decode(t)) for s, t, lp in zip(seqs, tokens, logprobs)]
