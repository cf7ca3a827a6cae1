"""The token budget of one forward (`train { micro_batch_tokens: N }`) when the spec leaves it out.

The rule (trainer/README.md): on a CPU a fixed 2 048 tokens; on a CUDA GPU 256 tokens per GiB of the device's total
memory (torch.cuda.get_device_properties), at least 1 024 — about 20 000 tokens on an 80 GB card. A token costs the
activations of every layer plus, at the output positions, a row of logits over the vocabulary and its gradient
(~1.2 MB for Qwen's 151k vocabulary in bf16); 256 per GiB leaves most of the card to the weights, the optimizer
state and the sampler's KV cache for a model of up to a few billion parameters with LoRA. Larger models, full-weight
training or long outputs may need a smaller budget or `gradient_checkpointing: true` (the out-of-memory message says
so). A budget only ever changes memory and speed, never the result: micro-batches accumulate to the same gradient.
"""

from __future__ import annotations

import torch

CPU_MICRO_BATCH_TOKENS = 2048
CUDA_TOKENS_PER_GIB = 256
MIN_CUDA_MICRO_BATCH_TOKENS = 1024


def default_micro_batch_tokens(device: torch.device) -> int:
    device = torch.device(device)
    if device.type != "cuda":
        return CPU_MICRO_BATCH_TOKENS
    total = torch.cuda.get_device_properties(device).total_memory
    return max(MIN_CUDA_MICRO_BATCH_TOKENS, int(total / 2**30 * CUDA_TOKENS_PER_GIB))


def resolve_micro_batch_tokens(requested: int | None, device: torch.device) -> int:
    """The spec's budget when it sets one, else the device's default."""
    return requested if requested is not None else default_micro_batch_tokens(device)


def token_budget_groups(lengths: list[int], budget: int | None) -> list[list[int]]:
    """Consecutive index groups whose padded size (rows × longest) stays within `budget`; an item longer than the
    budget goes alone. None: one group."""
    if budget is None:
        return [list(range(len(lengths)))] if lengths else []
    groups: list[list[int]] = []
    current: list[int] = []
    width = 0
    for i, n in enumerate(lengths):
        if current and (len(current) + 1) * max(width, n) > budget:
            groups.append(current)
            current, width = [], 0
        current.append(i)
        width = max(width, n)
    if current:
        groups.append(current)
    return groups
