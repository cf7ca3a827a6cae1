"""Issue 14 F1, F8, F12: a run directory's checkpoint is untrusted. Resuming never unpickles (a crafted file runs no
code), marker names stay inside the checkpoint folder, a malformed checkpoint is refused (exit 8 or an older one)
before anything is deleted, and trajectory files of steps after the resumed checkpoint are removed."""

import hashlib
import json
import os
import random

import numpy as np
import pytest
import torch
from helpers import lazy_team, lazy_team_data
from safetensors.torch import load_file

from mas_trainer.__main__ import main
from mas_trainer.checkpoint import MARKER
from mas_trainer.errors import EXIT_RESUME_FAILED, MasError
from mas_trainer.rundir import read_records
from mas_trainer.spec import parse_spec
from mas_trainer.trainer import RunOptions, Trainer

WEIGHTS = "policy/tiny/model.safetensors"


class _MakesADirectory:
    """Unpickling this runs os.mkdir(path): the stand-in for any command a crafted checkpoint would run."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return os.mkdir, (self.path,)


def _trainer(run_dir, steps=6, max_steps=None, resume=False, checkpoint_every=2):
    spec = lazy_team(steps=steps, checkpoint_every=checkpoint_every, batch=2)
    spec.train.algorithm.group = 4
    return Trainer(spec, RunOptions(str(run_dir), resume=resume, max_steps=max_steps))


def _train(run_dir, **kw):
    trainer = _trainer(run_dir, **kw)
    trainer.run()
    return trainer


def _folder(run_dir, step):
    return run_dir / "checkpoints" / f"global_step_{step}"


def _rewrite_marker(folder, files=None, step=None):
    """Writes COMPLETE.json with correct sha256s, as anyone crafting a checkpoint can."""
    marker = json.loads((folder / MARKER).read_text())
    names = files if files is not None else list(marker["files"])
    marker["files"] = {
        n: hashlib.sha256((folder / n).read_bytes()).hexdigest() if (folder / n).is_file() else "0" * 64 for n in names
    }
    if step is not None:
        marker["step"] = step
    (folder / MARKER).write_text(json.dumps(marker))


def _snapshot(run_dir):
    """What a failed resume must leave untouched: metrics records and trajectory files."""
    return (read_records(str(run_dir / "metrics.jsonl")), sorted(os.listdir(run_dir / "trajectories")))


def _plant_pickle(folder, name, marker_dir):
    torch.save({"weight": _MakesADirectory(str(marker_dir))}, folder / name)
    _rewrite_marker(folder, files=[*json.loads((folder / MARKER).read_text())["files"], name])


@pytest.mark.parametrize("name", ["unit-tiny.pt", "trainer_state.pt", "critic.pt"])
def test_a_crafted_pickle_runs_no_code_and_resume_falls_back(tmp_path, name):
    run = tmp_path / "run"
    _train(run, max_steps=4)
    marker_dir = tmp_path / "pwned"
    _plant_pickle(_folder(run, 4), name, marker_dir)
    warnings = []
    trainer = _trainer(run, resume=True)
    trainer.log.warning = warnings.append
    trainer.restore()
    assert not marker_dir.exists()
    assert trainer.step == 2  # the crafted global_step_4 is refused; global_step_2 is used
    assert any("global_step_4 is unusable" in w and "never unpickled" in w and "mkdir" in w for w in warnings), warnings


def test_a_crafted_only_checkpoint_is_exit_8_and_deletes_nothing(tmp_path):
    run = tmp_path / "run"
    _train(run, max_steps=3)  # global_step_2, and step 3 logged after it
    marker_dir = tmp_path / "pwned"
    _plant_pickle(_folder(run, 2), "unit-tiny.pt", marker_dir)
    before = _snapshot(run)
    with pytest.raises(MasError) as caught:
        _train(run, resume=True)
    assert caught.value.exit_code == EXIT_RESUME_FAILED
    assert not marker_dir.exists()
    assert _snapshot(run) == before


@pytest.mark.parametrize(
    "name",
    ["/etc/passwd", "../x.pt", "../../metrics.jsonl", "sub/unit.pt", "..", "x.pkl", "policy/../../x.pt", "policy/a.pt"],
)
def test_marker_names_outside_the_folder_are_refused_without_reading_them(tmp_path, name, monkeypatch):
    run = tmp_path / "run"
    _train(run, max_steps=2)
    folder = _folder(run, 2)
    (tmp_path / "run" / "checkpoints" / "x.pt").write_bytes(b"never read")
    marker = json.loads((folder / MARKER).read_text())
    marker["files"][name] = "0" * 64
    (folder / MARKER).write_text(json.dumps(marker))
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **k: opened.append(str(path)) or real_open(path, *a, **k))
    trainer = _trainer(run, resume=True)
    with pytest.raises(MasError) as caught:
        trainer.restore()
    assert caught.value.exit_code == EXIT_RESUME_FAILED
    assert "not a file name of the checkpoint layout" in str(caught.value)
    target = os.path.normpath(os.path.join(folder, name))
    assert target not in [os.path.normpath(p) for p in opened]
    assert not any(p.endswith("passwd") for p in opened)


def test_a_linked_checkpoint_file_is_refused(tmp_path):
    run = tmp_path / "run"
    _train(run, max_steps=4)
    folder = _folder(run, 4)
    outside = tmp_path / "outside.safetensors"
    os.replace(folder / WEIGHTS, outside)
    os.symlink(outside, folder / WEIGHTS)
    warnings = []
    trainer = _trainer(run, resume=True)
    trainer.log.warning = warnings.append
    trainer.restore()
    assert trainer.step == 2 and any("symbolic link" in w for w in warnings), warnings


def test_a_linked_model_folder_is_refused_without_reading_through_it(tmp_path, monkeypatch):
    run = tmp_path / "run"
    _train(run, max_steps=4)
    folder = _folder(run, 4)
    outside = tmp_path / "outside-tiny"
    os.replace(folder / "policy" / "tiny", outside)
    os.symlink(outside, folder / "policy" / "tiny")
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **k: opened.append(str(path)) or real_open(path, *a, **k))
    warnings = []
    trainer = _trainer(run, resume=True)
    trainer.log.warning = warnings.append
    trainer.restore()
    assert trainer.step == 2 and any("policy/tiny is not a folder" in w for w in warnings), warnings
    assert not any("global_step_4/policy" in p for p in opened), opened


def _edit_state(folder, **changes):
    state = json.loads((folder / "trainer_state.json").read_text())
    state.update(changes)
    (folder / "trainer_state.json").write_text(json.dumps(state))
    _rewrite_marker(folder)


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda folder: _rewrite_marker(folder, step="2"),  # COMPLETE.json step a string
        lambda folder: _edit_state(folder, step="2"),  # trainer_state.json step a string
        lambda folder: _edit_state(folder, step=7),  # a step that is not the folder's
        lambda folder: _edit_state(folder, rng={"torch": [1, 2], "python": {}, "numpy": {}}),
        lambda folder: _rewrite_marker(folder, files=["trainer_state.json", "optim-tiny.pt"]),  # weights missing
        lambda folder: _rewrite_marker(folder, files=["trainer_state.json", WEIGHTS]),  # optimizer missing
        lambda folder: (folder / "trainer_state.json").unlink(),  # listed but absent
        lambda folder: (folder / MARKER).write_text('{"step": 2, "files": ['),  # not JSON
        lambda folder: (folder / MARKER).write_text("[1, 2]"),
        lambda folder: (folder / MARKER).write_text("[" * 100_000),  # deeper than Python's recursion limit
    ],
)
def test_a_malformed_checkpoint_is_exit_8_and_deletes_nothing(tmp_path, corrupt):
    run = tmp_path / "run"
    _train(run, max_steps=3)  # global_step_2 only; step 3's record and trajectory file come after it
    corrupt(_folder(run, 2))
    before = _snapshot(run)
    assert [r["step"] for r in before[0]] == [1, 2, 3] and "3.jsonl" in before[1]
    with pytest.raises(MasError) as caught:
        _train(run, resume=True)
    assert caught.value.exit_code == EXIT_RESUME_FAILED
    assert "global_step_2" in str(caught.value) or "COMPLETE.json" in str(caught.value)
    assert _snapshot(run) == before


def test_resume_removes_trajectory_files_of_later_steps_only(tmp_path):
    run = tmp_path / "run"
    _train(run, max_steps=3)
    traj = run / "trajectories"
    (traj / "9.jsonl").write_text("{}\n")  # a stale step file
    (traj / "notes.txt").write_text("mine")  # not the documented pattern: kept
    (traj / "\u00b2.jsonl").write_text("{}\n")  # '²'.isdigit() is True, but it is no step number: kept
    (traj / "8.jsonl").mkdir()  # not a regular file: kept
    trainer = _trainer(run, resume=True)
    trainer.restore()
    assert trainer.step == 2
    assert sorted(os.listdir(traj)) == sorted(["1.jsonl", "2.jsonl", "8.jsonl", "notes.txt", "\u00b2.jsonl"])


def test_resume_without_a_checkpoint_keeps_no_stale_trajectory_files(tmp_path):
    run = tmp_path / "run"
    _train(run, max_steps=2, checkpoint_every=10)  # steps 1-2 logged, no checkpoint yet
    assert sorted(os.listdir(run / "trajectories")) == ["1.jsonl", "2.jsonl"]
    trainer = _trainer(run, resume=True, checkpoint_every=10)
    trainer.restore()
    assert trainer.step == 0
    assert os.listdir(run / "trajectories") == [] and read_records(str(run / "metrics.jsonl")) == []


def test_rng_state_round_trips_exactly_through_json(tmp_path):
    run = tmp_path / "run"
    trainer = _trainer(run)
    trainer.step = 1
    torch.rand(5), random.random(), np.random.normal()  # move every generator off its seed, gauss cached
    trainer.checkpoint()
    expected = (torch.rand(8), random.random(), [np.random.normal() for _ in range(3)])
    state = json.loads((_folder(run, 1) / "trainer_state.json").read_text())
    assert set(state["rng"]) == {"torch", "python", "numpy"}
    resumed = _trainer(run, resume=True)  # seeds the generators again; restore must put the saved ones back
    resumed.restore()
    got = (torch.rand(8), random.random(), [np.random.normal() for _ in range(3)])
    assert resumed.step == 1
    assert torch.equal(got[0], expected[0]) and got[1:] == expected[1:]


def test_checkpoint_files_load_with_weights_only(tmp_path):
    run = tmp_path / "run"
    _train(run, max_steps=2)
    folder = _folder(run, 2)
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert names == sorted(
        [
            "COMPLETE.json",
            "optim-tiny.pt",
            "trainer_state.json",
            "policy/tiny/config.json",
            "policy/tiny/model.safetensors",
            "policy/tiny/tokenizer.json",
            "policy/tiny/tokenizer_config.json",
        ]
    )
    for name in names:
        if name.endswith(".pt"):
            torch.load(folder / name, weights_only=True)
    assert set(load_file(folder / WEIGHTS)) == set(
        dict(_trainer(tmp_path / "fresh").units[0].module.named_parameters())
    )


def test_through_the_command_line_a_crafted_checkpoint_is_one_error_line_and_exit_8(tmp_path, capsys):
    run = tmp_path / "run"
    _train(run, max_steps=2)
    marker_dir = tmp_path / "pwned"
    _plant_pickle(_folder(run, 2), "trainer_state.pt", marker_dir)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(lazy_team_data()))
    capsys.readouterr()
    code = main(["run", "--spec", str(spec), "--run-dir", str(run), "--resume"])
    err = capsys.readouterr().err
    assert code == EXIT_RESUME_FAILED, err
    assert err.splitlines()[-1].startswith("error: no checkpoint in ") and "Traceback" not in err
    assert "never unpickled" in err and not marker_dir.exists()


def _critic_trainer(run_dir, resume=False):
    data = lazy_team_data()
    data["models"].append(
        {
            "name": "value",
            "source": {"kind": "scratch", "layers": 1, "hidden": 16, "heads": 2, "context": 48, "vocab": "chars"},
            "adapter": None,
        }
    )
    data["train"].update(
        {
            "steps": 2,
            "batch": 2,
            "checkpoint_every": 1,
            "critic": "value",
            "credit": {"method": "critic", "params": {"lr": 0.01}},
        }
    )
    data["train"]["algorithm"]["group"] = 2
    return Trainer(parse_spec(data), RunOptions(str(run_dir), resume=resume))


@pytest.mark.parametrize(
    "edit",
    [
        lambda c: c.update(history=[[["a prefix"], [1.0, 2.0]]]),  # prefixes and returns of different lengths
        lambda c: c.update(history=[[[7], [1.0]]]),  # a prefix that is not text
        lambda c: c.update(shuffle=(3, (1, 2), None)),
        lambda c: c["model"].update({next(iter(c["model"])): torch.zeros(1)}),
        lambda c: c["optimizer"]["param_groups"][0].update(lr="fast"),
    ],
)
def test_a_malformed_critic_state_is_refused_before_anything_changes(tmp_path, edit):
    run = tmp_path / "run"
    _critic_trainer(run).run()
    folder = _folder(run, 2)
    critic = torch.load(folder / "critic.pt", weights_only=True)
    edit(critic)
    torch.save(critic, folder / "critic.pt")
    _rewrite_marker(folder)
    warnings = []
    trainer = _critic_trainer(run, resume=True)
    trainer.log.warning = warnings.append
    trainer.restore()
    assert trainer.step == 1 and any("global_step_2 is unusable" in w and "critic.pt" in w for w in warnings), warnings
