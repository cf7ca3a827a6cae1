"""Issue 14: hostile run-directory mutants for the trainer's --resume. Each mutant changes the newest checkpoint of a
real run (pickled payloads, truncations, marker names and fields, trainer-state fields, links, wrong file types).
For every one: no payload runs, nothing outside the run directory changes, the only outcomes are a resume from a
checkpoint that passed its checks or a MasError with exit 7 or 8, and a refused resume deletes no record or file."""

import hashlib
import json
import os
import shutil

import pytest
import torch
from helpers import lazy_team
from safetensors.torch import load_file, save_file

from mas_trainer.checkpoint import MARKER
from mas_trainer.errors import EXIT_RESUME_FAILED, EXIT_RUN_DIR, MasError
from mas_trainer.rundir import read_records
from mas_trainer.trainer import RunOptions, Trainer

WEIGHTS = "policy/tiny/model.safetensors"
FILES = (WEIGHTS, "optim-tiny.pt", "trainer_state.json", "policy/tiny/config.json")


class _Payload:
    """Unpickling runs os.mkdir(path), standing for any command."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return os.mkdir, (self.path,)


def _trainer(run_dir, resume=False, max_steps=None):
    spec = lazy_team(steps=6, checkpoint_every=2, batch=2)
    spec.train.algorithm.group = 4
    return Trainer(spec, RunOptions(str(run_dir), resume=resume, max_steps=max_steps))


def _marker(folder):
    return json.loads((folder / MARKER).read_text())


def _set_marker(folder, **fields):
    marker = _marker(folder)
    marker.update(fields)
    (folder / MARKER).write_text(json.dumps(marker))


def _rehash(folder, name):
    marker = _marker(folder)
    marker["files"][name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    (folder / MARKER).write_text(json.dumps(marker))


def _pickle(name):
    def mutate(folder, ctx):
        torch.save({"x": _Payload(str(ctx["payload"]))}, folder / name)
        _rehash(folder, name)

    return mutate


def _truncate(name, fraction, rehash):
    def mutate(folder, ctx):
        data = (folder / name).read_bytes()
        (folder / name).write_bytes(data[: int(len(data) * fraction)])
        if rehash:
            _rehash(folder, name)

    return mutate


def _marker_name(bad):
    def mutate(folder, ctx):
        files = _marker(folder)["files"]
        target = bad if not callable(bad) else bad(ctx)
        files[target] = "0" * 64
        _set_marker(folder, files=files)

    return mutate


def _state(**fields):
    def mutate(folder, ctx):
        state = json.loads((folder / "trainer_state.json").read_text())
        state.update(fields)
        (folder / "trainer_state.json").write_text(json.dumps(state))
        _rehash(folder, "trainer_state.json")

    return mutate


def _rng(part, value):
    def mutate(folder, ctx):
        state = json.loads((folder / "trainer_state.json").read_text())
        state["rng"][part] = value
        (folder / "trainer_state.json").write_text(json.dumps(state))
        _rehash(folder, "trainer_state.json")

    return mutate


def _torch_edit(name, edit):
    """Rewrites a .pt file with plain values only (weights_only loads it), as a crafted checkpoint may."""

    def mutate(folder, ctx):
        obj = torch.load(folder / name, weights_only=True)
        edit(obj)
        torch.save(obj, folder / name)
        _rehash(folder, name)

    return mutate


def _safetensors_edit(edit):
    """Rewrites the unit's weights as a valid safetensors file with other contents, as a crafted checkpoint may."""

    def mutate(folder, ctx):
        weights = load_file(folder / WEIGHTS)
        edit(weights)
        save_file(weights, folder / WEIGHTS)
        _rehash(folder, WEIGHTS)

    return mutate


