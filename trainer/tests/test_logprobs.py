"""The update's log-probs (mas_trainer/logprobs.py): the same values and gradients as the full-logits method, with
the LM head applied to the output positions only, on the scratch Llama (plain and through peft LoRA) and the Qwen3."""

from typing import Any

import pytest
import torch
import torch.nn.functional as F
from helpers import lazy_team_data

from mas_trainer.logprobs import selective_log_softmax, sequence_logprobs
from mas_trainer.models import build_policies
from mas_trainer.spec import parse_spec

LORA = {"kind": "lora", "rank": 4, "alpha": 8, "dropout": 0.0}


def full_logits_logprobs(model, prompt_ids, output_ids, temperature, pad_id):
    """The method before issue 13: logits and a log-softmax over every prompt and output position (right-padded)."""
    full = [p + o for p, o in zip(prompt_ids, output_ids)]
    width = max(len(s) for s in full)
    ids = torch.full((len(full), width), pad_id, dtype=torch.long)
    attn = torch.zeros((len(full), width), dtype=torch.long)
    for i, s in enumerate(full):
        ids[i, : len(s)] = torch.tensor(s)
        attn[i, : len(s)] = 1
    logits = model(input_ids=ids, attention_mask=attn).logits.float()
    if temperature > 0:
        logits = logits / temperature
    logp = F.log_softmax(logits[:, :-1], dim=-1).gather(2, ids[:, 1:, None]).squeeze(2)
    out = torch.zeros((len(full), max(len(o) for o in output_ids)))
    for i, (p, o) in enumerate(zip(prompt_ids, output_ids)):
        out[i, : len(o)] = logp[i, len(p) - 1 : len(p) - 1 + len(o)]
    return out


def _scratch_model(adapter=None) -> tuple[Any, int]:
    data = lazy_team_data()
    data["models"][0]["adapter"] = adapter
    torch.manual_seed(0)
    policies, units = build_policies(parse_spec(data), torch.device("cpu"), need_reference=False)
    module = units[0].module
    if adapter is not None:  # a non-zero LoRA B, so the adapter changes the logits
        with torch.no_grad():
            for name, p in module.named_parameters():
                if "lora_B" in name:
                    p.normal_(0, 0.3)
    return module, policies["first"].tokenizer.pad_id


def _rows(vocab, seed=0):
    gen = torch.Generator().manual_seed(seed)
    lengths = [(7, 3), (2, 5), (11, 1), (4, 4)]  # prompts and outputs of different lengths
    prompts = [torch.randint(3, vocab, (p,), generator=gen).tolist() for p, _ in lengths]
    outputs = [torch.randint(3, vocab, (o,), generator=gen).tolist() for _, o in lengths]
    return prompts, outputs


def _check_matches_full_logits(model, pad_id, vocab, temperature):
    prompts, outputs = _rows(vocab)
    with torch.no_grad():
        expected = full_logits_logprobs(model, prompts, outputs, temperature, pad_id)
        got, mask = sequence_logprobs(model, prompts, outputs, temperature, pad_id, "cpu")
    assert mask.sum() == sum(len(o) for o in outputs)
    assert torch.allclose(got * mask, expected, atol=1e-5), (got * mask - expected).abs().max()


@pytest.mark.parametrize("adapter", [None, LORA], ids=["scratch", "scratch-lora"])
@pytest.mark.parametrize("temperature", [1.0, 0.7])
def test_logprobs_equal_the_full_logits_method_on_scratch(adapter, temperature):
    model, pad_id = _scratch_model(adapter)
    _check_matches_full_logits(model, pad_id, 60, temperature)


def test_logprobs_equal_the_full_logits_method_on_the_tiny_qwen3(tiny_qwen3_dir):
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_qwen3_dir, local_files_only=True).eval()
    _check_matches_full_logits(model, model.config.pad_token_id, model.config.vocab_size, 0.8)


