"""Log-probs of output tokens given their prompts, for the update and the KL reference, without ever holding
logits over the prompt positions.

The rows are laid out so that every output starts in the same column: prompts left-padded to the longest prompt,
outputs right-padded to the longest output. The logits that predict the outputs then occupy the last `T_out`
columns of the input (the final token predicts nothing and is dropped), and the LM head runs on those hidden states
only (`logits_to_keep`, which transformers' causal LMs take and peft passes through). The memory of the head is
therefore [B, T_out, V] whatever the prompt length; the log-softmax is a selective one (the token's logit minus the
logsumexp, in fp32, a few rows at a time) with its own backward, so no second [B, T_out, V] tensor is kept for it.
Positions count from each row's first real token, as in the sampler (generation.py), so the log-probs match those
recorded at sampling time.
"""

from __future__ import annotations

import torch

# Rows of the head's output turned into fp32 at a time: bounds the fp32 temporaries of the selective log-softmax.
LOGSOFTMAX_ROWS = 4


def output_layout(
    prompt_ids: list[list[int]], output_ids: list[list[int]], pad_id: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(input ids [B, P+O-1], attention mask, position ids, target ids [B, O]) with prompts left-padded to P and
    outputs right-padded to O; the logits of the last O input columns predict the targets."""
    if any(not p for p in prompt_ids):
        raise ValueError("every decision needs at least one prompt token (the sampler starts an empty prompt at eos)")
    width_p = max(len(p) for p in prompt_ids)
    width_o = max(1, max(len(o) for o in output_ids))
    full = torch.full((len(prompt_ids), width_p + width_o), pad_id, dtype=torch.long)
    mask = torch.zeros_like(full)
    for i, (p, o) in enumerate(zip(prompt_ids, output_ids)):
        start = width_p - len(p)
        full[i, start : width_p + len(o)] = torch.tensor(p + o, dtype=torch.long)
        mask[i, start : width_p + len(o)] = 1
    positions = (mask.cumsum(-1) - 1).clamp(min=0)
    return full[:, :-1], mask[:, :-1], positions[:, :-1], full[:, width_p:]


class _SelectiveLogSoftmax(torch.autograd.Function):
    """log_softmax(logits / temperature)[target] per position, computed and differentiated a few rows at a time.
    Saves only the head's own logits (and the [B, T] logsumexp): the gradient is (onehot - softmax) / temperature,
    rebuilt chunk by chunk in backward, in place in the gradient's own memory when the logits are fp32 (the CPU
    case: no temporary of the chunk's size, four passes over it)."""

    @staticmethod
    def forward(ctx, logits: torch.Tensor, targets: torch.Tensor, temperature: float) -> torch.Tensor:
        out = torch.empty(targets.shape, dtype=torch.float32, device=logits.device)
        lse = torch.empty_like(out)
        for start in range(0, logits.shape[0], LOGSOFTMAX_ROWS):
            rows = slice(start, start + LOGSOFTMAX_ROWS)
            chunk = logits[rows]
            if chunk.dtype != torch.float32 or temperature != 1.0:
                chunk = chunk.float() / temperature
            lse[rows] = torch.logsumexp(chunk, dim=-1)
            out[rows] = chunk.gather(-1, targets[rows, :, None]).squeeze(-1) - lse[rows]
        ctx.save_for_backward(logits, targets, lse)
        ctx.temperature = temperature
        return out

    @staticmethod
    def backward(ctx, *grads: torch.Tensor):
        (grad_out,) = grads
        logits, targets, lse = ctx.saved_tensors
        temperature = ctx.temperature
        grad_logits = torch.empty_like(logits)
        in_place = logits.dtype == torch.float32
        for start in range(0, logits.shape[0], LOGSOFTMAX_ROWS):
            rows = slice(start, start + LOGSOFTMAX_ROWS)
            g = grad_out[rows].float()[:, :, None]
            chunk = logits[rows]
            buf = grad_logits[rows] if in_place else torch.empty(chunk.shape, device=chunk.device)
            if temperature != 1.0:
                torch.div(chunk, temperature, out=buf)
                buf.sub_(lse[rows, :, None])
            else:
                torch.sub(chunk, lse[rows, :, None], out=buf)
            buf.exp_().mul_(-g).scatter_add_(-1, targets[rows, :, None], g)  # (onehot - softmax) * g
            if temperature != 1.0:
                buf.div_(temperature)
            if not in_place:
                grad_logits[rows] = buf.to(grad_logits.dtype)
        return grad_logits, None, None


def selective_log_softmax(logits: torch.Tensor, targets: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """[B, T] fp32 log-probs of `targets` under softmax(logits / temperature), logits [B, T, V] of any float dtype."""
    return _SelectiveLogSoftmax.apply(logits, targets, temperature)  # pyright: ignore[reportReturnType]


def sequence_logprobs(
    model, prompt_ids: list[list[int]], output_ids: list[list[int]], temperature: float, pad_id: int, device
) -> tuple[torch.Tensor, torch.Tensor]:
    """Log-probs of each output token given its prompt: ([B, T] log-probs, [B, T] mask), right-padded.
    `model`: a transformers causal LM or a peft model around one (anything whose forward takes logits_to_keep)."""
    ids, attn, positions, targets = (t.to(device) for t in output_layout(prompt_ids, output_ids, pad_id))
    width_o = targets.shape[1]
    logits = model(input_ids=ids, attention_mask=attn, position_ids=positions, logits_to_keep=width_o).logits
    if logits.shape[1] != width_o:
        raise RuntimeError(f"the model returned logits for {logits.shape[1]} positions, not the {width_o} asked for")
    logp = selective_log_softmax(logits, targets, temperature if temperature > 0 else 1.0)
    out_mask = torch.zeros(targets.shape, device=logp.device)
    for i, o in enumerate(output_ids):
        out_mask[i, : len(o)] = 1
    return torch.where(out_mask > 0, logp, torch.zeros_like(logp)), out_mask
