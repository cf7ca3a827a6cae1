"""Judge criteria (issue 16 item 3): a rubric criterion scored by a frozen model's answer.

For each scoring context (rewards.scoring_contexts), the judge's prompt template is rendered with the same holes as
agent prompts (`{{task.x}}`, `{{agent.output}}`), sent as the user message, and the answer's score parsed
(judge_parse: first number in the scale) and normalised to 0..1. Judges are asked in batches ahead of scoring
(`prefetch`, as the verifier pool is), one batch per judge model; answers are cached on disk (judge_cache), so
re-scoring a run a second time calls no model. A failed call or an answer without a score gives null: the criterion
scores 0 (protocol/EXPRESSIONS.md, null rules), its record says `judge_error`, the step's `judge_errors` metric counts
it per judge (criterion name), and the failure is logged once with its input.

`make_judge_runner` is the one constructor the trainer and `python -m mas_trainer rescore` call; it holds no
training-loop state.
"""

from __future__ import annotations

import json
import os
from typing import Any, Mapping, Optional

from .expr import EvalContext
from .judge_backends import ChatBackend, LazyBackend, make_backend, model_identity
from .judge_cache import JudgeCache, cache_key
from .judge_parse import normalise, parse_score
from .judge_spec import JudgeSpec, judged_criteria
from .rollout import fill_template
from .spec import CriterionSpec, RunSpec

MAX_LOGGED_INPUT = 500  # characters of a failing judge's prompt and answer written to the log
MAX_LOGGED_FAILURES = 200


def render_prompt(judge: JudgeSpec, context: EvalContext) -> str:
    """The judge's template on a scoring context, filled as agent prompts are."""
    return fill_template(judge.prompt, context.task, context.outputs)


def _short(text: str) -> str:
    return text if len(text) <= MAX_LOGGED_INPUT else text[: MAX_LOGGED_INPUT - 1] + "…"


