"""Builds the models of a RunSpec and maps agents onto them (DESIGN.md §4, sharing modes of AgentSpec).

- `shared`: agents on the same model use the same weights (and the model's adapter, if any).
- `adapter`: the agent gets its own LoRA adapter on the shared base (peft multi-adapter).
- `weights`: the agent gets its own copy of the model.
A *unit* is one trainable nn.Module with its own optimizer; several agents may act through one unit.
"""

from __future__ import annotations

import copy
import os
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional, cast

import torch
from torch import nn

from .errors import EXIT_BAD_SPEC, EXIT_MODEL_UNAVAILABLE, MasError
from .lora_start import attach_adapters
from .model_loading import check_attention, enable_gradient_checkpointing, folder_error, looks_like_path, resolve_dtype
from .spec import ModelSpec, RunSpec
from .tokenizer import CharTokenizer, HfTokenizer, Tokenizer

if TYPE_CHECKING:
    from peft import PeftModel


@dataclass
class Unit:
    """One trainable module; `reference` is a frozen copy for KL when there is no adapter to disable."""

    name: str
    module: nn.Module
    tokenizer: Tokenizer
    has_adapters: bool
    reference: Optional[nn.Module] = None
    agents: list = field(default_factory=list)
    # Names of the trainable parameters, fixed at build time: peft flips requires_grad of inactive adapters
    # whenever an adapter is (re)activated, so requires_grad cannot say what to optimise or checkpoint.
    trainable: list = field(default_factory=list)
    context: int = 2048  # longest prompt + output the model takes, in tokens


@dataclass
class Policy:
    """How one agent acts: which unit, and which peft adapter to activate (None: no adapter)."""

    agent: str
    unit: Unit
    adapter: Optional[str]
    frozen: bool = False  # acts with every adapter disabled and is never in an update (frozen_policies)

    @property
    def tokenizer(self) -> Tokenizer:
        return self.unit.tokenizer

    def activate(self) -> nn.Module:
        if self.adapter is not None:
            cast("PeftModel", self.unit.module).set_adapter(self.adapter)  # an adapter implies a peft model
            # peft's set_adapter freezes the other adapters; they must keep learning from their own turns.
            for pname, p in self.unit.module.named_parameters():
                if "lora_" in pname:
                    p.requires_grad_(True)
        return self.unit.module

    @contextmanager
    def reference_model(self):
        """The KL reference: the base with adapters disabled, or the frozen copy for full-weight training."""
        if self.unit.has_adapters:
            with cast("PeftModel", self.unit.module).disable_adapter():
                yield self.unit.module
        else:
            yield self.unit.reference


def scratch_llama_config(src, tok: CharTokenizer, **extra):
    """The transformers config of a `scratch(layers, hidden, heads, context)` model over the character tokenizer;
    the policy and the critic's value model share it, each adding what its head needs (`extra`)."""
    from transformers import LlamaConfig

    return LlamaConfig(
        vocab_size=tok.vocab_size,
        hidden_size=src.hidden,
        intermediate_size=4 * src.hidden,
        num_hidden_layers=src.layers,
        num_attention_heads=src.heads,
        num_key_value_heads=src.heads,
        max_position_embeddings=src.context,
        pad_token_id=tok.pad_id,
        **extra,
    )


