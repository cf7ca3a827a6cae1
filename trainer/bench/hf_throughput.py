"""Figure (GPU): rollout and update throughput of an `hf` model shaped like Qwen2-0.5B (random weights: no hub
access) for G=8, batch 16, with a LoRA adapter per the spec. Prints tokens/s of rollout and update and peak GPU
memory. `--tiny` runs the same path with a tiny config (checks the script on a CPU).

Usage: trainer/.venv/bin/python trainer/bench/hf_throughput.py [--tiny] [--steps 3] [--max-tokens 64]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "tests", "fixtures")
QWEN2_05B = dict(
    hidden_size=896,
    intermediate_size=4864,
    num_hidden_layers=24,
    num_attention_heads=14,
    num_key_value_heads=2,
    vocab_size=151936,
    max_position_embeddings=32768,
    tie_word_embeddings=True,
)
TINY = dict(
    hidden_size=64,
    intermediate_size=128,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    vocab_size=512,
    max_position_embeddings=512,
    tie_word_embeddings=True,
)


def save_random_model(folder: str, shape: dict) -> None:
    """A random-initialised Qwen2 causal LM + a character-level tokenizer covering its vocabulary."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

    vocab = {chr(i): i for i in range(256)}
    vocab.update({f"<{i}>": i for i in range(256, shape["vocab_size"])})
    raw = Tokenizer(models.WordLevel(vocab, unk_token="?"))
    raw.pre_tokenizer = pre_tokenizers.Split("", "isolated")
    PreTrainedTokenizerFast(tokenizer_object=raw, unk_token="?", eos_token="<256>", pad_token="<257>").save_pretrained(
        folder
    )
    config = Qwen2Config(**shape, eos_token_id=256, pad_token_id=257)
    dtype = torch.bfloat16 if torch.cuda.is_available() else torch.float32
    Qwen2ForCausalLM(config).to(dtype).save_pretrained(folder)


def lazy_team_hf_spec(model_dir: str, max_tokens: int, steps: int, batch: int, group: int, prefix: str = "") -> dict:
    """The lazy-team fixture's three agents on one `hf` model with a LoRA r16 adapter, GRPO with KL 0.01; `prefix`
    goes before every agent's prompt (a longer, few-shot-like prompt)."""
    with open(os.path.join(FIXTURES, "lazy-team.spec.json"), encoding="utf-8") as f:
        data = json.load(f)
    data["datasets"][0]["path"] = os.path.abspath(os.path.join(FIXTURES, "lazy-team.jsonl"))
    data["models"] = [
        {
            "name": "tiny",
            "source": {"kind": "hf", "id": model_dir},
            "adapter": {"kind": "lora", "rank": 16, "alpha": 32, "dropout": 0.0},
        }
    ]
    for agent in data["agents"]:
        agent["max_tokens"] = max_tokens
        agent["prompt"] = ([{"text": prefix}] if prefix else []) + agent["prompt"]
    data["train"].update(steps=steps, batch=batch, checkpoint_every=10**6, device="auto", lr=1e-5)
    data["train"]["algorithm"].update(group=group, kl=0.01)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tiny", action="store_true")
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--group", type=int, default=8)
    parser.add_argument("--batch", type=int, default=16)
    args = parser.parse_args(argv)
    from mas_trainer.rundir import read_records
    from mas_trainer.spec import parse_spec
    from mas_trainer.trainer import RunOptions, Trainer

    with tempfile.TemporaryDirectory(prefix="mas-hf-") as workdir:
        model_dir = os.path.join(workdir, "qwen2-shaped")
        save_random_model(model_dir, TINY if args.tiny else QWEN2_05B)
        data = lazy_team_hf_spec(model_dir, args.max_tokens, args.steps, args.batch, args.group)
        run_dir = os.path.join(workdir, "run")
        Trainer(parse_spec(data), RunOptions(run_dir)).run()
        records = read_records(os.path.join(run_dir, "metrics.jsonl"))
        later = records[1:] or records  # the first step includes warm-up (allocator, kernels)
        print(
            json.dumps(
                {
                    "device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu",
                    "shape": "tiny" if args.tiny else "Qwen2-0.5B (random weights)",
                    "group": args.group,
                    "batch": args.batch,
                    "max_tokens": args.max_tokens,
                    "agents": 3,
                    "adapter": "lora r16",
                    "rollout_tokens_per_s": statistics.median(r["rollout_tokens_per_s"] for r in later),
                    "update_tokens_per_s": statistics.median(r["update_tokens_per_s"] for r in later),
                    "rollout_s_per_step": statistics.median(r["rollout_s"] for r in later),
                    "update_s_per_step": statistics.median(r["update_s"] for r in later),
                    "peak_gpu_memory_mb": max((r["gpu_memory_mb"] or 0) for r in records) or None,
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
