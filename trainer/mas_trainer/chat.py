"""Chat prompts (ModelSpec.format): what an agent's rendered prompt becomes before it is tokenized.

`chat`: the tokenizer's own chat template renders [system, user] with the generation prompt added, as TRL and verl
do; the system message is the agent's `system`, else its role's description, and is left out when empty; the user
message is the agent's rendered prompt template (with no system message, a template may add its own default, as
Qwen2.5's does). `raw`: the prompt text as it is. Default: chat when the tokenizer
has a chat template, raw otherwise; `scratch` models (character tokenizer, no template) are raw.

No template keyword is passed beyond `add_generation_prompt`: a template's own defaults apply (Qwen3's template
thinks unless `enable_thinking=False`), as in TRL, whose `chat_template_kwargs` are empty unless the user sets them.
The rendered text is tokenized without special tokens added: the template writes the ones the model expects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from .errors import SpecError
from .spec import AgentSpec, RunSpec

Messages = list[dict[str, str]]  # TS twin: TurnRecord.messages (protocol/run-dir.ts)


@dataclass(frozen=True)
class PromptFormat:
    """How one agent's prompts are written for its model: through `template_tokenizer`'s chat template, or raw."""

    system: str = ""
    template_tokenizer: Any = None  # a transformers tokenizer with a chat template; None: raw prompts
    # An API model (api_models.py): the endpoint applies its own template; the prompt is the user message itself.
    api: bool = False

    @property
    def is_chat(self) -> bool:
        return self.template_tokenizer is not None or self.api

    def render(self, user: str) -> tuple[str, Optional[Messages]]:
        """(the text the model is prompted with, the messages it was rendered from; None for raw prompts)."""
        if self.api:
            return user, chat_messages(self.system, user)
        if self.template_tokenizer is None:
            return user, None
        messages = chat_messages(self.system, user)
        text = self.template_tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        return str(text), messages


RAW = PromptFormat()


def chat_messages(system: str, user: str) -> Messages:
    """[system, user], the system message left out when empty."""
    return ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": user}]


def chat_template_tokenizer(tokenizer) -> Any:
    """The transformers tokenizer behind a trainer tokenizer when it has a chat template, else None."""
    inner = getattr(tokenizer, "inner", None)
    return inner if inner is not None and getattr(inner, "chat_template", None) else None


def system_message(spec: RunSpec, agent: AgentSpec) -> str:
    """The agent's `system`, else its role's description (empty: no system message)."""
    if agent.system is not None:
        return agent.system
    return next((r.description for r in spec.roles if r.name == agent.role), "") or ""


def prompt_format(spec: RunSpec, agent: AgentSpec, tokenizer) -> PromptFormat:
    """The agent's prompt format on its model's tokenizer; `format: chat` without a chat template is exit 3."""
    model = spec.model(agent.model)
    template = chat_template_tokenizer(tokenizer)
    if model.format == "chat" and template is None:
        kind = "a `scratch` model" if model.source.kind == "scratch" else f'the tokenizer of hf "{model.source.id}"'
        raise SpecError(
            f"model `{model.name}` has `format: chat` but {kind} has no chat template; write `format: raw` "
            "(prompts are then tokenized as plain text), or use an instruct model whose tokenizer has a chat template"
        )
    if model.format == "raw" or template is None:
        return RAW
    return PromptFormat(system=system_message(spec, agent), template_tokenizer=template)


def prompt_formats(spec: RunSpec, tokenizers: dict[str, Any]) -> dict[str, PromptFormat]:
    """Agent name -> its prompt format, from each agent's tokenizer (agents without one prompt raw)."""
    formats = {a.name: prompt_format(spec, a, tokenizers[a.name]) for a in spec.agents if a.name in tokenizers}
    for a in spec.agents:  # agents on an API model send the messages themselves
        if spec.model(a.model).source.kind == "openai":
            formats[a.name] = PromptFormat(system=system_message(spec, a), api=True)
    return formats