def build_base(
    model: ModelSpec, device: Optional[torch.device] = None, frozen: bool = False
) -> tuple[nn.Module, Tokenizer]:
    """The model's weights and tokenizer; `device` decides `dtype: auto` (bf16 for a LoRA base, or a model only
    frozen agents use (`frozen`), on a capable GPU) and whether `attention: flash_attention_2` can run."""
    src = model.source
    if src.kind == "scratch":
        from transformers import LlamaForCausalLM

        tok = CharTokenizer()
        config = scratch_llama_config(
            src, tok, eos_token_id=tok.eos_id, bos_token_id=tok.eos_id, tie_word_embeddings=True
        )
        module = LlamaForCausalLM(config)
        if model.gradient_checkpointing:
            enable_gradient_checkpointing(module, model.adapter is not None)
        return module, tok
    if src.kind == "hf":
        module, tok = _load_hf(
            model.name,
            src.id or "",
            model.dtype,
            model.attention,
            device,
            frozen_base=model.adapter is not None or frozen,
        )
        if model.gradient_checkpointing and not frozen:  # a model no agent trains runs no backward
            enable_gradient_checkpointing(module, model.adapter is not None)
        return module, tok
    raise MasError(f"model `{model.name}` has unknown source kind `{src.kind}`; use hf or scratch", EXIT_BAD_SPEC)


def _load_hf(
    name: str,
    model_id: str,
    dtype: str = "auto",
    attention: Optional[str] = None,
    device: Optional[torch.device] = None,
    frozen_base: bool = True,
) -> tuple[nn.Module, Tokenizer]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    check_attention(name, attention, device)
    # A folder that is missing or incomplete gets a message that names what is missing (transformers would fall
    # back on other files, or fail with a message about something else).
    incomplete = folder_error(name, model_id) if looks_like_path(model_id) else None
    if incomplete is not None:
        raise incomplete
    local_dir = os.path.isdir(model_id)
    extra = {"attn_implementation": attention} if attention else {}
    try:
        # Offline by design: a hub id only works if it is already in the local cache.
        tok = AutoTokenizer.from_pretrained(model_id, local_files_only=True, trust_remote_code=False)
        module = AutoModelForCausalLM.from_pretrained(
            model_id,
            local_files_only=True,
            trust_remote_code=False,
            dtype=resolve_dtype(dtype, device, frozen_base),
            **extra,
        )
    except Exception as err:  # transformers raises OSError/ValueError/HF errors depending on the case
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        hint = (
            "the directory does not hold a loadable causal LM and its tokenizer"
            if local_dir
            else f"it is neither a folder (relative to {os.getcwd()}) nor in the Hugging Face cache, and the trainer "
            "never downloads; download it first (hf download <id>) or give the path of a model folder"
        )
        raise MasError(
            f'model `{name}`: cannot load hf "{model_id}": {hint} ({reason[:160]})', EXIT_MODEL_UNAVAILABLE
        ) from None
    return module, HfTokenizer(tok)


def _lora_config(model: ModelSpec):
    from peft import LoraConfig

    a = model.adapter
    if a is None:
        raise ValueError(f"model `{model.name}` has no adapter block: no LoRA config to build")
    return LoraConfig(
        r=a.rank,
        lora_alpha=a.alpha,  # pyright: ignore[reportArgumentType]  # peft annotates int; any number works (alpha / r)
        lora_dropout=a.dropout,
        target_modules="all-linear",
        task_type="CAUSAL_LM",
    )


