"""The models judges ask: one interface, `chat(batch, *, max_tokens, temperature, stop=None) -> list[str]`, the one
of mas_trainer.api_models.ApiModel (an OpenAI-compatible endpoint), here also served by a local frozen model.

A local judge model (`hf` or `scratch`) is loaded frozen: no optimizer, no gradient, eval mode. When its model is a
LoRA model that agents train, the judge reuses the agents' loaded base and runs with the adapters disabled (the base
weights never move), so no second copy is loaded. A model that an agent trains with full weights cannot judge
(judge_spec.check_judges). Prompts go through the tokenizer's chat template when it has one (unless `format: raw`).
"""

from __future__ import annotations

import hashlib
import os
from contextlib import nullcontext
from dataclasses import asdict
from typing import Any, Callable, Mapping, Optional, Protocol

import torch

from .chat import chat_template_tokenizer
from .generation import SamplingParams, row_key, sample
from .spec import ModelSpec, RunSpec

Messages = list[dict[str, str]]
LOCAL_BATCH = 16  # judge prompts per forward batch of a local model


class ChatBackend(Protocol):
    """What a judge needs of a model (ApiModel's interface)."""

    def chat(
        self, batch: list[Messages], *, max_tokens: int, temperature: float, stop: Optional[list[str]] = None
    ) -> list[str]: ...


class LocalChatModel:
    """A frozen local model behind the chat interface; sampling is keyed by the prompt (batching changes nothing)."""

    def __init__(self, module, tokenizer, context: int, device, use_template: bool, disable_adapter: bool) -> None:
        self.module, self.tokenizer, self.context, self.device = module, tokenizer, context, device
        self.template = chat_template_tokenizer(tokenizer) if use_template else None
        self.disable_adapter = disable_adapter

    def render(self, messages: Messages) -> str:
        if self.template is not None:
            return str(self.template.apply_chat_template(messages, tokenize=False, add_generation_prompt=True))
        return "\n".join(m["content"] for m in messages)

    def chat(
        self, batch: list[Messages], *, max_tokens: int, temperature: float, stop: Optional[list[str]] = None
    ) -> list[str]:
        texts = [self.render(m) for m in batch]
        params = SamplingParams(max_tokens, temperature, stop=stop[0] if stop else None)
        keys = [row_key(int.from_bytes(hashlib.sha256(t.encode("utf-8")).digest()[:7], "big")) for t in texts]
        answers: list[str] = []
        adapters_off = self.module.disable_adapter() if self.disable_adapter else nullcontext()
        with torch.no_grad(), adapters_off:
            for i in range(0, len(texts), LOCAL_BATCH):
                chunk = texts[i : i + LOCAL_BATCH]
                samples = sample(
                    self.module, self.tokenizer, chunk, params, keys[i : i + LOCAL_BATCH], self.context, self.device
                )
                answers.extend(s.text for s in samples)
        return answers


class LazyBackend:
    """A backend built on its first call: re-scoring a run whose answers are all cached loads no model."""

    def __init__(self, build: Callable[[], ChatBackend]) -> None:
        self._build, self._backend = build, None

    @property
    def loaded(self) -> bool:
        return self._backend is not None

    def get(self) -> ChatBackend:
        if self._backend is None:
            self._backend = self._build()
        return self._backend

    def chat(
        self, batch: list[Messages], *, max_tokens: int, temperature: float, stop: Optional[list[str]] = None
    ) -> list[str]:
        return self.get().chat(batch, max_tokens=max_tokens, temperature=temperature, stop=stop)


def model_identity(spec: RunSpec, model: ModelSpec) -> str:
    """What the cache key says about who answered: the source (and the seed for a random `scratch` model)."""
    src = model.source
    if src.kind == "hf":
        return f"hf:{src.id}"
    if src.kind == "scratch":
        return f"scratch:{src.layers}x{src.hidden}x{src.heads}x{src.context}:{src.vocab}:seed{spec.train.seed}"
    fields = {k: v for k, v in sorted(vars(src).items()) if isinstance(v, (str, int, float)) and k != "key"}
    return f"{src.kind}:" + ",".join(f"{k}={v}" for k, v in fields.items())


def _api_model(model: ModelSpec, environ: Mapping[str, str]) -> ChatBackend:
    from .api_models import ApiModel  # imported here: only a judge on an API model needs the openai SDK

    source = {k: v for k, v in asdict(model.source).items() if v is not None}
    return ApiModel(model.name, source, environ=environ)


def _shared_base(policies: Mapping[str, Any], model: str) -> Any:
    """A loaded unit of `model` that has adapters (the base the agents train LoRA on), or None."""
    for policy in policies.values():
        unit = policy.unit
        if unit.has_adapters and (unit.name == model or unit.name.startswith(model + "/")):
            return unit
    return None


def make_backend(
    spec: RunSpec,
    model: ModelSpec,
    device: torch.device,
    policies: Optional[Mapping[str, Any]] = None,
    environ: Mapping[str, str] = os.environ,
) -> ChatBackend:
    """The judge model `model`: an API model, the agents' LoRA base with adapters off, or a fresh frozen load."""
    if model.source.kind == "openai":
        return _api_model(model, environ)
    use_template = model.format != "raw" and model.source.kind != "scratch"
    unit = _shared_base(policies or {}, model.name)
    if unit is not None:
        return LocalChatModel(unit.module, unit.tokenizer, unit.context, device, use_template, disable_adapter=True)
    from .models import build_base

    # The judge's random init (a scratch model) is a function of the seed alone, and leaves the training RNG as it was.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(spec.train.seed)
        module, tokenizer = build_base(model, device)
    module.to(device).eval().requires_grad_(False)
    context = (
        model.source.context
        if model.source.kind == "scratch"
        else int(getattr(module.config, "max_position_embeddings", 2048) or 2048)
    )
    return LocalChatModel(module, tokenizer, context, device, use_template, disable_adapter=False)
