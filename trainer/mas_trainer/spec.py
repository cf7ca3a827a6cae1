"""RunSpec dataclasses: one-to-one twins of protocol/run-spec.ts (snake_case JSON keys)."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

from .api_models import API_DEFAULTS
from .credit import METHODS as CREDIT_METHODS
from .credit import method_info
from .errors import SpecError
from .judge_spec import JudgeSpec, check_judges, parse_judge
from .strict_json import JsonInputError, loads
from .verifier_spec import VerifierSpec, parse_verifiers

RUN_SPEC_VERSION = 1  # TS twin: RUN_SPEC_VERSION

# What a hand-written spec may leave out of `scratch(...)` and `lora(...)` gets the language catalogue's default
# (SCRATCH_PARAMETERS, LORA_PARAMETERS in server/src/language/catalog/training-catalog.ts), generated into
# model_defaults.json by `npm run generate:credit`; compiled specs carry every field. One source of defaults.
MODEL_DEFAULTS = json.loads(Path(__file__).with_name("model_defaults.json").read_text(encoding="utf-8"))
SCRATCH_DEFAULTS: dict = MODEL_DEFAULTS["scratch"]
LORA_DEFAULTS: dict = MODEL_DEFAULTS["lora"]


@dataclass
class FieldSpec:  # TS twin: DatasetSpec.fields[i]
    name: str
    type: str


@dataclass
class DatasetSpec:  # TS twin: DatasetSpec
    name: str
    path: str
    declared_path: str
    fields: list[FieldSpec]


@dataclass
class ModelSource:  # TS twin: ModelSource ({kind:'hf', id} | {kind:'scratch', ...} | {kind:'openai', ...})
    kind: str
    id: Optional[str] = None
    layers: int = SCRATCH_DEFAULTS["layers"]
    hidden: int = SCRATCH_DEFAULTS["hidden"]
    heads: int = SCRATCH_DEFAULTS["heads"]
    context: int = SCRATCH_DEFAULTS["context"]
    vocab: str = SCRATCH_DEFAULTS["vocab"]
    # kind 'openai' (api_models.py): the endpoint, the served model's name, the env var holding the key (never the
    # key itself), seconds per call, retries, calls in flight.
    url: Optional[str] = None
    model: Optional[str] = None
    key_env: Optional[str] = None
    timeout: Optional[float] = None
    retries: Optional[int] = None
    concurrency: Optional[int] = None


OPENAI_SOURCE_KEYS = ("kind", "url", "model", "key_env", "timeout", "retries", "concurrency")
SCRATCH_SOURCE_KEYS = ("kind", "layers", "hidden", "heads", "context", "vocab")


@dataclass
class AdapterSpec:  # TS twin: ModelSpec.adapter
    kind: str
    rank: int
    alpha: float
    dropout: float = float(LORA_DEFAULTS["dropout"])
    # `lora(from: "...")`: a PEFT adapter folder to start from (JSON name `from`); its rank and alpha then come from
    # its adapter_config.json. None: a new adapter.
    from_path: Optional[str] = None


MODEL_FORMATS = ("chat", "raw")  # TS twin: MODEL_FORMATS (server/src/language/catalog/model-catalog.ts)
MODEL_DTYPES = ("auto", "bf16", "fp16", "fp32")  # TS twin: MODEL_DTYPES
MODEL_ATTENTIONS = ("sdpa", "eager", "flash_attention_2")  # TS twin: MODEL_ATTENTIONS


@dataclass
class ModelSpec:  # TS twin: ModelSpec
    name: str
    source: ModelSource
    adapter: Optional[AdapterSpec]
    format: Optional[str] = None  # chat | raw; None: chat when the tokenizer has a chat template, raw otherwise
    dtype: str = "auto"  # auto: bf16 for a LoRA model's frozen base on a GPU that supports it, fp32 elsewhere
    attention: Optional[str] = None  # transformers' attn_implementation; None: transformers' choice
    gradient_checkpointing: bool = False


@dataclass
class RoleSpec:  # TS twin: RoleSpec
    name: str
    description: str


@dataclass
class AgentSpec:  # TS twin: AgentSpec
    name: str
    role: str
    model: str
    sharing: str
    prompt: list[dict]  # TemplatePart: {"text": str} | {"ref": {"op": "task"|"output", ...}}
    max_tokens: int
    temperature: float
    stop: Optional[str]
    null_behaviour: dict
    top_p: float = 1.0  # nucleus sampling; 1 is off
    top_k: int = 0  # sample among the k most likely tokens; 0 is off
    system: Optional[str] = None  # the chat system message; None: the role's description (empty: none)
    frozen: bool = False  # never trained: acts in rollouts, no training credit; absent in older specs: False


@dataclass
class EdgeSpec:  # TS twin: EdgeSpec
    from_: str  # JSON key "from"
    to: str
    condition: Optional[dict]
    max: Optional[int]


@dataclass
class CriterionSpec:  # TS twin: CriterionSpec
    name: str
    weight: float
    expr: Optional[dict] = None  # exactly one of expr and judge (judge_spec.py checks)
    judge: Optional[JudgeSpec] = None


@dataclass
class RubricSpec:  # TS twin: RubricSpec
    name: str
    criteria: list[CriterionSpec]


@dataclass
class RewardSpec:  # TS twin: RewardSpec
    name: str
    rubric: str
    level: str


@dataclass
class AlgorithmSpec:  # TS twin: TrainSpec.algorithm
    name: str
    group: int
    clip: float
    kl: float


@dataclass
class CreditSpec:  # TS twin: TrainSpec.credit
    method: str
    params: dict = field(default_factory=dict)


@dataclass
class StopWhenSpec:  # TS twin: StopWhenSpec
    """End the run after the step at which `metric op threshold` has held for `steps` consecutive steps."""

    metric: str  # success | reward_mean | a criterion of the reward rubric
    op: str  # >= | <= | > | <
    threshold: float
    steps: int


STOP_WHEN_OPS = (">=", "<=", ">", "<")
STOP_WHEN_METRICS = ("success", "reward_mean")


@dataclass
class TrainSpec:  # TS twin: TrainSpec
    dataset: str
    algorithm: AlgorithmSpec
    credit: CreditSpec
    steps: int
    batch: int
    lr: float
    seed: int
    device: str
    max_turns: int
    record_credit: Union[str, list]
    checkpoint_every: int
    critic: Optional[str]
    stop_when: Optional[StopWhenSpec] = None
    # Padded prompt + output tokens per forward of the update, the KL reference and the critic; None: chosen from the
    # device's memory (mas_trainer/memory_budget.py), and the chosen value recorded in run.json and metrics.jsonl.
    micro_batch_tokens: Optional[int] = None
    verifier_timeout: float = 10.0  # seconds per verifier call (catalogue default; absent in older specs)
    verifier_memory: int = 1024  # MiB per verifier worker
    verifier_workers: int = 2


@dataclass
class RunSpec:  # TS twin: RunSpec
    version: int
    workflow: str
    source: dict
    datasets: list[DatasetSpec]
    models: list[ModelSpec]
    roles: list[RoleSpec]
    agents: list[AgentSpec]
    edges: list[EdgeSpec]  # TS: graph.edges
    rubrics: list[RubricSpec]
    reward: RewardSpec
    train: TrainSpec
    verifiers: list[VerifierSpec] = field(default_factory=list)

    def agent(self, name: str) -> AgentSpec:
        return next(a for a in self.agents if a.name == name)

    def model(self, name: str) -> ModelSpec:
        return next(m for m in self.models if m.name == name)

    def rubric(self, name: str) -> RubricSpec:
        return next(r for r in self.rubrics if r.name == name)

    def to_json(self) -> dict:
        """Back to the protocol's JSON shape (run.json embeds it)."""
        data = asdict(self)
        data["graph"] = {"edges": [{"from": e.pop("from_"), **e} for e in data.pop("edges")]}
        for model in data["models"]:
            src = model["source"]
            if src["kind"] == "hf":
                model["source"] = {"kind": "hf", "id": src["id"]}
            else:
                keys = OPENAI_SOURCE_KEYS if src["kind"] == "openai" else SCRATCH_SOURCE_KEYS
                model["source"] = {k: src[k] for k in keys}
        for rubric in data["rubrics"]:  # a criterion carries `expr` or `judge`, not the other as null
            for c in rubric["criteria"]:
                for key in ("expr", "judge"):
                    if c.get(key) is None:
                        c.pop(key, None)
        return data


