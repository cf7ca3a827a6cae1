"""Stop (SIGTERM, Ctrl-C) checkpoints the last finished step, and a resume after it loses and repeats no step
(first-hour bug B7: with checkpoint_every 50 a 40-step run stopped by the user could never be resumed)."""

import json
import os
import signal

from helpers import lazy_team_data

from mas_trainer import trainer as trainer_module
from mas_trainer.__main__ import main
from mas_trainer.trainer import Trainer


def _spec(tmp_path, steps=6):
    data = lazy_team_data()
    data["train"].update(steps=steps, checkpoint_every=50, batch=2)
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(data))
    return str(path)


def _run(spec, run_dir, *extra):
    return main(["run", "--spec", spec, "--run-dir", str(run_dir), *extra])


def _metrics_steps(run_dir):
    with open(run_dir / "metrics.jsonl", encoding="utf-8") as f:
        return [json.loads(line)["step"] for line in f if line.strip()]


def _checkpoints(run_dir):
    return sorted(os.listdir(run_dir / "checkpoints")) if (run_dir / "checkpoints").exists() else []


def test_a_stop_during_a_rollout_checkpoints_the_last_finished_step_and_resume_repeats_none(tmp_path, monkeypatch):
    spec, run_dir = _spec(tmp_path), tmp_path / "run"
    original, calls = Trainer.train_step, {"n": 0}

    def stopped_in_third_rollout(self):
        calls["n"] += 1
        if calls["n"] == 3:
            os.kill(os.getpid(), signal.SIGTERM)  # the editor's Stop, before step 3's update
        return original(self)

    monkeypatch.setattr(Trainer, "train_step", stopped_in_third_rollout)
    assert _run(spec, run_dir) == 130
    assert _checkpoints(run_dir) == ["global_step_2"]
    assert json.loads((run_dir / "run.json").read_text())["status"] == "stopped"
    monkeypatch.setattr(Trainer, "train_step", original)
    assert _run(spec, run_dir, "--resume") == 0
    assert _metrics_steps(run_dir) == [1, 2, 3, 4, 5, 6]


def test_a_stop_during_an_update_finishes_and_writes_that_step_first(tmp_path, monkeypatch):
    spec, run_dir = _spec(tmp_path), tmp_path / "run"
    original, calls = trainer_module.update, {"n": 0}

    def stopped_in_second_update(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            os.kill(os.getpid(), signal.SIGTERM)  # arrives half-way: the step must still complete
        return original(*args, **kwargs)

    monkeypatch.setattr(trainer_module, "update", stopped_in_second_update)
    assert _run(spec, run_dir) == 130
    assert _metrics_steps(run_dir) == [1, 2]
    assert _checkpoints(run_dir) == ["global_step_2"]
    assert json.loads((run_dir / "run.json").read_text())["steps_completed"] == 2


def test_a_stopped_run_resumes_into_the_same_steps_as_an_unstopped_one(tmp_path, monkeypatch):
    """A run stopped half-way through a rollout and resumed gives the rewards of an unstopped run step by step
    (same data order and sampling; the stop checkpoint stores the RNG state of the step boundary, not the state the
    interrupted rollout left)."""
    spec = _spec(tmp_path, steps=4)
    assert _run(spec, tmp_path / "straight") == 0
    original, calls = Trainer.train_step, {"n": 0}

    def stopped_in_third_rollout(self):
        calls["n"] += 1
        if calls["n"] == 3:
            torch_draw = __import__("torch").rand(7)  # a rollout that had started: it drew from the RNG
            assert torch_draw.shape == (7,)
            raise KeyboardInterrupt  # Ctrl-C half-way through the rollout
        return original(self)

    monkeypatch.setattr(Trainer, "train_step", stopped_in_third_rollout)
    assert _run(spec, tmp_path / "stopped") == 130
    monkeypatch.setattr(Trainer, "train_step", original)
    assert _run(spec, tmp_path / "stopped", "--resume") == 0

    def rewards(run):
        with open(tmp_path / run / "metrics.jsonl", encoding="utf-8") as f:
            return [(r["step"], r["reward_mean"]) for r in map(json.loads, f)]

    assert rewards("stopped") == rewards("straight")