def _old_format(folder, ctx):
    """A checkpoint as the previous trainer wrote it: no `format`, weights pickled in unit-<unit>.pt."""
    torch.save({"x": _Payload(str(ctx["payload"]))}, folder / "unit-tiny.pt")
    marker = _marker(folder)
    del marker["format"]
    marker["files"] = {"unit-tiny.pt": hashlib.sha256((folder / "unit-tiny.pt").read_bytes()).hexdigest()}
    (folder / MARKER).write_text(json.dumps(marker))


def _first_state(optim):
    return next(iter(optim["optimizer"]["state"].values()))


TORCH_EDITS = {
    "scheduler-sets-its-optimizer": ("optim-tiny.pt", lambda o: o["scheduler"].update(optimizer={})),
    "scheduler-last-epoch-string": ("optim-tiny.pt", lambda o: o["scheduler"].update(last_epoch="4")),
    "optimizer-lr-string": ("optim-tiny.pt", lambda o: o["optimizer"]["param_groups"][0].update(lr="0.1")),
    "optimizer-no-groups": ("optim-tiny.pt", lambda o: o["optimizer"].update(param_groups=[])),
    "optimizer-state-shape": ("optim-tiny.pt", lambda o: _first_state(o).update(exp_avg=torch.zeros(1))),
    "optimizer-state-index": ("optim-tiny.pt", lambda o: o["optimizer"]["state"].update({10_000: {}})),
}

SAFETENSORS_EDITS = {
    "weights-extra-tensor": lambda w: w.update(evil=torch.zeros(1)),
    "weights-missing-tensor": lambda w: w.pop(next(iter(w))),
    "weights-shape": lambda w: w.update({next(iter(w)): torch.zeros(1)}),
    "weights-integer": lambda w: w.update({k: v.to(torch.int64) for k, v in list(w.items())[:1]}),
}


def _link(name):
    def mutate(folder, ctx):
        copy = ctx["outside"] / f"copy-{name.replace('/', '_')}"
        shutil.copy(folder / name, copy)
        (folder / name).unlink()
        os.symlink(copy, folder / name)

    return mutate


def _replace_with(name, kind):
    def mutate(folder, ctx):
        (folder / name).unlink()
        if kind == "dir":
            (folder / name).mkdir()
        else:
            os.mkfifo(folder / name)

    return mutate


def _policy_link(folder, ctx):
    """policy/tiny/ moved outside and linked back: its files must not be read through the link."""
    moved = ctx["outside"] / "tiny"
    shutil.move(str(folder / "policy" / "tiny"), moved)
    os.symlink(moved, folder / "policy" / "tiny")


def _folder_link(folder, ctx):
    moved = ctx["outside"] / folder.name
    shutil.move(str(folder), moved)
    os.symlink(moved, folder)


