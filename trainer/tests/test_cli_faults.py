"""Bad input and faults through the command line (`python -m mas_trainer run`): each is one line on stderr that
says what to do, and an exit code that trainer/README.md lists (the extension maps these codes to messages)."""

import json
import os
import re

import pytest
import torch
from conftest import REPO_ROOT
from helpers import lazy_team_data

from mas_trainer import errors
from mas_trainer.__main__ import main


def _readme_exit_codes() -> dict[int, str]:
    with open(os.path.join(REPO_ROOT, "trainer", "README.md"), encoding="utf-8") as f:
        text = f.read()
    table = text.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    return {int(m.group(1)): m.group(2) for m in re.finditer(r"^\| (\d+) \| ([^|]+)\|", table, re.M)}


def _run(tmp_path, capsys, data=None, spec_text=None, extra=()):
    path = tmp_path / "spec.json"
    path.write_text(spec_text if spec_text is not None else json.dumps(data))
    code = main(["run", "--spec", str(path), "--run-dir", str(tmp_path / "run"), *extra])
    err = capsys.readouterr().err
    return code, err


def _assert_one_line(code, err, expected_code, *words):
    assert code == expected_code, err
    # log lines of a started run may come first; the error is the last line, alone, with no traceback
    lines = err.splitlines()
    assert lines and lines[-1].startswith("error: ") and "Traceback" not in err, err
    assert [line for line in lines if line.startswith("error: ")] == lines[-1:], err
    for word in words:
        assert word in err, (word, err)
    assert expected_code in _readme_exit_codes()


def _assert_stopped(code, err):
    """A stop the user asked for: exit 130 and a last line that says how to continue, not an `error:` line (B7)."""
    assert code == 130, err
    assert err.splitlines()[-1] == "stopped; continue with --resume", err
    assert "error: " not in err and "Traceback" not in err, err


def test_every_exit_code_is_listed_in_the_readme():
    codes = {v for k, v in vars(errors).items() if k.startswith("EXIT_")}
    assert codes <= set(_readme_exit_codes()), codes - set(_readme_exit_codes())
    assert {0, 1, 130} <= set(_readme_exit_codes())


def test_unknown_spec_version(tmp_path, capsys):
    data = lazy_team_data()
    data["version"] = 2
    _assert_one_line(*_run(tmp_path, capsys, data), errors.EXIT_BAD_SPEC, "version 2")


@pytest.mark.parametrize("text,words", [("{not json", "JSON"), ("", "empty")])
def test_spec_that_is_not_json(tmp_path, capsys, text, words):
    _assert_one_line(*_run(tmp_path, capsys, spec_text=text), errors.EXIT_BAD_SPEC, words)


def test_missing_dataset(tmp_path, capsys):
    data = lazy_team_data()
    data["datasets"][0]["path"] = str(tmp_path / "absent.jsonl")
    _assert_one_line(*_run(tmp_path, capsys, data), errors.EXIT_BAD_DATASET, "absent.jsonl", "not found")


def test_bad_row_names_file_line_and_field(tmp_path, capsys):
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"a": "l", "b": "u"}\n{"a": "l"}\n')
    data = lazy_team_data()
    data["datasets"][0]["path"] = str(rows)
    _assert_one_line(*_run(tmp_path, capsys, data), errors.EXIT_BAD_DATASET, f"{rows}:2:", "`b`")


def test_unknown_model_id(tmp_path, capsys):
    data = lazy_team_data()
    data["models"][0]["source"] = {"kind": "hf", "id": "nobody/no-such-model-xyz"}
    _assert_one_line(*_run(tmp_path, capsys, data), errors.EXIT_MODEL_UNAVAILABLE, "nobody/no-such-model-xyz")


def test_cuda_requested_but_absent(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    data = lazy_team_data()
    data["train"]["device"] = "cuda"
    _assert_one_line(*_run(tmp_path, capsys, data), errors.EXIT_DEVICE_UNAVAILABLE, "device: cpu")


def test_out_of_memory_in_a_step_marks_the_run_failed(tmp_path, capsys, monkeypatch):
    from mas_trainer.trainer import Trainer

    def oom(self):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr(Trainer, "train_step", oom)
    _assert_one_line(*_run(tmp_path, capsys, lazy_team_data()), errors.EXIT_OUT_OF_MEMORY, "GPU", "batch")
    run = json.loads((tmp_path / "run" / "run.json").read_text())
    assert run["status"] == "failed" and "out of memory" in run["error"]


def test_out_of_memory_while_building_the_models(tmp_path, capsys, monkeypatch):
    import mas_trainer.trainer as trainer_module

    def oom(*args, **kwargs):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory")

    monkeypatch.setattr(trainer_module, "build_policies", oom)
    _assert_one_line(*_run(tmp_path, capsys, lazy_team_data()), errors.EXIT_OUT_OF_MEMORY, "out of memory")


def test_existing_run_needs_resume_and_bad_arguments(tmp_path, capsys):
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "metrics.jsonl").write_text("")
    _assert_one_line(*_run(tmp_path, capsys, lazy_team_data()), errors.EXIT_RUN_DIR, "--resume")
    assert main(["run", "--spec"]) == errors.EXIT_BAD_ARGS
    assert errors.EXIT_BAD_ARGS in _readme_exit_codes()


def test_a_bug_is_not_disguised_as_a_user_error(tmp_path, monkeypatch):
    from mas_trainer.trainer import Trainer

    def bug(self):
        raise KeyError("internal")

    monkeypatch.setattr(Trainer, "train_step", bug)
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(lazy_team_data()))
    with pytest.raises(KeyError):  # python -m exits 1 with the traceback (README: report it)
        main(["run", "--spec", str(path), "--run-dir", str(tmp_path / "run")])


def test_interrupt_is_exit_130_and_leaves_a_resumable_stopped_run(tmp_path, capsys, monkeypatch):
    from mas_trainer.trainer import Trainer

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(Trainer, "train_step", interrupted)
    _assert_stopped(*_run(tmp_path, capsys, lazy_team_data()))
    assert json.loads((tmp_path / "run" / "run.json").read_text())["status"] == "stopped"


def test_sigterm_from_stop_training_leaves_a_resumable_stopped_run(tmp_path, capsys, monkeypatch):
    import signal

    from mas_trainer.trainer import Trainer

    def terminated(self):
        os.kill(os.getpid(), signal.SIGTERM)  # what the editor's "Stop Training" sends, mid-step

    def not_handled(_signum, _frame):
        raise RuntimeError("SIGTERM reached the default handler: mas_trainer did not turn it into a stop")

    monkeypatch.setattr(Trainer, "train_step", terminated)
    previous = signal.signal(signal.SIGTERM, not_handled)
    try:
        _assert_stopped(*_run(tmp_path, capsys, lazy_team_data()))
        assert signal.getsignal(signal.SIGTERM) is not_handled  # restored after the run
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert json.loads((tmp_path / "run" / "run.json").read_text())["status"] == "stopped"