def _get(obj: Any, key: str, where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise SpecError(f"the run spec lacks `{where}.{key}`; recompile it with `mas compile`")
    return obj[key]


def _build(cls, obj: dict, where: str, **override):
    names = [f for f in cls.__dataclass_fields__ if f not in override]
    required = [
        f
        for f, d in cls.__dataclass_fields__.items()
        if f not in override and d.default is d.default_factory is __import__("dataclasses").MISSING
    ]
    kwargs = {n: obj[n] for n in names if n in obj}
    for n in required:
        if n not in kwargs:
            _get(obj, n, where)
    return cls(**kwargs, **override)


def _adapter(obj: dict) -> AdapterSpec:
    start = obj.get("from") if isinstance(obj, dict) else None
    if start is not None and (not isinstance(start, str) or not start):
        raise SpecError("adapter.from must be the folder of a PEFT adapter; recompile with `mas compile`")
    return _build(AdapterSpec, obj, "adapter", from_path=start)


def parse_criterion(c: Any) -> CriterionSpec:
    """A criterion: an expression (`expr`) or a judge (`judge`), never both, never neither."""
    if not isinstance(c, dict) or ("expr" in c) == ("judge" in c):
        raise SpecError(
            "each rubric criterion needs exactly one of `expr` and `judge`; recompile it with `mas compile`"
        )
    if "judge" in c:
        return _build(CriterionSpec, c, "criteria[]", judge=parse_judge(c["judge"], str(c.get("name"))))
    return _build(CriterionSpec, c, "criteria[]")


def parse_spec(data: Any) -> RunSpec:
    if not isinstance(data, dict):
        raise SpecError("the run spec must be a JSON object; produce it with `mas compile <file.mas>`")
    version = data.get("version")
    if version != RUN_SPEC_VERSION:
        raise SpecError(
            f"run spec version {version!r} is not supported (this trainer reads version "
            f"{RUN_SPEC_VERSION}); update MAS Studio and the trainer together"
        )
    train = _get(data, "train", "spec")
    spec = RunSpec(
        version=version,
        workflow=_get(data, "workflow", "spec"),
        source=data.get("source", {}),
        datasets=[
            _build(DatasetSpec, d, "datasets[]", fields=[FieldSpec(**f) for f in d.get("fields", [])])
            for d in _get(data, "datasets", "spec")
        ],
        models=[
            _build(
                ModelSpec,
                m,
                "models[]",
                source=_build(ModelSource, _get(m, "source", "models[]"), "source"),
                adapter=_adapter(m["adapter"]) if m.get("adapter") else None,
            )
            for m in _get(data, "models", "spec")
        ],
        roles=[_build(RoleSpec, r, "roles[]") for r in data.get("roles", [])],
        agents=[_build(AgentSpec, a, "agents[]") for a in _get(data, "agents", "spec")],
        edges=[
            _build(EdgeSpec, e, "graph.edges[]", from_=_get(e, "from", "graph.edges[]"))
            for e in _get(_get(data, "graph", "spec"), "edges", "graph")
        ],
        rubrics=[
            _build(
                RubricSpec,
                r,
                "rubrics[]",
                criteria=[parse_criterion(c) for c in _get(r, "criteria", "rubrics[]")],
            )
            for r in _get(data, "rubrics", "spec")
        ],
        reward=_build(RewardSpec, _get(data, "reward", "spec"), "reward"),
        train=_build(
            TrainSpec,
            train,
            "train",
            algorithm=_build(AlgorithmSpec, _get(train, "algorithm", "train"), "train.algorithm"),
            credit=_build(CreditSpec, _get(train, "credit", "train"), "train.credit"),
            stop_when=_build(StopWhenSpec, train["stop_when"], "train.stop_when") if train.get("stop_when") else None,
        ),
        verifiers=parse_verifiers(data.get("verifiers")),
    )
    _validate(spec)
    return spec


def _validate_sampling(a: AgentSpec) -> None:
    top_p, top_k = a.top_p, a.top_k
    if isinstance(top_p, bool) or not isinstance(top_p, (int, float)) or not 0 < top_p <= 1:
        raise SpecError(f"agent `{a.name}` has top_p {top_p!r}; use a number in (0, 1] (1 turns nucleus sampling off)")
    if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 0:
        raise SpecError(f"agent `{a.name}` has top_k {top_k!r}; use a whole number >= 0 (0 turns top-k off)")


def _validate(spec: RunSpec) -> None:
    models = {m.name for m in spec.models}
    agents = {a.name for a in spec.agents}
    for a in spec.agents:
        if a.model not in models:
            raise SpecError(f"agent `{a.name}` uses unknown model `{a.model}`; recompile with `mas compile`")
        if spec.model(a.model).source.kind == "openai":
            a.frozen = True  # an API model is never trained, whatever a hand-written spec says
        if a.sharing not in ("shared", "adapter", "weights"):
            raise SpecError(f"agent `{a.name}` has unknown sharing `{a.sharing}`")
        # A frozen agent's sharing is ignored (it acts with adapters disabled): the editor only warns about it.
        if a.sharing == "adapter" and not a.frozen and spec.model(a.model).adapter is None:
            raise SpecError(f"agent `{a.name}` wants its own adapter but model `{a.model}` declares none")
    for m in spec.models:
        _validate_model_settings(m)
    for a in spec.agents:
        if a.system is not None and not isinstance(a.system, str):
            raise SpecError(
                f"agent `{a.name}` has a `system` message that is not a string; recompile with `mas compile`"
            )
        _validate_sampling(a)
        if not isinstance(a.frozen, bool):
            raise SpecError(f"agent `{a.name}`: frozen must be true or false; recompile with `mas compile`")
    for e in spec.edges:
        if e.from_ not in agents | {"start"} or e.to not in agents | {"end"}:
            raise SpecError(f"graph edge {e.from_} -> {e.to} names an unknown agent")
    if spec.reward.rubric not in {r.name for r in spec.rubrics}:
        raise SpecError(f"reward uses unknown rubric `{spec.reward.rubric}`")
    if spec.reward.level not in ("trajectory", "turn", "agent"):
        raise SpecError(f"unknown reward level `{spec.reward.level}`")
    if spec.train.dataset not in {d.name for d in spec.datasets}:
        raise SpecError(f"train uses unknown dataset `{spec.train.dataset}`")
    if spec.train.algorithm.group < 1 or spec.train.batch < 1 or spec.train.steps < 0:
        raise SpecError("train needs group >= 1, batch >= 1 and steps >= 0")
    if spec.train.credit.method not in CREDIT_METHODS:
        raise SpecError(f"unknown credit method `{spec.train.credit.method}`")
    _validate_stop_when(spec)
    budget = spec.train.micro_batch_tokens
    if budget is not None and (not isinstance(budget, int) or isinstance(budget, bool) or budget < 1):
        raise SpecError(f"train.micro_batch_tokens must be a whole number >= 1 or absent, got {budget!r}")
    _validate_verifier_settings(spec.train)
    check_judges(spec)
    fanout = spec.train.credit.params.get("fanout") if method_info(spec.train.credit.method).needs_tree else None
    if isinstance(fanout, list) and all(isinstance(n, int) and n >= 1 for n in fanout):
        product = 1
        for n in fanout:
            product *= n
        if product != spec.train.algorithm.group:  # the tree's leaves are the GRPO group
            raise SpecError(
                f"the counterfactual fan-out {fanout} makes {product} leaves but the GRPO group is "
                f"{spec.train.algorithm.group}; set `group: {product}` or change the fan-out"
            )


def _validate_model_settings(m: ModelSpec) -> None:
    for key, value, allowed in (
        ("format", m.format, (None, *MODEL_FORMATS)),
        ("dtype", m.dtype, MODEL_DTYPES),
        ("attention", m.attention, (None, *MODEL_ATTENTIONS)),
    ):
        if value not in allowed:
            words = ", ".join(str(w) for w in allowed if w is not None)
            raise SpecError(f"model `{m.name}` has unknown {key} {value!r}; use one of {words}")
    if m.format == "chat" and m.source.kind == "scratch":
        raise SpecError(
            f"model `{m.name}` has `format: chat` but a `scratch` model has no chat template; write `format: raw` "
            "or leave `format` out"
        )
    if not isinstance(m.gradient_checkpointing, bool):
        raise SpecError(f"model `{m.name}`: gradient_checkpointing must be true or false")
    if m.source.kind == "openai":
        _validate_openai_source(m)


def _validate_openai_source(m: ModelSpec) -> None:
    """The shape only; ApiModel checks the values again when it is built (a hand-written spec is hostile too)."""
    src = m.source
    if not isinstance(src.url, str) or not src.url.startswith(("http://", "https://")):
        raise SpecError(f"model `{m.name}`: an openai source needs an http(s) `url`; recompile with `mas compile`")
    if not isinstance(src.model, str) or not src.model:
        raise SpecError(f"model `{m.name}`: an openai source needs the served `model` name")
    if src.key_env is not None and not isinstance(src.key_env, str):
        raise SpecError(f"model `{m.name}`: `key_env` must be an environment variable name or null")
    for key, low in (("timeout", 0), ("retries", 0), ("concurrency", 1)):
        value = getattr(src, key)
        if value is None:
            setattr(src, key, API_DEFAULTS[key])
        elif (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or value < low
            or (key == "timeout" and value == 0)
        ):
            raise SpecError(
                f"model `{m.name}`: `{key}` must be a number >= {low}" + (" (and > 0)" if key == "timeout" else "")
            )


def _validate_stop_when(spec: RunSpec) -> None:
    cond = spec.train.stop_when
    if cond is None:
        return
    metrics = [*STOP_WHEN_METRICS, *(c.name for c in spec.rubric(spec.reward.rubric).criteria)]
    if cond.metric not in metrics:
        raise SpecError(f"stop_when reads `{cond.metric}`, which no step records; use one of {', '.join(metrics)}")
    if cond.op not in STOP_WHEN_OPS:
        raise SpecError(f"stop_when has unknown comparison `{cond.op}`; use one of {', '.join(STOP_WHEN_OPS)}")
    threshold_ok = isinstance(cond.threshold, (int, float)) and not isinstance(cond.threshold, bool)
    if not threshold_ok or not isinstance(cond.steps, int) or isinstance(cond.steps, bool) or cond.steps < 1:
        raise SpecError("stop_when needs a number threshold and a whole number of steps >= 1")


def _validate_verifier_settings(train: TrainSpec) -> None:
    def number(v: Any) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    if not number(train.verifier_timeout) or not train.verifier_timeout > 0:
        raise SpecError("train.verifier_timeout must be a number of seconds > 0")
    for key in ("verifier_memory", "verifier_workers"):
        value = getattr(train, key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise SpecError(f"train.{key} must be a whole number >= 1")


def load_spec(path: str) -> RunSpec:
    """Reads a RunSpec from a file, or from stdin when path is `-`."""
    try:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    except OSError as err:
        raise SpecError(f"cannot read the run spec {path}: {err.strerror}; pass a file from `mas compile`")
    if not text.strip():
        source = "stdin" if path == "-" else path
        raise SpecError(
            f"the run spec on {source} is empty; if it was piped from `mas compile`, fix the errors "
            "that `mas compile` printed"
        )
    try:
        data = loads(text)  # strict: no NaN / Infinity, nesting bounded (no RecursionError)
    except JsonInputError as err:
        raise SpecError(
            f"the run spec {path} is not standard JSON ({err}); produce it with `mas compile <file.mas>`"
        ) from None
    spec = parse_spec(data)
    # Compiled specs carry absolute dataset paths; a hand-written one may be relative to its own folder.
    base = os.getcwd() if path == "-" else os.path.dirname(os.path.abspath(path))
    for d in spec.datasets:
        if not os.path.isabs(d.path):
            d.path = os.path.join(base, d.path)
    for v in spec.verifiers:
        if not os.path.isabs(v.file):
            v.file = os.path.join(base, v.file)
    return spec
