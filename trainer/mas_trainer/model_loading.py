"""How an `hf` model is loaded: the precision (`dtype`), the attention implementation (`attention`) and gradient
checkpointing of ModelSpec, and what to tell the user when a model folder cannot be loaded (exit 5)."""

from __future__ import annotations

import glob
import importlib.util
import os
from typing import Optional

import torch
from torch import nn

from .errors import EXIT_MODEL_UNAVAILABLE, MasError

DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}

# What transformers reads from a model folder: any one of each group will do.
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "tokenizer.model", "vocab.json")
WEIGHT_PATTERNS = ("*.safetensors", "model.safetensors.index.json", "pytorch_model*.bin")


def resolve_dtype(setting: str, device: Optional[torch.device], frozen_base: bool = True) -> torch.dtype:
    """`auto`: bf16 for a frozen base (LoRA) on a GPU that supports it, fp32 elsewhere: bf16 matmuls are slow on CPUs,
    trained full weights keep fp32 master copies (the update runs under bf16 autocast on a GPU: models.autocast_for),
    and fp16 training needs a loss scaler the trainer does not run. An explicit setting is taken as written."""
    if setting in DTYPES:
        return DTYPES[setting]
    on_gpu = device is not None and torch.device(device).type == "cuda"
    return torch.bfloat16 if frozen_base and on_gpu and torch.cuda.is_bf16_supported() else torch.float32


def check_attention(name: str, attention: Optional[str], device: Optional[torch.device]) -> None:
    """flash_attention_2 needs the flash-attn package and a CUDA GPU: say so before transformers fails deep inside."""
    if attention != "flash_attention_2":
        return
    if importlib.util.find_spec("flash_attn") is None:
        raise MasError(
            f"model `{name}` asks for `attention: flash_attention_2` but the flash-attn package is not installed in "
            "the trainer's Python; install it (pip install flash-attn --no-build-isolation, CUDA GPUs only) or use "
            "`attention: sdpa`",
            EXIT_MODEL_UNAVAILABLE,
        )
    if device is None or torch.device(device).type != "cuda":
        raise MasError(
            f"model `{name}` asks for `attention: flash_attention_2`, which runs only on a CUDA GPU, but the run is on "
            f"{device or 'the CPU'}; use `attention: sdpa` (or `device: cuda`)",
            EXIT_MODEL_UNAVAILABLE,
        )


def looks_like_path(model_id: str) -> bool:
    """A folder rather than a hub id (`org/name`): absolute, relative with ./ or ../, ~, or more than one `/`."""
    return (
        os.path.isabs(model_id)
        or model_id.startswith((".", "~"))
        or "\\" in model_id
        or model_id.count("/") > 1
        or os.path.isdir(model_id)
    )


def missing_parts(folder: str) -> list[str]:
    """What a model folder lacks for transformers to load a causal LM and its tokenizer, in words."""
    missing = []
    if not os.path.isfile(os.path.join(folder, "config.json")):
        missing.append("config.json")
    if not any(os.path.isfile(os.path.join(folder, f)) for f in TOKENIZER_FILES):
        missing.append("tokenizer (tokenizer.json or tokenizer_config.json)")
    if not any(glob.glob(os.path.join(glob.escape(folder), p)) for p in WEIGHT_PATTERNS):
        missing.append("weights (*.safetensors or pytorch_model.bin)")
    return missing


def folder_error(name: str, model_id: str, kind: str = "model") -> Optional[MasError]:
    """The exit-5 error for a model folder that does not exist or lacks a part; None when it looks complete."""
    folder = os.path.expanduser(model_id)
    if not os.path.exists(folder):
        return MasError(
            f'{kind} `{name}`: the folder "{model_id}" does not exist; give the path of a downloaded model folder '
            '(for example `hf download Qwen/Qwen2.5-0.5B-Instruct --local-dir models/qwen`) in `from: hf "..."`',
            EXIT_MODEL_UNAVAILABLE,
        )
    if not os.path.isdir(folder):
        return MasError(
            f'{kind} `{name}`: "{model_id}" is a file, not a model folder; give the folder that holds config.json',
            EXIT_MODEL_UNAVAILABLE,
        )
    missing = missing_parts(folder)
    if missing:
        return MasError(
            f'{kind} `{name}`: the folder "{model_id}" has no {" and no ".join(missing)}; download the complete model '
            "into it (hf download <id> --local-dir <folder>)",
            EXIT_MODEL_UNAVAILABLE,
        )
    return None


def enable_gradient_checkpointing(module: nn.Module, with_adapters: bool) -> None:
    """Recompute activations in the backward pass. Non-reentrant checkpointing (the one PyTorch recommends); with
    peft, inputs require grad as peft's docs advise, so frozen embeddings still let gradients reach the adapters.
    The KV cache is off outside sampling (the sampler asks for it explicitly): the update never needs it."""
    enable = getattr(module, "gradient_checkpointing_enable", None)
    if enable is None:
        return
    enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    require_input_grads = getattr(module, "enable_input_require_grads", None) if with_adapters else None
    if callable(require_input_grads):
        require_input_grads()
    config = getattr(module, "config", None)
    if config is not None:
        config.use_cache = False
