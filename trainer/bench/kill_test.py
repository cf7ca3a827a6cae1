"""Kill test: SIGKILL the trainer at random moments, resume each time, then check that metrics.jsonl has every
step exactly once and that the final weights equal an uninterrupted run's (CPU runs are deterministic).

Usage: trainer/.venv/bin/python trainer/bench/kill_test.py [--kills 50] [--steps 200] [--seed 0]
       [--example signal|lazy-team] [--batch 2] [--group 4] [--tear-every 5]
The spec is examples/signal/signal.mas compiled by out/cli.cjs (the lazy-team test fixture when it cannot be).
Exit 0 when both checks hold, 1 otherwise. Prints how many kills landed and what each restart found.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
from datetime import datetime

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "tests", "fixtures")
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
CLI = os.path.join(REPO, "out", "cli.cjs")
SIGNAL = os.path.join(REPO, "examples", "signal", "signal.mas")


def compiled_signal_example(workdir: str) -> str | None:
    """The signalling example compiled by `mas compile` (needs `node esbuild.mjs` to have built out/cli.cjs)."""
    out = os.path.join(workdir, "signal.spec.json")
    if not os.path.exists(CLI):
        return None
    proc = subprocess.run(["node", CLI, "compile", SIGNAL, "-o", out], capture_output=True, text=True)
    return out if proc.returncode == 0 else None


def make_spec(workdir: str, steps: int, source: str, batch: int, group: int) -> tuple[str, str]:
    """The spec to kill: the signalling example (default) or the hand-written lazy-team fixture; small batches so
    that 50 kills spread over many steps."""
    path = compiled_signal_example(workdir) if source == "signal" else None
    if path is None:
        if source == "signal":
            print(
                "note: cannot compile examples/signal/signal.mas (build out/cli.cjs with `node esbuild.mjs`); "
                "using the lazy-team fixture"
            )
        path, source = os.path.join(FIXTURES, "lazy-team.spec.json"), "lazy-team"
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if source == "lazy-team":
        data["datasets"][0]["path"] = os.path.abspath(os.path.join(FIXTURES, "lazy-team.jsonl"))
    # every step checkpoints, so kills land inside checkpoint writes and appends as often as inside steps
    data["train"].update(steps=steps, checkpoint_every=1, batch=batch)
    data["train"]["algorithm"]["group"] = group
    spec = os.path.join(workdir, "spec.json")
    with open(spec, "w", encoding="utf-8") as f:
        json.dump(data, f)
    return spec, source


def trainer_cmd(spec: str, run_dir: str, resume: bool) -> list[str]:
    cmd = [sys.executable, "-m", "mas_trainer", "run", "--spec", spec, "--run-dir", run_dir]
    return cmd + (["--resume"] if resume else [])


def final_weights(run_dir: str, steps: int) -> dict:
    """Every weights file (safetensors) of the final checkpoint, by its path inside the checkpoint folder."""
    from safetensors.torch import load_file

    folder = os.path.join(run_dir, "checkpoints", f"global_step_{steps}")
    return {
        os.path.relpath(os.path.join(root, name), folder): load_file(os.path.join(root, name))
        for root, _, names in sorted(os.walk(folder))
        for name in sorted(names)
        if name.endswith(".safetensors")
    }


def step_period(run_dir: str) -> float:
    """Median seconds between consecutive `step N` lines of trainer.log (a step with its appends and checkpoint)."""
    stamps = []
    with open(os.path.join(run_dir, "trainer.log"), encoding="utf-8") as f:
        for line in f:
            if " INFO step " in line:
                stamps.append(datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp())
    gaps = sorted(b - a for a, b in zip(stamps, stamps[1:]))
    return gaps[len(gaps) // 2] if gaps else 0.4


def starts_logged(run_dir: str) -> int:
    path = os.path.join(run_dir, "trainer.log")
    if not os.path.exists(path):
        return 0
    with open(path, encoding="utf-8", errors="replace") as f:
        return sum(1 for line in f if " INFO training " in line)


def kill_site(run_dir: str) -> str:
    """Where the kill landed, judged from what it left behind."""
    ckpt_root = os.path.join(run_dir, "checkpoints")
    if os.path.isdir(ckpt_root) and any(n.startswith(".tmp-") for n in os.listdir(ckpt_root)):
        return "inside a checkpoint write"
    metrics = os.path.join(run_dir, "metrics.jsonl")
    if not os.path.exists(metrics):
        return "before the first step"
    with open(metrics, "rb") as f:
        text = f.read()
    if text and not text.endswith(b"\n"):
        return "inside a metrics append"
    last = max((json.loads(line)["step"] for line in text.decode().splitlines() if line.strip()), default=0)
    done = (
        [int(n[len("global_step_") :]) for n in os.listdir(ckpt_root) if n.startswith("global_step_")]
        if os.path.isdir(ckpt_root)
        else []
    )
    if last > max(done, default=0):
        return "after a metrics append, before its checkpoint"
    return "inside a step (rollout/update), the trajectories write or resume"


def tear_metrics_append(run_dir: str) -> bool:
    """What a kill in the middle of a metrics append would leave if the kernel split the write: the first half of
    a record and no newline. A single small write() is not split in practice, so the kills alone never tear one;
    this checks that resume drops such a line instead of gluing the next record onto it."""
    path = os.path.join(run_dir, "metrics.jsonl")
    if not os.path.exists(path):
        return False
    with open(path, "rb") as f:
        lines = f.read().splitlines()
    if not lines or not lines[-1]:
        return False
    with open(path, "ab") as f:
        f.write(lines[-1][: len(lines[-1]) // 2])
    return True


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--example", choices=("signal", "lazy-team"), default="signal")
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument(
        "--tear-every", type=int, default=5, help="after every N-th kill, also leave a torn metrics line (0: never)"
    )
    parser.add_argument("--group", type=int, default=4)
    parser.add_argument(
        "--max-delay",
        type=float,
        default=None,
        help="kill within this many seconds after the trainer logs that training (re)started "
        "(default: 2 steps of the uninterrupted run, so kills spread over steps on any machine)",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONWARNINGS="ignore", PYTHONPATH=os.path.dirname(HERE))
    with tempfile.TemporaryDirectory(prefix="mas-kill-") as workdir:
        spec, source = make_spec(workdir, args.steps, args.example, args.batch, args.group)
        straight = os.path.join(workdir, "straight")
        subprocess.run(trainer_cmd(spec, straight, False), env=env, check=True, capture_output=True)
        max_delay = args.max_delay if args.max_delay is not None else 2 * step_period(straight)
        killed_run = os.path.join(workdir, "killed")
        kills = restarts = torn = 0
        sites: dict[str, int] = {}
        while True:
            proc = subprocess.Popen(
                trainer_cmd(spec, killed_run, True), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            restarts += 1
            if kills < args.kills:
                # Start-up (imports) is not worth killing: wait until this process logs that training started.
                while proc.poll() is None and starts_logged(killed_run) < restarts:
                    try:
                        proc.wait(timeout=0.02)
                    except subprocess.TimeoutExpired:
                        pass
                try:
                    proc.wait(timeout=rng.uniform(0.0, max_delay))
                except subprocess.TimeoutExpired:
                    proc.send_signal(signal.SIGKILL)
                    proc.wait()
                    kills += 1
                    site = kill_site(killed_run)
                    sites[site] = sites.get(site, 0) + 1
                    if args.tear_every and kills % args.tear_every == 0 and tear_metrics_append(killed_run):
                        torn += 1
                    continue
            else:
                proc.wait()
            if proc.returncode != 0:
                print(f"trainer exited with {proc.returncode} after {kills} kills")
                return 1
            with open(os.path.join(killed_run, "run.json"), encoding="utf-8") as f:
                if json.load(f)["status"] == "finished":
                    break
        steps = []
        with open(os.path.join(killed_run, "metrics.jsonl"), encoding="utf-8") as f:
            steps = [json.loads(line)["step"] for line in f if line.strip()]
        expected = list(range(1, args.steps + 1))
        lost = sorted(set(expected) - set(steps))
        repeated = sorted({s for s in steps if steps.count(s) > 1})
        a, b = final_weights(straight, args.steps), final_weights(killed_run, args.steps)
        same = bool(a) and a.keys() == b.keys() and all(torch.equal(a[k][n], b[k][n]) for k in a for n in a[k])
        print(
            json.dumps(
                {
                    "example": source,
                    "max_delay_s": round(max_delay, 3),
                    "kills": kills,
                    "restarts": restarts,
                    "steps": args.steps,
                    "lost_steps": lost,
                    "repeated_steps": repeated,
                    "final_weights_equal": same,
                    "kill_sites": sites,
                    "injected_torn_appends": torn,
                }
            )
        )
        if kills < args.kills:
            print(f"only {kills} kills landed before the run finished; raise --steps")
        return 0 if not lost and not repeated and same and kills >= args.kills else 1


if __name__ == "__main__":
    sys.exit(main())
