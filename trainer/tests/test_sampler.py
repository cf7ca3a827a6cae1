"""The sampler (generation.sample, token_sampling): last-position prefill, device-side counter-based noise whose draws
do not depend on the batch, top-k / top-p, stop strings on the tail, eos, mixed adapters in one forward."""

from typing import Any

import pytest
import torch
from helpers import lazy_team_data

from mas_trainer.generation import SamplingParams, row_key, sample
from mas_trainer.logprobs import sequence_logprobs
from mas_trainer.models import build_policies
from mas_trainer.spec import parse_spec
from mas_trainer.token_sampling import choose_tokens, keep_mask, row_uniforms, splitmix64

LORA = {"kind": "lora", "rank": 4, "alpha": 8, "dropout": 0.0}
M64 = (1 << 64) - 1


def _ref_splitmix64(x: int) -> int:
    z = (x + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def _scratch(adapter=None, sharing=("shared", "shared", "shared")):
    data = lazy_team_data()
    data["models"][0]["adapter"] = adapter
    for agent, mode in zip(data["agents"], sharing):
        agent["sharing"] = mode
    torch.manual_seed(0)
    policies, units = build_policies(parse_spec(data), torch.device("cpu"), need_reference=False)
    return policies, units[0]


def _randomise_lora(module, scale=0.5):
    torch.manual_seed(1)
    with torch.no_grad():
        for name, p in module.named_parameters():
            if "lora_B" in name:
                p.normal_(0, scale)


def _lm_head_positions(model):
    seen = []
    handle = model.get_output_embeddings().register_forward_hook(lambda m, args, out: seen.append(args[0].shape[1]))
    return seen, handle


def test_noise_is_splitmix64_bit_for_bit():
    keys = [0, 1, 12345, row_key(7, 3, 11, 2), 2**63 - 2]
    u = row_uniforms(torch.tensor(keys), 5)
    for i, key in enumerate(keys):
        for t in range(5):
            expected = (_ref_splitmix64(_ref_splitmix64(key) ^ t) >> 11) / 2**53
            assert u[i, t].item() == expected
    assert int(splitmix64(torch.tensor([0])).item()) & M64 == _ref_splitmix64(0)


def test_inverse_cdf_draws_follow_the_tempered_distribution():
    logits = torch.tensor([[2.0, 0.0, 1.0, -1.0, 0.5]])
    n = 20000
    u = row_uniforms(torch.arange(n), 1)[:, 0]
    chosen, logp = choose_tokens(
        logits.expand(n, -1), torch.full((n,), 0.7), torch.zeros(n, dtype=torch.long), torch.ones(n), u
    )
    freq = torch.bincount(chosen, minlength=5).double() / n
    probs = torch.softmax(logits[0] / 0.7, -1).double()
    assert torch.allclose(freq, probs, atol=0.015)
    assert torch.allclose(logp, probs.log()[chosen].float(), atol=1e-6)


def test_top_k_and_top_p_keep_what_transformers_keeps():
    from transformers.generation.logits_process import TopKLogitsWarper, TopPLogitsWarper

    torch.manual_seed(0)
    scaled = torch.randn(6, 50) * 2
    top_k = torch.tensor([0, 1, 5, 0, 3, 10])
    top_p = torch.tensor([1.0, 1.0, 1.0, 0.5, 0.9, 0.3])
    keep = keep_mask(scaled, top_k, top_p)
    assert keep is not None
    for i in range(6):
        warpers: list[Any] = [TopKLogitsWarper(int(top_k[i]))] if top_k[i] > 0 else []
        warpers += [TopPLogitsWarper(float(top_p[i]))] if top_p[i] < 1 else []
        expected = scaled[i : i + 1]
        for warper in warpers:
            expected = warper(torch.zeros((1, 1), dtype=torch.long), expected)
        assert torch.equal(keep[i], torch.isfinite(expected[0])), i
    assert keep_mask(scaled, torch.zeros(6, dtype=torch.long), torch.ones(6)) is None


def test_restricted_rows_draw_inside_the_kept_set_and_record_the_full_log_prob():
    torch.manual_seed(0)
    logits = torch.randn(64, 30)
    u = row_uniforms(torch.arange(64), 1)[:, 0]
    k, p = torch.full((64,), 3), torch.full((64,), 0.6)
    chosen, logp = choose_tokens(logits, torch.ones(64), k, p, u)
    keep = keep_mask(logits, k, p)
    assert keep is not None and bool(keep.gather(1, chosen[:, None]).all())
    assert torch.allclose(logp, torch.log_softmax(logits, -1).gather(1, chosen[:, None]).squeeze(1))
    greedy, _ = choose_tokens(logits, torch.zeros(64), k, p, u)
    assert torch.equal(greedy, logits.argmax(-1))


def test_prefill_computes_logits_at_the_last_position_only_through_peft():
    policies, unit = _scratch(LORA)
    model = policies["first"].activate()
    seen, handle = _lm_head_positions(model)
    try:
        sample(model, unit.tokenizer, ["A longer prompt>", "Hi>"], SamplingParams(3), [1, 2], 64, "cpu")
    finally:
        handle.remove()
    assert seen == [1, 1, 1]  # prefill, then two decode steps: one position per row each


def _qwen3(folder, adapters=()):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from mas_trainer.tokenizer import HfTokenizer

    model = AutoModelForCausalLM.from_pretrained(folder)
    if adapters:
        config = LoraConfig(r=4, lora_alpha=8, target_modules="all-linear", task_type="CAUSAL_LM")
        model = get_peft_model(model, config, adapter_name=adapters[0])
        for name in adapters[1:]:
            model.add_adapter(name, config)
    return model.eval(), HfTokenizer(AutoTokenizer.from_pretrained(folder))


def test_prefill_keeps_one_position_on_the_hf_qwen3_through_peft(tiny_qwen3_dir):
    model, tok = _qwen3(tiny_qwen3_dir, ("agent",))
    seen, handle = _lm_head_positions(model)
    try:
        out = sample(model, tok, ["The quick brown fox jumps", "Hello"], SamplingParams(2), [1, 2], 4096, "cpu")
    finally:
        handle.remove()
    assert seen == [1, 1] and len(out[0].token_ids) == 2


def test_greedy_rows_match_transformers_greedy_generate(tiny_qwen3_dir):
    model, tok = _qwen3(tiny_qwen3_dir)
    prompts = ["The quick brown fox jumps over the lazy dog", "Hi"]  # different lengths: left padding
    ours = sample(model, tok, prompts, SamplingParams(6, temperature=0.0), [1, 2], 4096, "cpu")
    for prompt, row in zip(prompts, ours):
        ids = torch.tensor([tok.encode(prompt)])
        with torch.no_grad():
            ref = model.generate(
                input_ids=ids, attention_mask=torch.ones_like(ids), do_sample=False, max_new_tokens=6, min_new_tokens=6
            )
        assert row.token_ids == ref[0, ids.shape[1] :].tolist()


def test_a_row_gets_the_same_tokens_alone_or_in_a_batch():
    policies, unit = _scratch()
    model, tok = policies["first"].activate(), unit.tokenizer
    prompts = [f"Task {i}: " + "x" * i + ">" for i in range(16)]
    keys = [row_key(7, 0, i, 0) for i in range(16)]
    batch = sample(model, tok, prompts, SamplingParams(12), keys, 64, "cpu")
    for i in (0, 5, 15):
        alone = sample(model, tok, [prompts[i]], SamplingParams(12), [keys[i]], 64, "cpu")[0]
        assert alone.token_ids == batch[i].token_ids
        assert torch.allclose(torch.tensor(alone.logprobs), torch.tensor(batch[i].logprobs), atol=1e-5)
    assert len({tuple(s.token_ids) for s in batch}) > 1  # the keys do differ


def test_recorded_log_probs_are_the_full_tempered_ones_the_update_recomputes():
    policies, unit = _scratch()
    model, tok = policies["first"].activate(), unit.tokenizer
    params = SamplingParams(6, temperature=0.8, top_p=0.7, top_k=20)
    outs = sample(model, tok, ["Al>", "Clue>"], params, [3, 4], 64, "cpu")
    lp, _ = sequence_logprobs(model, [o.prompt_ids for o in outs], [o.token_ids for o in outs], 0.8, tok.pad_id, "cpu")
    for i, o in enumerate(outs):
        assert torch.allclose(lp[i, : len(o.token_ids)], torch.tensor(o.logprobs), atol=1e-4)


class _CountingTokenizer:
    """Wraps a tokenizer and records how many ids each decode call gets."""

    def __init__(self, inner) -> None:
        self.inner, self.decoded = inner, []
        self.pad_id, self.eos_id = inner.pad_id, inner.eos_id

    def encode(self, text):
        return self.inner.encode(text)

    def decode(self, ids):
        self.decoded.append(len(ids))
        return self.inner.decode(ids)


def test_stop_ends_a_row_at_its_first_occurrence_checking_only_the_tail():
    policies, unit = _scratch()
    model = policies["first"].activate()
    free = sample(model, unit.tokenizer, ["Al>"], SamplingParams(90), [9], 128, "cpu")[0]
    stop = free.text[-4:]
    tok = _CountingTokenizer(unit.tokenizer)
    cut = sample(model, tok, ["Al>"], SamplingParams(90, stop=stop), [9], 128, "cpu")[0]
    n = len(cut.token_ids)
    assert n > 30 and cut.token_ids == free.token_ids[:n]  # the same draws, cut where the stop string appeared
    assert cut.text.endswith(stop) and stop not in unit.tokenizer.decode(cut.token_ids[:-1])
    assert max(tok.decoded[:-1]) <= 2 * (len(stop) + 8) < n  # tails only; the last decode is the output's text


def test_eos_and_per_row_budgets_end_rows_without_changing_the_others():
    policies, unit = _scratch()
    model, tok = policies["first"].activate(), unit.tokenizer
    prompts, keys = [f"Q{i}>" for i in range(8)], list(range(8))
    long = sample(model, tok, prompts, SamplingParams(10), keys, 64, "cpu")
    mixed = [SamplingParams(2 if i % 2 else 10) for i in range(8)]
    rows_seen = []
    handle = model.get_output_embeddings().register_forward_hook(lambda m, a, out: rows_seen.append(a[0].shape[0]))
    try:
        short = sample(model, tok, prompts, mixed, keys, 64, "cpu")  # half the rows finish after 2 tokens
    finally:
        handle.remove()
    assert rows_seen[:2] == [8, 8] and set(rows_seen[2:]) == {4}  # finished rows left the batch
    for i in range(8):
        expected = long[i].token_ids[: mixed[i].max_tokens]
        assert short[i].token_ids == expected


def _mixed_adapter_rows(model, tok, adapters, context):
    names = [adapters[i % len(adapters)] for i in range(16)]
    prompts = [f"Question {i}? " + "y" * (i % 5) for i in range(16)]
    keys = [row_key(1, 2, i, 0) for i in range(16)]
    params = [SamplingParams(5, temperature=1.0 if i % 3 else 0.0) for i in range(16)]
    together = sample(model, tok, prompts, params, keys, context, "cpu", adapter_names=names)
    for i in (0, 1, 2, 7, 14):
        model.set_adapter(names[i])
        alone = sample(model, tok, [prompts[i]], params[i], [keys[i]], context, "cpu")[0]
        assert alone.token_ids == together[i].token_ids, i
        assert torch.allclose(torch.tensor(alone.logprobs), torch.tensor(together[i].logprobs), atol=1e-4)


def test_mixed_adapters_in_one_batch_scratch():
    policies, unit = _scratch(LORA, ("shared", "adapter", "adapter"))
    model = unit.module.eval()
    _randomise_lora(model)
    ids = torch.tensor([[5, 6, 7]])
    with torch.no_grad():
        outs = [model(input_ids=ids, adapter_names=[a]).logits for a in ("default", "idle", "second")]
    assert not torch.allclose(outs[0], outs[1]) and not torch.allclose(outs[1], outs[2])  # adapters differ
    _mixed_adapter_rows(model, unit.tokenizer, ["default", "idle", "second"], 64)


def test_mixed_adapters_in_one_batch_qwen3(tiny_qwen3_dir):
    model, tok = _qwen3(tiny_qwen3_dir, ("planner", "solver"))
    _randomise_lora(model, scale=2.0)
    _mixed_adapter_rows(model, tok, ["planner", "solver"], 4096)


@pytest.mark.parametrize(
    "field,value", [("top_p", 0.0), ("top_p", 1.5), ("top_p", "x"), ("top_k", -1), ("top_k", 2.5), ("top_k", True)]
)
def test_bad_top_p_or_top_k_is_a_spec_error(field, value):
    from mas_trainer.errors import EXIT_BAD_SPEC, SpecError

    data = lazy_team_data()
    data["agents"][0][field] = value
    with pytest.raises(SpecError, match=field) as err:
        parse_spec(data)
    assert err.value.exit_code == EXIT_BAD_SPEC


def test_top_p_and_top_k_are_read_from_the_spec():
    data = lazy_team_data()
    data["agents"][0].update(top_p=0.9, top_k=40)
    spec = parse_spec(data)
    assert (spec.agents[0].top_p, spec.agents[0].top_k) == (0.9, 40)
    assert (spec.agents[1].top_p, spec.agents[1].top_k) == (1.0, 0)


class _NoLogitsToKeep(torch.nn.Module):
    """A causal LM whose forward does not take `logits_to_keep` (the prefill must then keep every position)."""

    def __init__(self, inner) -> None:
        super().__init__()
        self.inner = inner

    def forward(self, input_ids, attention_mask, position_ids, use_cache, past_key_values=None):
        return self.inner(
            input_ids=input_ids,
            attention_mask=attention_mask,
            position_ids=position_ids,
            past_key_values=past_key_values,
            use_cache=use_cache,
        )


def test_a_model_without_logits_to_keep_samples_the_same_tokens():
    policies, unit = _scratch()
    model, tok = policies["first"].activate(), unit.tokenizer
    direct = sample(model, tok, ["Al>", "Clue>"], SamplingParams(5), [1, 2], 64, "cpu")
    wrapped = sample(_NoLogitsToKeep(model), tok, ["Al>", "Clue>"], SamplingParams(5), [1, 2], 64, "cpu")
    assert [s.token_ids for s in wrapped] == [s.token_ids for s in direct]
