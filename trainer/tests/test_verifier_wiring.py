"""Verifier calls in the trainer (issue 16 item 1): the evaluator's hook, the null rule and `verifier_error`, the
step's `verifier_errors` metric, one log line per distinct failure with its input, exit 3 for a missing file.

The trainer takes its verifier pool by injection; these tests pass an in-process fake with the pool's interface
(mas_trainer.verifiers.VerifierPool), so that they test the wiring and not the pool (tested on its own)."""

import json
import runpy
from dataclasses import dataclass
from typing import Optional

import pytest
from helpers import lazy_team_data

from mas_trainer.errors import EXIT_BAD_SPEC, SpecError
from mas_trainer.expr import EvalContext, EvalError, Evaluator
from mas_trainer.rewards import rubric_value
from mas_trainer.spec import parse_spec
from mas_trainer.trainer import RunOptions, Trainer
from mas_trainer.verifier_spec import parse_verifiers

# Raises on some outputs (the scratch model's random text), returns a bool on the others.
VERIFIER_FILE = """
def starts_upper(text):
    # Fails on about half of the outputs whatever the sampler draws (an even code point first, or nothing).
    if not text or ord(text[0]) % 2 == 0:
        raise ValueError("cannot judge a text starting with %r" % text[:1])
    return text[:1].isupper()
"""


@dataclass
class FakeResult:  # the fields of mas_trainer.verifiers.VerifierResult
    value: Optional[float]
    error: Optional[str]
    detail: str = ""


class InProcessPool:
    """The pool's interface, calling the user's function in this process."""

    def __init__(self, file: str, function: str):
        self.function = runpy.run_path(file)[function]
        self.errors: dict[str, int] = {}
        self.calls: list[tuple[str, tuple]] = []
        self.batches: list[list[tuple[str, tuple]]] = []
        self.closed = False

    def call(self, name, args):
        self.calls.append((name, args))
        try:
            value = self.function(*args)
        except Exception as err:  # what the pool's worker reports for a raising verifier
            self.errors[name] = self.errors.get(name, 0) + 1
            return FakeResult(None, "exception", f"{type(err).__name__}: {err}")
        return FakeResult(float(value), None)

    def call_many(self, calls):
        self.batches.append(list(calls))
        return [self.call(name, args) for name, args in calls]

    def error_counts(self):
        return dict(self.errors)

    def close(self):
        self.closed = True


def verifier_spec_data(tmp_path) -> dict:
    """The lazy team with its first criterion replaced by a verifier call on the first agent's output."""
    path = tmp_path / "checks.py"
    path.write_text(VERIFIER_FILE, encoding="utf-8")
    data = lazy_team_data()
    data["verifiers"] = [
        {
            "name": "upper",
            "params": [{"name": "text", "type": "string"}],
            "returns": "bool",
            "file": str(path),
            "function": "starts_upper",
        }
    ]
    criteria = data["rubrics"][0]["criteria"]
    criteria[0]["expr"] = {"op": "verifier", "name": "upper", "args": [{"op": "output", "agent": "first"}]}
    data["train"].update(steps=2, batch=2, checkpoint_every=2)
    data["train"]["algorithm"]["group"] = 4
    return data


