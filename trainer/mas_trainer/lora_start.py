"""LoRA adapters of a unit: new ones from the spec's `lora(rank, alpha, dropout)`, or, with `lora(from: "<folder>")`,
started from an existing PEFT adapter folder (one `python -m mas_trainer export` wrote, or any peft adapter for this
base), whose adapter_config.json then sets rank, alpha, dropout and target modules (issue 13 item 6).

The folder is the user's own (named in their .mas file); only safetensors weights are accepted, so nothing is
unpickled, and peft reads it offline.
"""

from __future__ import annotations

import os

from .errors import EXIT_MODEL_UNAVAILABLE, MasError
from .policy_files import ADAPTER_CONFIG, ADAPTER_WEIGHTS


def check_adapter_folder(model_name: str, folder: str) -> None:
    missing = [name for name in (ADAPTER_CONFIG, ADAPTER_WEIGHTS) if not os.path.isfile(os.path.join(folder, name))]
    if not os.path.isdir(folder):
        raise MasError(
            f"model `{model_name}`: lora(from: ...) names {folder}, which is not a folder; give the folder of a PEFT "
            "adapter (adapter_config.json + adapter_model.safetensors)",
            EXIT_MODEL_UNAVAILABLE,
        )
    if missing:
        raise MasError(
            f"model `{model_name}`: the adapter folder {folder} has no {' and no '.join(missing)}; give a PEFT "
            "adapter folder with safetensors weights (`python -m mas_trainer export` writes one)",
            EXIT_MODEL_UNAVAILABLE,
        )


def attach_adapters(module, model, names: list[str], new_config):
    """The peft model of `module` with one adapter per name: new (new_config(model)) or loaded from model.adapter's
    from_path, trainable either way."""
    from peft import PeftModel, get_peft_model

    start = model.adapter.from_path
    if start is None:
        module = get_peft_model(module, new_config(model), adapter_name=names[0])
        for extra in names[1:]:
            module.add_adapter(extra, new_config(model))
        return module
    check_adapter_folder(model.name, start)
    try:
        module = PeftModel.from_pretrained(module, start, adapter_name=names[0], is_trainable=True)
        for extra in names[1:]:
            module.load_adapter(start, adapter_name=extra, is_trainable=True)
    except (ValueError, KeyError, RuntimeError, OSError) as err:  # another base, a malformed config or weights
        raise MasError(
            f"model `{model.name}`: cannot start from the adapter {start}: {type(err).__name__}: {str(err)[:200]} "
            "(was it trained on this base model?)",
            EXIT_MODEL_UNAVAILABLE,
        ) from None
    return module
