"""Choosing the next token on the device: counter-based noise, top-k / nucleus masks, inverse-CDF sampling.

The noise of a row is a pure function of (row key, token index) — a splitmix64 hash computed with int64 tensor ops —
so a row's tokens do not depend on which rows share its batch, on the process (DDP) or on anything a resume has to
restore. One uniform per row and token suffices for inverse-CDF sampling (Gumbel-max would hash every vocabulary
entry: 151k hashes per row and token on a real vocabulary); the token is the first whose cumulative probability, in
vocabulary order, exceeds it. Vocabulary order (never a sorted order) keeps a row's draw the same whether or not
other rows in the batch use top-k / top-p.
"""

from __future__ import annotations

import torch

_U64 = 1 << 64


def _signed(c: int) -> int:
    """A uint64 constant as the int64 with the same bits (torch has no uint64 arithmetic)."""
    return c - _U64 if c >= 1 << 63 else c


_GOLDEN, _MIX1, _MIX2 = (_signed(c) for c in (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB))


def _shr(x: torch.Tensor, s: int) -> torch.Tensor:
    """Logical right shift of int64-held uint64 bits (torch's >> is arithmetic on signed ints)."""
    return (x >> s) & ((1 << (64 - s)) - 1)


def splitmix64(x: torch.Tensor) -> torch.Tensor:
    """Steele et al.'s splitmix64 finaliser on int64 tensors; multiplication wraps modulo 2**64 like uint64."""
    z = x + _GOLDEN
    z = (z ^ _shr(z, 30)) * _MIX1
    z = (z ^ _shr(z, 27)) * _MIX2
    return z ^ _shr(z, 31)


def row_uniforms(row_keys: torch.Tensor, n_tokens: int) -> torch.Tensor:
    """[B, n_tokens] float64 uniforms in [0, 1): row i, token t is splitmix64(splitmix64(key_i) ^ t), top 53 bits."""
    positions = torch.arange(n_tokens, dtype=torch.int64, device=row_keys.device)
    bits = splitmix64(splitmix64(row_keys.to(torch.int64))[:, None] ^ positions[None, :])
    return _shr(bits, 11).to(torch.float64) * 2.0**-53


def keep_mask(
    scaled: torch.Tensor,
    top_k: torch.Tensor,
    top_p: torch.Tensor,
    k_max: int | None = None,
    nucleus: bool | None = None,
) -> torch.Tensor | None:
    """[B, V] bool: the tokens each row may sample (top-k, then the nucleus of what is left); None when no row
    restricts. top_k 0 and top_p 1 mean off. Ties at a threshold are kept, as in transformers' warpers.
    `k_max` (the largest top_k) and `nucleus` (some top_p < 1), when the caller knows them on the host, spare the
    device syncs of reading them from the tensors."""
    vocab = scaled.shape[-1]
    k_max = int(top_k.max()) if k_max is None else k_max
    nucleus = bool((top_p < 1).any()) if nucleus is None else nucleus
    if k_max <= 0 and not nucleus:
        return None
    threshold = torch.full_like(scaled[:, 0], float("-inf"))
    if k_max > 0:
        k = top_k.clamp(min=0, max=vocab)
        kth = torch.topk(scaled, min(k_max, vocab), dim=-1).values.gather(1, (k - 1).clamp(min=0)[:, None]).squeeze(1)
        threshold = torch.where(k > 0, kth, threshold)
    if nucleus:
        restricted = scaled.masked_fill(scaled < threshold[:, None], float("-inf"))
        ordered = torch.sort(restricted, dim=-1, descending=True).values
        probs = torch.softmax(ordered, dim=-1)
        mass_before = probs.cumsum(-1) - probs
        n_keep = (mass_before < top_p[:, None]).sum(-1).clamp(min=1)  # the most likely token always stays
        pth = ordered.gather(1, (n_keep - 1)[:, None]).squeeze(1)
        threshold = torch.where(top_p < 1, torch.maximum(threshold, pth), threshold)
    return scaled >= threshold[:, None]


def choose_tokens(
    logits: torch.Tensor,
    temperature: torch.Tensor,
    top_k: torch.Tensor,
    top_p: torch.Tensor,
    u: torch.Tensor,
    k_max: int | None = None,
    nucleus: bool | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The next token of each row and its log-prob under the full tempered distribution softmax(logits / T).

    logits [B, V] float; temperature, top_p [B] float; top_k [B] long; u [B] float64 uniforms. Temperature 0 is
    greedy (log-prob under softmax(logits)). The recorded log-prob ignores top-k / top-p, as verl records it: it is
    what the update recomputes from the same logits. k_max / nucleus: see keep_mask.
    """
    greedy = temperature <= 0
    scaled = logits.float() / torch.where(greedy, torch.ones_like(temperature), temperature)[:, None]
    top, top_index = scaled.max(-1)  # one pass: the softmax's stabiliser and the greedy choice
    weights = torch.exp(scaled - top[:, None])  # unnormalised probabilities: one exp serves sampling and log-probs
    log_total = weights.sum(-1).log()
    keep = keep_mask(scaled, top_k, top_p, k_max, nucleus)
    if keep is not None:
        weights = weights * keep
    cdf = weights.to(torch.float64).cumsum(-1)
    drawn = torch.searchsorted(cdf, (u * cdf[:, -1])[:, None], right=True).squeeze(1)
    chosen = torch.where(greedy, top_index, drawn.clamp(max=logits.shape[-1] - 1))
    logp = scaled.gather(1, chosen[:, None]).squeeze(1) - top - log_total
    return chosen, logp