def test_a_tiny_run_scores_counts_and_logs_verifier_failures_and_goes_on(tmp_path):
    data = verifier_spec_data(tmp_path)
    pool = InProcessPool(data["verifiers"][0]["file"], "starts_upper")
    run_dir = tmp_path / "run"
    Trainer(parse_spec(data), RunOptions(str(run_dir)), verifier_pool=pool).run()

    metrics = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert [m["step"] for m in metrics] == [1, 2]
    assert pool.closed
    # A step's final transcripts go to the pool in one batch (all workers at once), each distinct input once; with
    # `outcome` credit at trajectory level nothing is left to call one by one.
    assert len(pool.batches) == 2
    assert all(len(batch) == len(set(batch)) for batch in pool.batches)
    assert len(pool.calls) == sum(len(batch) for batch in pool.batches)
    # Per step, not cumulative: the two steps' counts add up to the pool's total.
    assert sum(m["verifier_errors"]["upper"] for m in metrics) == pool.errors["upper"]

    records = [
        json.loads(line)
        for step in (1, 2)
        for line in (run_dir / "trajectories" / f"{step}.jsonl").read_text().splitlines()
    ]

    def raises(output: str) -> bool:  # the rule of starts_upper above
        return not output or ord(output[0]) % 2 == 0

    failing = [r for r in records if raises(r["turns"][0]["output"]) and r["turns"][0]["agent"] == "first"]
    passing = [r for r in records if r not in failing]
    assert failing and passing, "the random outputs should include texts that raise and texts that do not"
    for r in failing:
        assert r["criteria_errors"] == {"first_case": "verifier_error"}
        assert r["criteria"]["first_case"] == 0.0  # null scores 0 (EXPRESSIONS.md)
    for r in passing:
        assert "first_case" not in r["criteria_errors"]
        output = next(t["output"] for t in r["turns"] if t["agent"] == "first")
        assert r["criteria"]["first_case"] == (1.0 if output[:1].isupper() else 0.0)
    assert pool.errors["upper"] >= len({json.dumps(r["turns"][0]["output"]) for r in failing})

    log = (run_dir / "trainer.log").read_text(encoding="utf-8")
    lines = [line for line in log.splitlines() if "verifier upper failed" in line]
    assert lines, log
    assert all("ValueError: cannot judge a text starting with" in line for line in lines)
    # Once per distinct failure, each with its input.
    assert len(lines) == len(set(lines))
    assert any(json.dumps([r["turns"][0]["output"]], ensure_ascii=False) in log for r in failing)
    _check_schemas(run_dir, metrics, records)


def _check_schemas(run_dir, metrics, records):
    """What the editor reads still validates: run.json (with the spec's verifiers), metrics, trajectories."""
    pytest.importorskip("jsonschema")
    from test_run_dir_schemas import _schema, _validator

    _validator(_schema("run-dir", "run.schema.json")).validate(json.loads((run_dir / "run.json").read_text()))
    for record in metrics:
        _validator(_schema("run-dir", "metrics-record.schema.json")).validate(record)
    for record in records:
        _validator(_schema("run-dir", "trajectory-record.schema.json")).validate(record)


def test_a_missing_verifier_file_is_exit_3_with_its_path_before_training(tmp_path):
    data = verifier_spec_data(tmp_path)
    data["verifiers"][0]["file"] = str(tmp_path / "gone.py")
    with pytest.raises(SpecError) as raised:
        Trainer(parse_spec(data), RunOptions(str(tmp_path / "run")), verifier_pool=InProcessPool.__new__(InProcessPool))
    assert raised.value.exit_code == EXIT_BAD_SPEC
    assert str(tmp_path / "gone.py") in str(raised.value)
    assert not (tmp_path / "run" / "metrics.jsonl").exists()


def test_a_call_of_an_undeclared_verifier_is_exit_3(tmp_path):
    data = verifier_spec_data(tmp_path)
    data["rubrics"][0]["criteria"][1]["expr"] = {"op": "verifier", "name": "nosuch", "args": []}
    pool = InProcessPool(data["verifiers"][0]["file"], "starts_upper")
    with pytest.raises(SpecError, match="nosuch"):
        Trainer(parse_spec(data), RunOptions(str(tmp_path / "run")), verifier_pool=pool)


def test_the_evaluator_hook_null_rules_and_verifier_error():
    answers = {"yes": 1.0, "no": 0.0}

    def hook(name, args):
        assert name == "v"
        return answers.get(args[0])  # None: the call failed

    evaluator = Evaluator(hook)
    call = {"op": "verifier", "name": "v", "args": [{"op": "task", "field": "a"}]}
    assert evaluator.evaluate(call, EvalContext(task={"a": "yes"})) == 1.0
    product = {"op": "*", "left": call, "right": {"op": "num", "value": 2}}
    assert evaluator.evaluate(product, EvalContext(task={"a": "maybe"})) is None  # a failed call: null
    assert evaluator.verifier_nulls == 1
    # A null argument gives null without a call (and is no failure).
    assert evaluator.evaluate(call, EvalContext(task={})) is None and evaluator.verifier_nulls == 1
    with pytest.raises(EvalError) as raised:
        Evaluator().evaluate(call, EvalContext())
    assert raised.value.kind == "needs_trainer"

    rubric = parse_spec(lazy_team_data()).rubrics[0]
    rubric.criteria[0].expr = call
    errors: dict = {}
    total, scores = rubric_value(rubric, Evaluator(hook), EvalContext(task={"a": "maybe"}, outputs={}), errors)
    assert scores["first_case"] == 0.0 and errors == {"first_case": "verifier_error"}
    errors = {}
    rubric_value(rubric, Evaluator(hook), EvalContext(task={"a": "yes"}, outputs={}), errors)
    assert errors == {}


