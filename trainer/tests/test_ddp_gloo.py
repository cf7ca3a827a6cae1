"""Data-parallel training with torchrun on CPU (gloo, 2 processes) gives the metrics and weights of one process
with the same global batch (sampling is seeded per rollout, so the split does not change the rollouts)."""

import json
import os
import subprocess
import sys

import torch
from helpers import lazy_team_data
from safetensors.torch import load_file

from mas_trainer.rundir import read_records

TRAINER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMPARED = ("reward_mean", "reward_std", "success", "loss", "kl")


def _launch(cmd, tmp_path):
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONWARNINGS="ignore", PYTHONPATH=TRAINER)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_two_gloo_processes_match_one_process(tmp_path):
    data = lazy_team_data()
    # record_credit "all": turn_level pools over the step batch, so 2 processes must gather each other's groups
    data["train"].update(steps=3, batch=4, checkpoint_every=3, kl=0.0, record_credit="all")
    data["train"]["algorithm"].update(group=4, kl=0.05)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(data))
    _launch(
        [sys.executable, "-m", "mas_trainer", "run", "--spec", str(spec), "--run-dir", str(tmp_path / "one")], tmp_path
    )
    _launch(
        [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            "--nproc_per_node",
            "2",
            "-m",
            "mas_trainer",
            "run",
            "--spec",
            str(spec),
            "--run-dir",
            str(tmp_path / "two"),
        ],
        tmp_path,
    )
    one = read_records(str(tmp_path / "one" / "metrics.jsonl"))
    two = read_records(str(tmp_path / "two" / "metrics.jsonl"))
    assert [r["step"] for r in two] == [1, 2, 3]
    assert any(r["grad_norm"]["first"] > 0 for r in one)  # the comparison is not between zeros
    for a, b in zip(one, two):
        assert a["rollout_tokens"] == b["rollout_tokens"]
        for key in COMPARED:
            assert abs(a[key] - b[key]) <= 1e-5 + 1e-4 * abs(a[key]), (key, a[key], b[key])
        for agent in a["grad_norm"]:
            assert abs(a["grad_norm"][agent] - b["grad_norm"][agent]) <= 1e-4 * (1 + a["grad_norm"][agent])
    assert len(read_records(str(tmp_path / "two" / "trajectories" / "3.jsonl"))) == 16
    for step in (1, 3):
        rollouts = [read_records(str(tmp_path / run / "trajectories" / f"{step}.jsonl")) for run in ("one", "two")]
        for method in ("outcome", "agent_normalized", "turn_level"):
            a, b = ([r["credit"][method] for r in runs] for runs in rollouts)
            assert len(a) == 16 and [len(r) for r in a] == [len(r) for r in b], method
            assert all(abs(x - y) <= 1e-9 for ra, rb in zip(a, b) for x, y in zip(ra, rb)), method

    def weights(run):
        folder = tmp_path / run / "checkpoints" / "global_step_3"
        return load_file(folder / "policy" / "tiny" / "model.safetensors")

    w1, w2 = weights("one"), weights("two")
    assert all(torch.allclose(w1[n], w2[n], atol=1e-5) for n in w1)
