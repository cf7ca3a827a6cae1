"""Issue 14, F6 and F7: the trainer writes only standard JSON (NaN / Infinity become null, counted), refuses them
in datasets and specs with file:line, and no nesting depth in a spec, run.json or metrics line ends in a
RecursionError. Through the command line (`python -m mas_trainer run`) where a user would meet it."""

import json
import math

import pytest
from helpers import lazy_team_data

from mas_trainer import errors, strict_json
from mas_trainer.__main__ import main

DEEP = 5000


def _refuse_constant(name):
    raise AssertionError(f"non-standard JSON token {name} was written")


def strict_parse(text):
    """What JSON.parse (the editor's readers) accepts: no NaN / Infinity tokens."""
    return json.loads(text, parse_constant=_refuse_constant)


def tiny_run_data(**train):
    data = lazy_team_data()
    data["train"].update({"steps": 2, "batch": 2, "checkpoint_every": 2, **train})
    data["train"]["algorithm"]["group"] = 2
    return data


def run_cli(tmp_path, data=None, spec_text=None, resume=False):
    spec = tmp_path / "spec.json"
    if data is not None or spec_text is not None:
        spec.write_text(spec_text if spec_text is not None else json.dumps(data))
    return main(["run", "--spec", str(spec), "--run-dir", str(tmp_path / "run"), *(["--resume"] if resume else [])])


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_dataset_with_a_non_standard_number_is_exit_4_naming_file_and_line(tmp_path, capsys, token):
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"a": "l", "b": "u"}\n' + '{"a": "l", "b": "u", "n": ' + token + "}\n")  # `n` is unused
    data = tiny_run_data()
    data["datasets"][0]["path"] = str(rows)
    assert run_cli(tmp_path, data) == errors.EXIT_BAD_DATASET
    err = capsys.readouterr().err
    assert f"{rows}:2:" in err and "Traceback" not in err, err
    assert not (tmp_path / "run" / "trajectories" / "1.jsonl").exists()


def test_dataset_line_that_is_not_utf8_is_exit_4_naming_file_and_line(tmp_path, capsys):
    rows = tmp_path / "rows.jsonl"
    rows.write_bytes(b'{"a": "l", "b": "u"}\n{"a": "\xff", "b": "u"}\n')
    data = tiny_run_data()
    data["datasets"][0]["path"] = str(rows)
    assert run_cli(tmp_path, data) == errors.EXIT_BAD_DATASET
    assert f"{rows}:2: not UTF-8" in capsys.readouterr().err


def test_a_nan_reward_is_written_as_null_and_counted(tmp_path, monkeypatch):
    import mas_trainer.scoring_setup as scoring_module
    import mas_trainer.trainer as trainer_module

    real_score = scoring_module.score_rollout

    def nan_reward(*args, **kwargs):  # a broken verifier (rubric expressions never give NaN)
        score = real_score(*args, **kwargs)
        score.reward = float("nan")
        score.criteria = {name: float("inf") for name in score.criteria}
        return score

    # the step's scores (scoring_setup, shared with rescore) and the nulled re-runs' rewards (trainer)
    monkeypatch.setattr(scoring_module, "score_rollout", nan_reward)
    monkeypatch.setattr(trainer_module, "score_rollout", nan_reward)
    # one step: NaN credit makes the update NaN, and a NaN policy cannot sample a second step
    assert run_cli(tmp_path, tiny_run_data(steps=1)) == 0
    run = tmp_path / "run"
    metrics = [strict_parse(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    assert [m["step"] for m in metrics] == [1]
    for record in metrics:
        assert record["reward_mean"] is None and set(record["criteria"].values()) == {None}
        assert record["nonfinite_values"] > 0
    trajectories = [strict_parse(line) for line in (run / "trajectories" / "1.jsonl").read_text().splitlines()]
    assert trajectories and all(t["reward"] is None for t in trajectories)
    in_metrics = 1 + len(metrics[0]["criteria"])  # reward_mean and each criterion's mean, at least
    assert metrics[0]["nonfinite_values"] >= in_metrics + len(trajectories)
    strict_parse((run / "run.json").read_text())
    assert "written as null (counted in nonfinite_values)" in (run / "trainer.log").read_text()


def test_a_diverged_loss_is_written_as_null_and_counted(tmp_path, monkeypatch):
    import mas_trainer.trainer as trainer_module
    from mas_trainer.update import UpdateStats

    def diverged(units, *args, **kwargs):
        return UpdateStats(loss=math.nan, kl=math.inf, tokens=1, grad_norm={"first": -math.inf}, unit_grad_norm={})

    monkeypatch.setattr(trainer_module, "update", diverged)
    assert run_cli(tmp_path, tiny_run_data()) == 0
    lines = (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()
    records = [strict_parse(line) for line in lines]
    assert [(r["loss"], r["kl"], r["grad_norm"], r["nonfinite_values"]) for r in records] == [
        (None, None, {"first": None}, 3)
    ] * 2
    pytest.importorskip("jsonschema")
    from test_run_dir_schemas import _schema, _validator

    validator = _validator(_schema("run-dir", "metrics-record.schema.json"))  # the schema says null may appear
    for record in records:
        validator.validate(record)


def test_a_finite_run_counts_zero_nonfinite_values(tmp_path):
    assert run_cli(tmp_path, tiny_run_data()) == 0
    lines = (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()
    assert [strict_parse(line)["nonfinite_values"] for line in lines] == [0, 0]


def test_strict_dumps_replaces_and_counts_every_nonfinite_float():
    value = {"a": [math.nan, math.inf, -math.inf, 1.5, {"b": (math.nan, 2)}], "c": "NaN", "d": None, "e": True}
    text, count = strict_json.dumps(value)
    assert count == 4
    assert strict_parse(text) == {"a": [None, None, None, 1.5, {"b": [None, 2]}], "c": "NaN", "d": None, "e": True}
    assert value["a"][0] != value["a"][0]  # the caller's value is not modified


def test_strict_loads_refuses_non_standard_json_and_deep_nesting_without_recursion_error():
    for text in (
        '{"n": NaN}',
        "[Infinity]",
        "-Infinity",
        "1e400",
        "1" + "0" * 400,
        "-1" + "0" * 5000,
        "[" * DEEP + "]" * DEEP,
        '{"a":' * DEEP + "1" + "}" * DEEP,
    ):
        with pytest.raises(strict_json.JsonInputError):
            strict_json.loads(text)
    with pytest.raises(strict_json.JsonInputError, match="nested more than 1000"):
        strict_json.loads("[" * 1001 + "]" * 1001)
    value = strict_json.loads("[" * 100 + "1" + "]" * 100)  # a legitimate depth still parses
    for _ in range(100):
        (value,) = value
    assert value == 1
    # brackets inside strings, escaped quotes included, are not nesting
    assert strict_json.loads(json.dumps(["[" * DEEP + '\\"{' * 10])) == ["[" * DEEP + '\\"{' * 10]


def test_spec_nested_5000_deep_is_exit_3_not_a_recursion_error(tmp_path, capsys):
    data = tiny_run_data()
    data["deep"] = "@"
    text = json.dumps(data).replace('"@"', "[" * DEEP + "]" * DEEP)
    assert run_cli(tmp_path, spec_text=text) == errors.EXIT_BAD_SPEC
    assert "nested more than 1000 levels" in capsys.readouterr().err


def test_run_json_nested_5000_deep_stops_resume_with_exit_8(tmp_path, capsys):
    assert run_cli(tmp_path, tiny_run_data()) == 0
    run_json = tmp_path / "run" / "run.json"
    run = json.loads(run_json.read_text())
    run["spec"]["deep"] = "@"
    run_json.write_text(json.dumps(run).replace('"@"', "[" * DEEP + "]" * DEEP))
    metrics_before = (tmp_path / "run" / "metrics.jsonl").read_bytes()
    capsys.readouterr()
    assert run_cli(tmp_path, resume=True) == errors.EXIT_RESUME_FAILED
    err = capsys.readouterr().err
    assert "run.json: nested more than 1000 levels" in err and "Traceback" not in err, err
    assert (tmp_path / "run" / "metrics.jsonl").read_bytes() == metrics_before  # nothing changed


def test_metrics_line_nested_5000_deep_is_skipped_with_a_warning_on_resume(tmp_path):
    data = tiny_run_data(steps=4)
    assert (
        main(["run", "--spec", str(_spec(tmp_path, data)), "--run-dir", str(tmp_path / "run"), "--max-steps", "3"]) == 0
    )
    metrics = tmp_path / "run" / "metrics.jsonl"
    lines = metrics.read_text().splitlines(keepends=True)
    deep = '{"step": 2, "x": ' + "[" * DEEP + "]" * DEEP + "}\n"
    metrics.write_text(lines[0] + deep + "".join(lines[1:]))
    assert run_cli(tmp_path, resume=True) == 0
    log = (tmp_path / "run" / "trainer.log").read_text()
    assert f"{metrics}:2: nested more than 1000 levels deep; the line is skipped" in log
    kept = [strict_parse(line) for line in metrics.read_text().splitlines() if len(line) < DEEP]
    assert [r["step"] for r in kept] == [1, 2, 3, 4]


def _spec(tmp_path, data):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(data))
    return spec