def test_the_spec_reads_verifiers_and_their_settings(tmp_path):
    data = verifier_spec_data(tmp_path)
    data["train"].update(verifier_timeout=2.5, verifier_memory=256, verifier_workers=1)
    spec = parse_spec(data)
    assert spec.verifiers[0].function == "starts_upper" and spec.verifiers[0].params[0].type == "string"
    assert (spec.train.verifier_timeout, spec.train.verifier_memory, spec.train.verifier_workers) == (2.5, 256, 1)
    assert spec.to_json()["verifiers"][0]["params"] == [{"name": "text", "type": "string"}]
    older = lazy_team_data()
    assert parse_spec(older).verifiers == [] and parse_spec(older).train.verifier_timeout == 10.0
    for broken in (
        [{"name": "x y", "params": [], "returns": "bool", "file": "/f.py", "function": "f"}],
        [{"name": "x", "params": [], "returns": "string", "file": "/f.py", "function": "f"}],
        [
            {
                "name": "x",
                "params": [{"name": "a", "type": "regex"}],
                "returns": "bool",
                "file": "/f.py",
                "function": "f",
            }
        ],
        "all",
    ):
        with pytest.raises(SpecError):
            parse_verifiers(broken)
    data["train"]["verifier_timeout"] = 0
    with pytest.raises(SpecError, match="verifier_timeout"):
        parse_spec(data)


def test_the_same_run_with_the_real_pool(tmp_path):
    data = verifier_spec_data(tmp_path)
    data["train"].update(verifier_workers=1, verifier_timeout=20)
    run_dir = tmp_path / "run"
    Trainer(parse_spec(data), RunOptions(str(run_dir))).run()
    metrics = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert sum(m["verifier_errors"]["upper"] for m in metrics) > 0
    assert "verifier upper failed (exception" in (run_dir / "trainer.log").read_text(encoding="utf-8")


def test_a_built_in_verifier_needs_no_declaration(tmp_path):
    data = verifier_spec_data(tmp_path)
    data["verifiers"] = []
    data["rubrics"][0]["criteria"][0]["expr"] = {
        "op": "verifier",
        "name": "f1",
        "args": [{"op": "output", "agent": "first"}, {"op": "str", "value": "a b"}],
    }
    data["train"].update(steps=1, verifier_workers=1, verifier_timeout=20)
    run_dir = tmp_path / "run"
    Trainer(parse_spec(data), RunOptions(str(run_dir))).run()
    (metrics,) = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert metrics["verifier_errors"] == {"f1": 0}
    records = [json.loads(line) for line in (run_dir / "trajectories" / "1.jsonl").read_text().splitlines()]
    assert all(0.0 <= r["criteria"]["first_case"] <= 1.0 and not r["criteria_errors"] for r in records)


def test_per_turn_rewards_batch_every_decision_s_calls(tmp_path):
    data = verifier_spec_data(tmp_path)
    data["reward"]["level"] = "turn"
    data["rubrics"][0]["criteria"][0]["expr"] = {
        "op": "verifier",
        "name": "upper",
        "args": [{"op": "ctx", "name": "output"}],
    }
    data["train"]["steps"] = 1
    pool = InProcessPool(data["verifiers"][0]["file"], "starts_upper")
    Trainer(parse_spec(data), RunOptions(str(tmp_path / "run")), verifier_pool=pool).run()
    assert len(pool.batches) == 1 and pool.batches[0]
    assert len(pool.calls) == len(pool.batches[0])  # every decision's context was in the batch
    # the final transcript has no decision: `output` is null there, so the verifier is not called on it
    assert all(args[0] is not None for _, args in pool.batches[0])
    records = [json.loads(line) for line in (tmp_path / "run" / "trajectories" / "1.jsonl").read_text().splitlines()]
    outputs = {json.dumps([t["output"]]) for r in records for t in r["turns"]}
    assert {json.dumps(list(args)) for _, args in pool.batches[0]} == outputs