class JudgeRunner:
    """Asks the judges of a spec and scores their criteria; `backends` maps judge model name -> ChatBackend."""

    def __init__(self, spec: RunSpec, backends: Mapping[str, ChatBackend], cache: Optional[JudgeCache], log) -> None:
        self.spec, self.backends, self.cache, self.log = spec, dict(backends), cache, log
        self.identity = {name: model_identity(spec, spec.model(name)) for name in self.backends}
        self.answers: dict[str, str] = {}  # key -> answer, for this process (the disk cache persists them)
        self.calls = 0  # prompts sent to a model (not answered from the cache)
        self._judged = list(dict.fromkeys(c.name for _, c in judged_criteria(spec)))
        self._errors: dict[str, int] = dict.fromkeys(self._judged, 0)
        self._logged: set[tuple[str, str]] = set()

    def _key(self, name: str, judge: JudgeSpec, context: EvalContext) -> tuple[str, str]:
        prompt = render_prompt(judge, context)
        output = context.ctx.get("output")
        key = cache_key(
            name, self.identity[judge.model], prompt, output if isinstance(output, str) else "",
            judge.max_tokens, judge.temperature,
        )  # fmt: skip
        return key, prompt

    def prefetch(self, criteria: list, contexts: list[EvalContext]) -> None:
        """Answers every judge criterion of `criteria` on every context: cache first, then one batch per model."""
        missing: dict[tuple, dict[str, str]] = {}  # (model, max_tokens, temperature) -> key -> prompt
        for c in (c for c in criteria if c.judge is not None):
            for context in contexts:
                key, prompt = self._key(c.name, c.judge, context)
                if key in self.answers:
                    continue
                cached = self.cache.get(key) if self.cache is not None else None
                if cached is not None:
                    self.answers[key] = cached
                    continue
                missing.setdefault((c.judge.model, c.judge.max_tokens, c.judge.temperature), {})[key] = prompt
        for (model, max_tokens, temperature), prompts in missing.items():
            keys = list(prompts)
            batch = [[{"role": "user", "content": prompts[k]}] for k in keys]
            self.calls += len(batch)
            try:
                answers = self.backends[model].chat(batch, max_tokens=max_tokens, temperature=temperature)
                if not isinstance(answers, list) or len(answers) != len(batch):
                    raise ValueError(f"the backend gave {len(answers) if isinstance(answers, list) else '?'} answers")
            except Exception as err:  # noqa: BLE001 - a judge model that fails scores null; the run goes on
                self.log.warning("judge model `%s` failed on %d prompts (%s: %s); those criteria score null",
                                 model, len(batch), type(err).__name__, _short(str(err)))  # fmt: skip
                continue  # no answer stored: score() finds none, counts and logs each criterion
            fresh = [(k, a) for k, a in zip(keys, answers) if isinstance(a, str)]
            self.answers.update(fresh)
            if self.cache is not None:
                self.cache.put_many(fresh)

    def score(self, name: str, judge: JudgeSpec, context: EvalContext) -> Optional[float]:
        """The criterion's 0..1 score on the context, or None (counted, logged) when the judge gave no score."""
        key, prompt = self._key(name, judge, context)
        answer = self.answers.get(key)
        if answer is None:
            self.prefetch([CriterionSpec(name, 0.0, judge=judge)], [context])
            answer = self.answers.get(key)
        lo, hi = judge.scale
        value = parse_score(answer, lo, hi) if answer is not None else None
        if value is None:
            self._fail(name, "no answer" if answer is None else "no score in the scale", prompt, answer)
            return None
        return normalise(value, lo, hi)

    @property
    def cache_run_dir(self) -> Optional[str]:
        """The run directory whose judge-cache/ holds this runner's answers (None: no disk cache)."""
        return self.cache.run_dir if self.cache is not None else None

    def use_run_dir(self, run_dir: Optional[str]) -> None:
        """Caches answers in another run directory from now on (re-scoring several runs with one set of models)."""
        self.cache = JudgeCache(run_dir, self.log) if run_dir is not None else None
        self.answers.clear()  # what another run's cache held is not this run's to reuse unasked

    def end_step(self) -> dict[str, int]:
        """The step's judge failures per judged criterion (metrics `judge_errors`), then reset."""
        counts, self._errors = self._errors, dict.fromkeys(self._judged, 0)
        return counts

    def _fail(self, name: str, why: str, prompt: str, answer: Optional[str]) -> None:
        self._errors[name] = self._errors.get(name, 0) + 1
        signature = (name, why)
        if signature in self._logged or len(self._logged) >= MAX_LOGGED_FAILURES:
            return
        self._logged.add(signature)
        self.log.warning(
            "judge `%s`: %s (the criterion scores null; logged once) on the prompt %s, answer %s",
            name, why, json.dumps(_short(prompt), ensure_ascii=False),
            json.dumps(_short(answer), ensure_ascii=False) if answer is not None else "none",
        )  # fmt: skip


def make_judge_runner(
    spec: RunSpec,
    run_dir: Optional[str],
    device,
    log,
    policies: Optional[Mapping[str, Any]] = None,
    backends: Optional[Mapping[str, ChatBackend]] = None,
    environ: Mapping[str, str] = os.environ,
) -> Optional[JudgeRunner]:
    """The runner for a spec whose rubrics have judge criteria (None when none has): the trainer passes its loaded
    `policies` (a LoRA model's base is shared, adapters off), the rescore command passes none; `backends` (tests)
    replaces the models by name; `run_dir` None: no disk cache."""
    judged = judged_criteria(spec)
    if not judged:
        return None
    given = dict(backends or {})
    models = list(dict.fromkeys(c.judge.model for _, c in judged))
    for name in models:
        if name not in given:  # built on first use: a fully cached re-score loads no model
            model = spec.model(name)
            given[name] = LazyBackend(lambda m=model: make_backend(spec, m, device, policies, environ))
    cache = JudgeCache(run_dir, log) if run_dir is not None else None
    return JudgeRunner(spec, given, cache, log)