def test_the_lm_head_sees_only_the_output_positions_whatever_the_prompt_length():
    model, pad_id = _scratch_model(LORA)
    seen: list[int] = []
    head = model.get_output_embeddings()  # peft passes it through to the causal LM
    assert isinstance(head, torch.nn.Linear)
    handle = head.register_forward_hook(lambda _m, args, _out: seen.append(args[0].shape[0] * args[0].shape[1]))
    try:
        for prompt_len in (4, 40, 200):
            prompts = [[5] * prompt_len, [6] * (prompt_len // 2)]
            outputs = [[7, 8, 9], [10]]
            sequence_logprobs(model, prompts, outputs, 1.0, pad_id, "cpu")[0].sum().backward()
            assert seen[-1] == 2 * 3  # rows x longest output: the outputs and their padding, never the prompt
    finally:
        handle.remove()


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_selective_log_softmax_has_the_gradient_of_the_log_softmax(dtype):
    gen = torch.Generator().manual_seed(3)
    logits = torch.randn((9, 5, 50), generator=gen).to(dtype)  # more rows than one chunk
    targets = torch.randint(0, 50, (9, 5), generator=gen)
    weights = torch.randn((9, 5), generator=gen)
    a = logits.clone().requires_grad_(True)
    (selective_log_softmax(a, targets, 0.7) * weights).sum().backward()
    b = logits.clone().requires_grad_(True)
    expected = F.log_softmax(b.float() / 0.7, -1).gather(-1, targets[..., None]).squeeze(-1)
    (expected * weights).sum().backward()
    tol = 1e-6 if dtype == torch.float32 else 1e-2
    assert a.grad is not None and b.grad is not None and a.grad.dtype == dtype
    assert torch.allclose(a.grad.float(), b.grad.float(), atol=tol)


def test_gradients_through_left_padded_rows_equal_the_full_logits_method():
    model, pad_id = _scratch_model(LORA)
    prompts, outputs = _rows(60, seed=1)
    weights = torch.randn((len(prompts), max(len(o) for o in outputs)), generator=torch.Generator().manual_seed(0))
    params = [p for p in model.parameters() if p.requires_grad]
    lp, mask = sequence_logprobs(model, prompts, outputs, 1.0, pad_id, "cpu")
    new = torch.autograd.grad((lp * mask * weights).sum(), params)
    old = torch.autograd.grad((full_logits_logprobs(model, prompts, outputs, 1.0, pad_id) * weights).sum(), params)
    for g_new, g_old in zip(new, old):
        assert torch.isfinite(g_new).all()
        assert torch.allclose(g_new, g_old, atol=1e-6)


def test_an_empty_prompt_is_refused():
    model, pad_id = _scratch_model()
    with pytest.raises(ValueError, match="prompt token"):
        sequence_logprobs(model, [[]], [[5]], 1.0, pad_id, "cpu")


def test_the_tiny_qwen3_with_lora_adapters_keeps_its_head_to_the_outputs(tiny_qwen3_dir):
    """The hf path as the trainer builds it (peft LoRA on every linear layer of the Qwen3): same values as the
    full-logits method, and the head sees rows × longest output positions only."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(tiny_qwen3_dir, local_files_only=True)
    model: Any = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, target_modules="all-linear", task_type="CAUSAL_LM"))
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.3)
    pad_id, vocab = base.config.pad_token_id, base.config.vocab_size
    _check_matches_full_logits(model, pad_id, vocab, 1.0)
    seen: list[int] = []
    handle = model.get_output_embeddings().register_forward_hook(
        lambda _m, args, _out: seen.append(args[0].shape[0] * args[0].shape[1])
    )
    try:
        for prompt_len in (8, 300):
            sequence_logprobs(model, [[11] * prompt_len, [12] * 3], [[13, 14], [15, 16, 17, 18]], 1.0, pad_id, "cpu")
            assert seen[-1] == 2 * 4
    finally:
        handle.remove()
