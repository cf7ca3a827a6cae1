"""Agents on API models in rollouts: their turns go to ApiModel.chat with the [system, user] messages the prompt
format builds (chat.py); they are frozen, so a turn records text and messages, no tokens or log-probs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict

from .api_models import ApiModel
from .chat import chat_messages, system_message
from .spec import AgentSpec, RunSpec


def build_api_models(spec: RunSpec, environ: Mapping[str, str] = os.environ) -> dict[str, ApiModel]:
    """Model name -> ApiModel for every API model some agent acts on (a missing key variable fails here, early)."""
    used = {a.model for a in spec.agents}
    return {
        m.name: ApiModel(m.name, {k: v for k, v in asdict(m.source).items() if v is not None}, environ=environ)
        for m in spec.models
        if m.source.kind == "openai" and m.name in used
    }


def api_generate(spec: RunSpec, model: ApiModel, agent: AgentSpec, prompts: list[str]) -> list[tuple]:
    """One (prompt_ids, token_ids, logprobs, text) per prompt, the id and log-prob lists empty (a frozen turn)."""
    system = system_message(spec, agent)
    texts = model.chat(
        [chat_messages(system, prompt) for prompt in prompts],
        max_tokens=agent.max_tokens,
        temperature=agent.temperature,
        stop=[agent.stop] if agent.stop else None,
    )
    return [([], [], [], text) for text in texts]