def build_policies(spec: RunSpec, device: torch.device, need_reference: bool) -> tuple[dict[str, Policy], list[Unit]]:
    """One base per model; units and adapters per the agents' sharing. Deterministic given the torch seed.
    Returns the trained units only: a frozen agent acts through a unit that no optimizer, update or checkpoint sees
    (frozen_policies)."""
    policies: dict[str, Policy] = {}
    units: list[Unit] = []
    for model in spec.models:
        agents = [a for a in spec.agents if a.model == model.name]
        if not agents or model.source.kind == "openai":  # an API model's agents act through ApiModel (trainer)
            continue
        trained = [a for a in agents if not a.frozen]
        base, tok = build_base(model, device, frozen=not trained)
        context = (
            model.source.context
            if model.source.kind == "scratch"
            else int(getattr(base.config, "max_position_embeddings", 2048) or 2048)
        )
        # Frozen agents on full weights that other agents train act through a copy of the initial weights.
        frozen_copy = bool(trained) and model.adapter is None and len(trained) < len(agents)
        wants_pristine = frozen_copy or any(a.sharing == "weights" for a in trained)
        pristine = copy.deepcopy(base) if wants_pristine else None

        def make_unit(unit_name: str, module: nn.Module, adapter_names: list[str]) -> Unit:
            if model.adapter is not None:  # new adapters, or started from lora(from: ...)
                module = attach_adapters(module, model, adapter_names, _lora_config)
            module.to(device)
            reference = None
            if model.adapter is None and need_reference:
                reference = copy.deepcopy(module).eval().requires_grad_(False)
            unit = Unit(unit_name, module, tok, model.adapter is not None, reference, context=context)
            units.append(unit)
            return unit

        main_agents = [a for a in trained if a.sharing in ("shared", "adapter")]
        main_unit = None
        if main_agents:
            own = [a.name for a in main_agents if a.sharing == "adapter"]
            adapters = (["default"] if any(a.sharing == "shared" for a in main_agents) else []) + own
            main_unit = make_unit(model.name, base, adapters)
            for a in main_agents:
                adapter = None if model.adapter is None else ("default" if a.sharing == "shared" else a.name)
                policies[a.name] = Policy(a.name, main_unit, adapter)
                main_unit.agents.append(a.name)
        for a in (a for a in trained if a.sharing == "weights"):
            if pristine is None:  # set above whenever an agent has sharing "weights"
                raise RuntimeError(f"model `{model.name}`: no pristine copy for agent `{a.name}`")
            unit = make_unit(f"{model.name}/{a.name}", copy.deepcopy(pristine), ["default"])
            policies[a.name] = Policy(a.name, unit, "default" if model.adapter is not None else None)
            unit.agents.append(a.name)
        policies.update(frozen_policies(model, agents, base, pristine, main_unit, tok, context, device))
    for unit in units:
        if unit.has_adapters:
            # peft's set_adapter leaves only the active adapter trainable; every adapter must learn.
            for pname, p in unit.module.named_parameters():
                p.requires_grad_("lora_" in pname)
        unit.trainable = [n for n, p in unit.module.named_parameters() if p.requires_grad]
    return policies, units


def frozen_policies(model: ModelSpec, agents, base, pristine, main_unit, tok, context, device) -> dict[str, Policy]:
    """How the model's frozen agents act (their `adapter separate` / `weights separate` change nothing: they never
    train). On a LoRA model: the base with every adapter disabled, the trained agents' unit when there is one. On full
    weights that other agents train: one untrained copy of the initial weights shared by the frozen agents; on a
    model only frozen agents use: its weights as loaded. The unit of a frozen-only model has no adapters, no
    trainable parameters and is never in the trained units (no optimizer state, no checkpoint files)."""
    frozen = [a for a in agents if a.frozen]
    if not frozen:
        return {}
    if main_unit is not None and main_unit.has_adapters:
        return {a.name: Policy(a.name, main_unit, None, frozen=True) for a in frozen}
    # `base` is trained in place when the model's main unit exists (full weights here): then the pristine copy.
    module = pristine if main_unit is not None and pristine is not None else base
    module = module.to(device).eval().requires_grad_(False)
    unit = Unit(f"{model.name}/frozen", module, tok, False, None, agents=[a.name for a in frozen], context=context)
    return {a.name: Policy(a.name, unit, None, frozen=True) for a in frozen}


def trainable_parameters(unit: Unit) -> list[nn.Parameter]:
    params = dict(unit.module.named_parameters())
    return [params[n] for n in unit.trainable]


def trainable_state(unit: Unit) -> dict[str, torch.Tensor]:
    params = dict(unit.module.named_parameters())
    return {n: params[n].detach().cpu() for n in unit.trainable}


def autocast_for(device: torch.device):
    """Mixed precision on GPU only, bf16 (no loss scaler needed); CPU and older GPUs run in fp32."""
    if torch.device(device).type == "cuda" and torch.cuda.is_bf16_supported():
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return nullcontext()
