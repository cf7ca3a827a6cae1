"""A rubric criterion scored by a frozen model (TS twin: JudgeSpec in protocol/run-spec.ts; issue 16 item 3).

`judge style weight 0.3 { model: critic_model  prompt: "Rate ... {{solver.output}}"  scale: 1..10 }` compiles to a
criterion whose `judge` is checked here before any model is built (exit 3 with what to change): the model exists, its
weights do not move during the run (a model that an agent trains with full weights would judge with weights that
change every step), the scale is two numbers lo < hi, the prompt is a template of text and `task` / `output` holes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .errors import SpecError

MAX_JUDGE_TOKENS = 4096  # longest answer a judge may write; its score is in the first few tokens anyway


@dataclass
class JudgeSpec:  # TS twin: JudgeSpec
    model: str
    prompt: list = field(default_factory=list)  # TemplatePart[]: {text} | {ref: {op: task|output, ...}}
    scale: list = field(default_factory=lambda: [1, 10])  # [lo, hi]
    max_tokens: int = 16
    temperature: float = 0.0  # 0: greedy (the default); absent in specs that do not set it


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _check_part(part: Any, where: str) -> None:
    if isinstance(part, dict) and set(part) == {"text"} and isinstance(part["text"], str):
        return
    ref = part.get("ref") if isinstance(part, dict) and set(part) == {"ref"} else None
    if isinstance(ref, dict) and ref.get("op") == "task" and isinstance(ref.get("field"), str):
        return
    if isinstance(ref, dict) and ref.get("op") == "output" and isinstance(ref.get("agent"), str):
        return
    raise SpecError(f"{where}: a prompt part must be {{text}} or a task/output reference; recompile with `mas compile`")


def parse_judge(data: Any, criterion: str) -> JudgeSpec:
    """A criterion's `judge` object, its shape checked (names are checked against the spec by check_judges)."""
    where = f"criterion `{criterion}`'s judge"
    if not isinstance(data, dict) or not isinstance(data.get("model"), str):
        raise SpecError(f"{where} must be an object naming its `model`; recompile with `mas compile`")
    prompt, scale = data.get("prompt"), data.get("scale")
    max_tokens, temperature = data.get("max_tokens", 16), data.get("temperature", 0.0)
    if not isinstance(prompt, list) or not prompt:
        raise SpecError(f"{where} has an empty prompt; write what the judge model is asked, with {{{{agent.output}}}}")
    for part in prompt:
        _check_part(part, where)
    if not isinstance(scale, list) or len(scale) != 2 or not all(_number(v) for v in scale) or scale[0] >= scale[1]:
        raise SpecError(f"{where} has the scale {scale!r}; write `scale: lo..hi` with lo < hi (e.g. 1..10)")
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or not 1 <= max_tokens <= MAX_JUDGE_TOKENS:
        raise SpecError(f"{where} has max_tokens {max_tokens!r}; use a whole number from 1 to {MAX_JUDGE_TOKENS}")
    if not _number(temperature) or temperature < 0:
        raise SpecError(f"{where} has temperature {temperature!r}; use a number >= 0 (0 is greedy)")
    return JudgeSpec(data["model"], prompt, [float(scale[0]), float(scale[1])], max_tokens, float(temperature))


def judged_criteria(spec) -> list:
    """Every (rubric, criterion) pair of the spec whose criterion is a judge."""
    return [(r, c) for r in spec.rubrics for c in r.criteria if c.judge is not None]


def check_judges(spec) -> None:
    """Names and the frozen-weights rule (the language's `judge-trained-model` error, for hand-written specs)."""
    models = {m.name: m for m in spec.models}
    agents = {a.name for a in spec.agents}
    fields = {f.name for d in spec.datasets for f in d.fields}
    for rubric, c in judged_criteria(spec):
        where = f"criterion `{c.name}` of rubric `{rubric.name}`"
        model = models.get(c.judge.model)
        if model is None:
            raise SpecError(f"{where} is judged by unknown model `{c.judge.model}`; declare it with `model`")
        trainable = model.source.kind in ("hf", "scratch")  # an API model's weights never move
        full = [
            a.name
            for a in spec.agents
            if a.model == model.name and model.adapter is None and trainable and not a.frozen
        ]
        if full:
            raise SpecError(
                f"{where} is judged by model `{model.name}`, which agent `{full[0]}` trains with full weights: "
                "the judge would score with weights that change every step; declare a separate model for the judge"
            )
        for part in c.judge.prompt:
            ref = part.get("ref")
            if ref and ref["op"] == "output" and ref["agent"] not in agents:
                raise SpecError(f"{where}: its prompt reads `{ref['agent']}.output` but there is no such agent")
            if ref and ref["op"] == "task" and ref["field"] not in fields:
                raise SpecError(f"{where}: its prompt reads `task.{ref['field']}`, which no dataset declares")
