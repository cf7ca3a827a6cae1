"""The trained weights of a checkpoint in the layout of their source, so that other tools load them (issue 13 item 6):

- `policy/<unit>/` for a unit trained in full: a Hugging Face model folder (config.json, model.safetensors, the
  tokenizer files; a `scratch` model's character vocabulary as a tokenizers tokenizer.json, hf_files.py), which
  AutoModelForCausalLM.from_pretrained and AutoTokenizer load;
- `policy/<unit>/<adapter>/` for each LoRA adapter of a unit (`default` for agents with `sharing: shared`, the agent's
  name for `sharing: adapter`): a PEFT adapter folder (adapter_config.json, adapter_model.safetensors with the keys
  peft's save_pretrained writes, the adapter name removed), which PeftModel.from_pretrained(base, folder) loads.

The same functions check a loaded checkpoint against this run's own units before resume applies it (resume.py).
"""

from __future__ import annotations

import copy
import re

import torch

from .hf_files import char_tokenizer_files, hf_tokenizer_files, json_bytes, model_config_json
from .rundir.layout import CHECKPOINT_FILES, CHECKPOINT_POLICY
from .tokenizer import CharTokenizer

MODEL_CONFIG, MODEL_WEIGHTS = CHECKPOINT_FILES["modelConfig"], CHECKPOINT_FILES["modelWeights"]
ADAPTER_CONFIG, ADAPTER_WEIGHTS = CHECKPOINT_FILES["adapterConfig"], CHECKPOINT_FILES["adapterWeights"]
# base_model.model.model.layers.0.self_attn.q_proj.lora_A.<adapter>.weight -> adapter, key without the adapter
_LORA_PARAM = re.compile(r"(.*\.lora_[A-Za-z_]+)\.([^.]+)\.([^.]+)")


def unit_key(unit) -> str:
    return unit.name.replace("/", "__")


def unit_folder(unit) -> str:
    """The unit's folder, relative to the checkpoint folder (`/`-separated, as COMPLETE.json names files)."""
    return f"{CHECKPOINT_POLICY}/{unit_key(unit)}"


def adapter_names(unit) -> list[str]:
    return list(unit.module.peft_config) if unit.has_adapters else []


def adapter_folder(unit, adapter: str) -> str:
    return f"{unit_folder(unit)}/{adapter}"


def weight_files(unit) -> dict[str, dict[str, str]]:
    """Weights file (relative path) -> {key in the file: parameter name in the unit's module}."""
    if not unit.has_adapters:
        return {f"{unit_folder(unit)}/{MODEL_WEIGHTS}": {n: n for n in unit.trainable}}
    files: dict[str, dict[str, str]] = {f"{adapter_folder(unit, a)}/{ADAPTER_WEIGHTS}": {} for a in adapter_names(unit)}
    for name in unit.trainable:
        match = _LORA_PARAM.fullmatch(name)
        path = match and f"{adapter_folder(unit, match.group(2))}/{ADAPTER_WEIGHTS}"
        if match is None or path not in files:
            raise ValueError(f"`{name}` of the model `{unit.name}` is trained but belongs to no LoRA adapter")
        files[path][f"{match.group(1)}.{match.group(3)}"] = name
    return files


def adapter_config(module, adapter: str) -> dict:
    """adapter_config.json as PeftModel.save_pretrained writes it (inference_mode true, sets as lists)."""
    config = copy.deepcopy(module.peft_config[adapter])
    config.inference_mode = True
    if config.base_model_name_or_path is None:
        config.base_model_name_or_path = getattr(module.get_base_model().config, "name_or_path", None) or None
    return {k: sorted(v) if isinstance(v, set) else v for k, v in config.to_dict().items()}


def tokenizer_files(unit) -> dict[str, bytes]:
    if isinstance(unit.tokenizer, CharTokenizer):
        return char_tokenizer_files(unit.tokenizer, unit.context)
    return hf_tokenizer_files(unit.tokenizer.inner)


def unit_files(unit) -> dict[str, object]:
    """Checkpoint payload entries (relative path -> tensors dict for .safetensors, bytes or JSON) of one unit."""
    params = dict(unit.module.named_parameters())
    files: dict[str, object] = {
        path: {key: params[name].detach().cpu().contiguous() for key, name in keys.items()}
        for path, keys in weight_files(unit).items()
    }
    if unit.has_adapters:
        for adapter in adapter_names(unit):
            files[f"{adapter_folder(unit, adapter)}/{ADAPTER_CONFIG}"] = json_bytes(
                adapter_config(unit.module, adapter)
            )
    else:
        folder = unit_folder(unit)
        files[f"{folder}/{MODEL_CONFIG}"] = model_config_json(unit.module)
        files.update({f"{folder}/{name}": data for name, data in tokenizer_files(unit).items()})
    return files


def check_unit_files(unit, payload: dict) -> None:
    """Raises ValueError when the checkpoint's weights of this unit are missing, hold other tensors than the unit
    trains, or tensors of another shape or a non-float type."""
    params = dict(unit.module.named_parameters())
    for path, keys in weight_files(unit).items():
        weights = payload.get(path)
        if not isinstance(weights, dict):
            raise ValueError(f"{path} is missing")
        if set(weights) != set(keys):
            raise ValueError(
                f"{path} holds other tensors than the model `{unit.name}` trains "
                "(was the workflow changed since this run started?)"
            )
        for key, value in weights.items():
            shape = params[keys[key]].shape
            if not isinstance(value, torch.Tensor) or value.shape != shape or not value.is_floating_point():
                raise ValueError(f"{path}: {key} is not a float tensor of shape {tuple(shape)}")
    configs = (
        [f"{adapter_folder(unit, a)}/{ADAPTER_CONFIG}" for a in adapter_names(unit)]
        if unit.has_adapters
        else [f"{unit_folder(unit)}/{MODEL_CONFIG}"]
    )
    for path in configs:
        if not isinstance(payload.get(path), dict):
            raise ValueError(f"{path} is missing or not a JSON object")


def apply_unit_files(unit, payload: dict) -> None:
    """Copies the checked weights into the unit's parameters (call check_unit_files first)."""
    params = dict(unit.module.named_parameters())
    with torch.no_grad():
        for path, keys in weight_files(unit).items():
            for key, value in payload[path].items():
                target = params[keys[key]]
                target.copy_(value.to(device=target.device, dtype=target.dtype))


def agent_unit(spec, agent) -> tuple[str, str | None]:
    """The unit an agent acts through and its adapter there (None: full weights), as models.build_policies builds
    them: `sharing: weights` gets its own unit `<model>/<agent>`; `shared` uses the model's `default` adapter and
    `adapter` its own, named after the agent."""
    model = spec.model(agent.model)
    if agent.sharing == "weights":
        return f"{model.name}/{agent.name}", None if model.adapter is None else "default"
    if model.adapter is None:
        return model.name, None
    return model.name, "default" if agent.sharing == "shared" else agent.name


def agent_folder(spec, agent) -> str:
    """The agent's model or adapter folder inside a checkpoint folder (relative, `/`-separated)."""
    unit, adapter = agent_unit(spec, agent)
    folder = f"{CHECKPOINT_POLICY}/{unit.replace('/', '__')}"
    return folder if adapter is None else f"{folder}/{adapter}"
