"""`train { stop_when: ... }`: the run ends after the step at which the condition has held for N consecutive steps,
checkpointed, run.json `finished` with `stopped_early`, exit 0; a condition that never holds runs every step."""

import json
import os

import pytest
from helpers import lazy_team_data
from test_run_dir_schemas import _schema, _validator

from mas_trainer import trainer as trainer_module
from mas_trainer.__main__ import main
from mas_trainer.early_stop import EarlyStop, describe, metric_value
from mas_trainer.errors import SpecError
from mas_trainer.spec import StopWhenSpec, parse_spec


def _spec_file(tmp_path, stop_when, steps=8, checkpoint_every=50):
    data = lazy_team_data()
    data["train"].update(steps=steps, checkpoint_every=checkpoint_every, batch=2, stop_when=stop_when)
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(data))
    return str(path)


def _scripted_success(monkeypatch, values):
    """Each step's metrics record reports the next scripted `success` (the real rollouts of an untrained model
    would not reach a threshold in a few steps)."""
    original, calls = trainer_module.step_metrics, {"n": 0}

    def scripted(*args, **kwargs):
        record = original(*args, **kwargs)
        record["success"] = values[calls["n"]]
        calls["n"] += 1
        return record

    monkeypatch.setattr(trainer_module, "step_metrics", scripted)


def _steps(run_dir):
    with open(run_dir / "metrics.jsonl", encoding="utf-8") as f:
        return [json.loads(line)["step"] for line in f if line.strip()]


CONDITION = {"metric": "success", "op": ">=", "threshold": 0.99, "steps": 3}


def test_a_condition_that_holds_for_its_steps_ends_the_run_finished_and_checkpointed(tmp_path, monkeypatch):
    # holds at steps 2, 4, 5, 6: the streak 4-5-6 reaches 3 at step 6 (step 3 broke the first one)
    _scripted_success(monkeypatch, [0.5, 1.0, 0.9, 1.0, 0.99, 1.0, 1.0, 1.0])
    run_dir = tmp_path / "run"
    assert main(["run", "--spec", _spec_file(tmp_path, CONDITION), "--run-dir", str(run_dir)]) == 0
    assert _steps(run_dir) == [1, 2, 3, 4, 5, 6]
    run = json.loads((run_dir / "run.json").read_text())
    assert (run["status"], run["steps_completed"], run["steps_total"]) == ("finished", 6, 8)
    assert run["stopped_early"] == "success >= 0.99 for 3 steps at step 6"
    assert run["error"] is None
    _validator(_schema("run-dir", "run.schema.json")).validate(run)  # stopped_early and spec.train.stop_when
    assert "global_step_6" in os.listdir(run_dir / "checkpoints")
    log = (run_dir / "trainer.log").read_text()
    assert "stopped early: success >= 0.99 for 3 steps at step 6" in log


def test_a_condition_that_never_holds_long_enough_runs_every_step(tmp_path, monkeypatch):
    _scripted_success(monkeypatch, [1.0, 1.0, 0.0, 1.0, 1.0, 0.0])
    run_dir = tmp_path / "run"
    assert main(["run", "--spec", _spec_file(tmp_path, CONDITION, steps=6), "--run-dir", str(run_dir)]) == 0
    assert _steps(run_dir) == [1, 2, 3, 4, 5, 6]
    run = json.loads((run_dir / "run.json").read_text())
    assert run["status"] == "finished" and "stopped_early" not in run
    assert "stopped early" not in (run_dir / "trainer.log").read_text()


def test_a_resume_keeps_the_streak_of_the_steps_before_its_checkpoint(tmp_path, monkeypatch):
    _scripted_success(monkeypatch, [0.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    run_dir, spec = tmp_path / "run", _spec_file(tmp_path, CONDITION, checkpoint_every=2)
    assert main(["run", "--spec", spec, "--run-dir", str(run_dir), "--max-steps", "2"]) == 0  # checkpoint at 2
    assert json.loads((run_dir / "run.json").read_text())["status"] == "stopped"
    assert main(["run", "--spec", spec, "--run-dir", str(run_dir), "--resume"]) == 0
    assert _steps(run_dir) == [1, 2, 3, 4]  # streak 2, 3, 4
    assert json.loads((run_dir / "run.json").read_text())["stopped_early"].endswith("at step 4")


def test_metric_values_come_from_the_record_and_a_non_finite_one_breaks_the_streak():
    record = {"success": 1.0, "reward_mean": None, "criteria": {"first_case": 0.25}}
    assert metric_value(record, "success") == 1.0
    assert metric_value(record, "first_case") == 0.25
    assert metric_value(record, "reward_mean") is None
    watch = EarlyStop(StopWhenSpec("reward_mean", "<", 0.5, 2))
    assert [watch.observe({"reward_mean": v}) for v in (0.1, None, 0.1, 0.2)] == [False, False, False, True]
    assert describe(StopWhenSpec("first_case", ">", 0.5, 1)) == "first_case > 0.5 for 1 step"


@pytest.mark.parametrize(
    "stop_when, message",
    [
        ({"metric": "loss", "op": ">=", "threshold": 1, "steps": 2}, "`loss`"),
        ({"metric": "success", "op": "=>", "threshold": 1, "steps": 2}, "comparison"),
        ({"metric": "success", "op": ">=", "threshold": 1, "steps": 0}, "steps >= 1"),
        ({"metric": "success", "op": ">=", "threshold": "1", "steps": 2}, "threshold"),
    ],
)
def test_the_spec_rejects_a_condition_the_trainer_cannot_watch(stop_when, message):
    data = lazy_team_data()
    data["train"]["stop_when"] = stop_when
    with pytest.raises(SpecError, match=message):
        parse_spec(data)


def test_a_spec_without_stop_when_or_with_null_parses_to_none():
    data = lazy_team_data()
    assert parse_spec(data).train.stop_when is None
    data["train"]["stop_when"] = None
    assert parse_spec(data).train.stop_when is None
    data["train"]["stop_when"] = {"metric": "second_case", "op": "<", "threshold": -1, "steps": 1}
    assert parse_spec(data).train.stop_when == StopWhenSpec("second_case", "<", -1, 1)
