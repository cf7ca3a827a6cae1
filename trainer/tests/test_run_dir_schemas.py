"""The records a run writes validate against protocol/schemas/run-dir/*.schema.json (what the editor reads)."""

import json
import os

import pytest
from conftest import REPO_ROOT
from helpers import lazy_team

from mas_trainer.rundir import read_records
from mas_trainer.trainer import RunOptions, Trainer

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

SCHEMAS = os.path.join(REPO_ROOT, "protocol", "schemas")


def _schema(*parts):
    with open(os.path.join(SCHEMAS, *parts), encoding="utf-8") as f:
        return json.load(f)


def _validator(schema):
    registry = referencing.Registry().with_resources(
        (s["$id"], referencing.Resource.from_contents(s))
        for s in (_schema("run-spec.schema.json"), _schema("expression.schema.json"))
    )
    return jsonschema.Draft7Validator(schema, registry=registry)


def test_written_records_match_the_schemas(tmp_path):
    spec = lazy_team(steps=2, batch=2, checkpoint_every=1)
    spec.train.algorithm.group = 2
    Trainer(spec, RunOptions(str(tmp_path))).run()
    run = json.loads((tmp_path / "run.json").read_text())
    _validator(_schema("run-dir", "run.schema.json")).validate(run)
    metrics_validator = _validator(_schema("run-dir", "metrics-record.schema.json"))
    for record in read_records(str(tmp_path / "metrics.jsonl")):
        metrics_validator.validate(record)
    trajectory_validator = _validator(_schema("run-dir", "trajectory-record.schema.json"))
    records = read_records(str(tmp_path / "trajectories" / "1.jsonl"))
    assert records
    for record in records:
        trajectory_validator.validate(record)


def test_schema_rejects_a_record_missing_a_field():
    validator = _validator(_schema("run-dir", "metrics-record.schema.json"))
    assert not validator.is_valid({"step": 1})


def test_hand_written_fixture_spec_is_a_valid_run_spec():
    from helpers import LAZY_TEAM

    with open(LAZY_TEAM, encoding="utf-8") as f:
        _validator(_schema("run-spec.schema.json")).validate(json.load(f))


def test_value_assisted_records_with_decision_q_match_the_schema():
    """The records of a value-assisted C3 run (decision_q) from the trainer's pipeline (make_credit_records.py)."""
    validator = _validator(_schema("run-dir", "trajectory-record.schema.json"))
    path = os.path.join(REPO_ROOT, "test", "fixtures", "credit", "records-counterfactual-value_assisted.jsonl")
    records = read_records(path)
    assert records and all(len(r["decision_q"]) == len(r["decision_turns"]) for r in records)
    for record in records:
        validator.validate(record)