MUTANTS = {
    **{f"pickle-{n}": _pickle(n) for n in (*FILES[:2], "trainer_state.pt", "critic.pt")},
    **{
        f"truncate-{n}-{f}-{'rehash' if r else 'stale'}": _truncate(n, f, r)
        for n in FILES
        for f in (0.0, 0.1, 0.5, 0.99)
        for r in (True, False)
    },
    **{
        f"marker-name-{i}": _marker_name(bad)
        for i, bad in enumerate(
            [
                "/etc/passwd",
                "../x.pt",
                "../../metrics.jsonl",
                "sub/unit.pt",
                "policy/../x.json",
                "policy/tiny/x.pt",
                "policy/a/b/c/model.safetensors",
                "policy/tiny/run.sh",
                "policy",
                "",
                ".",
                "..",
                "a\\b.pt",
                "x\0.pt",
                "unit.pkl",
                "COMPLETE.json",
                lambda ctx: str(ctx["outside"] / "sentinel.pt"),
            ]
        )
    },
    **{
        f"marker-{k}={json.dumps(v)}": (lambda fields: lambda folder, ctx: _set_marker(folder, **fields))({k: v})
        for k, values in {
            "step": ["4", 4.0, True, -4, 2, None, [4]],
            "files": [None, [], {}, "unit-tiny.pt", {"unit-tiny.pt": 5}],
            "format": [1, 3, "2", 2.0, None, True],
        }.items()
        for v in values
    },
    "marker-not-json": lambda folder, ctx: (folder / MARKER).write_text('{"step": 4, "files": {'),
    "marker-deep": lambda folder, ctx: (folder / MARKER).write_text("[" * 200_000),
    "marker-missing": lambda folder, ctx: (folder / MARKER).unlink(),
    **{f"state-step={json.dumps(v)}": _state(step=v) for v in ["4", 4.5, 2, None, True]},
    "state-version": _state(version=2),
    "state-no-rng": _state(rng=None),
    **{
        f"rng-{part}-{i}": _rng(part, v)
        for part, values in {
            "torch": [[], [300] * 5056, "abc"],
            "python": [{}, {"version": 3, "state": [1], "gauss_next": None}],
            "numpy": [{}, {"bit_generator": "MT19937", "key": [1] * 624, "pos": 10_000, "has_gauss": 0, "gauss": 0.0}],
        }.items()
        for i, v in enumerate(values)
    },
    **{f"link-{n}": _link(n) for n in (*FILES, MARKER)},
    **{f"{kind}-{n}": _replace_with(n, kind) for n in (*FILES, MARKER) for kind in ("dir", "fifo")},
    "link-folder": _folder_link,
    "link-policy-folder": _policy_link,
    "old-format-pickled-weights": _old_format,
    **{f"edit-{k}": _torch_edit(*v) for k, v in TORCH_EDITS.items()},
    **{f"edit-{k}": _safetensors_edit(v) for k, v in SAFETENSORS_EDITS.items()},
}


@pytest.fixture(scope="module")
def base_run(tmp_path_factory):
    run = tmp_path_factory.mktemp("base") / "run"
    _trainer(run, max_steps=5).run()  # global_step_2 and _4, step 5 logged after the newest checkpoint
    return run


def _tree(path):
    return sorted(
        (str(p.relative_to(path)), p.read_bytes() if p.is_file() else b"")
        for p in path.rglob("*")
        if not p.is_symlink()
    )


# Mutants that leave global_step_2 valid when applied to it (they name the step it has)
VALID_FOR_STEP_2 = {"marker-step=2", "state-step=2"}


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
@pytest.mark.parametrize("which", ["newest", "all"])
def test_resume_mutant(mutant, which, base_run, tmp_path):
    """newest: global_step_4 is mutated, so resume falls back to global_step_2 or stops; all: both are."""
    run, outside = tmp_path / "run", tmp_path / "outside"
    shutil.copytree(base_run, run, symlinks=True)
    outside.mkdir()
    (outside / "sentinel.pt").write_bytes(b"outside")
    ctx = {"payload": tmp_path / "payload-ran", "outside": outside}
    for step in (4, 2) if which == "all" else (4,):
        MUTANTS[mutant](run / "checkpoints" / f"global_step_{step}", ctx)
    outside_before = _tree(outside)
    records = read_records(str(run / "metrics.jsonl"))
    files = sorted(os.listdir(run / "trajectories"))
    try:
        trainer = _trainer(run, resume=True)
        trainer.restore()
    except MasError as err:
        assert err.exit_code in (EXIT_RESUME_FAILED, EXIT_RUN_DIR), err
        assert read_records(str(run / "metrics.jsonl")) == records
        assert sorted(os.listdir(run / "trajectories")) == files
    else:
        assert trainer.step == 2, "the mutated global_step_4 must not be used"
        assert which == "newest" or mutant in VALID_FOR_STEP_2, "a mutated checkpoint was used"
        assert [r["step"] for r in read_records(str(run / "metrics.jsonl"))] == [1, 2]
    assert not ctx["payload"].exists()
    assert _tree(outside) == outside_before


def test_there_are_enough_mutants():
    assert len(MUTANTS) >= 110, len(MUTANTS)
