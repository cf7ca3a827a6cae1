"""Figure: the lazy-team example learns on CPU with its own credit (shapley). Prints steps-to-90 % success over 3 seeds,
rollout tokens/s and update time per step. Never asserts on time.

Usage: trainer/.venv/bin/python trainer/bench/learn_lazy_team.py [--seeds 1 2 3] [--steps 300] [--spec FILE]
Spec: the compiled examples/lazy-team/lazy-team.mas when `node out/cli.cjs` can compile it, else the hand-written
trainer/tests/fixtures/lazy-team.spec.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
FIXTURE = os.path.join(REPO, "trainer", "tests", "fixtures", "lazy-team.spec.json")
EXAMPLE = os.path.join(REPO, "examples", "lazy-team", "lazy-team.mas")
CLI = os.path.join(REPO, "out", "cli.cjs")


def _spec_path(explicit: str | None, workdir: str) -> tuple[str, str]:
    if explicit:
        return explicit, explicit
    if os.path.exists(CLI) and os.path.exists(EXAMPLE):
        out = os.path.join(workdir, "lazy-team.spec.json")
        proc = subprocess.run(["node", CLI, "compile", EXAMPLE, "-o", out], capture_output=True, text=True)
        if proc.returncode == 0:
            return out, "examples/lazy-team/lazy-team.mas (mas compile)"
        print(f"note: mas compile failed ({proc.stderr.strip()[:200]}); using the hand-written fixture")
    return FIXTURE, "trainer/tests/fixtures/lazy-team.spec.json (hand-written)"


def run_seed(spec_path: str, seed: int, steps: int, workdir: str) -> dict:
    from mas_trainer.rundir import read_records
    from mas_trainer.spec import load_spec
    from mas_trainer.trainer import RunOptions, Trainer

    spec = load_spec(spec_path)
    spec.train.seed, spec.train.steps = seed, steps
    spec.train.checkpoint_every = steps  # the figure measures learning, not checkpoint I/O
    run_dir = os.path.join(workdir, f"seed-{seed}")
    started, cpu_started = time.time(), time.process_time()
    Trainer(spec, RunOptions(run_dir)).run()
    wall, cpu = time.time() - started, time.process_time() - cpu_started
    records = read_records(os.path.join(run_dir, "metrics.jsonl"))
    reached = next((r["step"] for r in records if r["success"] >= 0.9), None)
    return {
        "seed": seed,
        "steps_to_90": reached,
        "wall_s": wall,
        "seconds_to_90": sum(r["rollout_s"] + r["update_s"] for r in records if r["step"] <= reached)
        if reached
        else None,
        "final_success": statistics.mean(r["success"] for r in records[-10:]),
        "chance_success": statistics.mean(r["success"] for r in records[:5]),
        "rollout_tokens_per_s": statistics.median(r["rollout_tokens_per_s"] for r in records),
        "update_s_per_step": statistics.median(r["update_s"] for r in records),
        "rollout_s_per_step": statistics.median(r["rollout_s"] for r in records),
        # CPU seconds of this process per step: what a shared, loaded machine distorts least
        "cpu_s_per_step": cpu / len(records),
        "rollout_tokens_per_cpu_s": sum(r["rollout_tokens"] for r in records) / cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--spec", default=None)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory(prefix="mas-bench-") as workdir:
        spec_path, label = _spec_path(args.spec, workdir)
        print(
            f"spec: {label}; torch {torch.__version__}, {args.threads} thread(s), CPU; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        results = [run_seed(spec_path, seed, args.steps, workdir) for seed in args.seeds]
    print(
        f"{'seed':>4} {'chance':>7} {'steps→90%':>9} {'s→90%':>7} {'final':>6} {'rollout tok/s':>13} "
        f"{'rollout s/step':>14} {'update s/step':>13} {'CPU s/step':>10} {'tok/CPU s':>9}"
    )
    for r in results:
        print(
            f"{r['seed']:>4} {r['chance_success']:>7.3f} {str(r['steps_to_90']):>9} "
            f"{(r['seconds_to_90'] or float('nan')):>7.1f} {r['final_success']:>6.3f} "
            f"{r['rollout_tokens_per_s']:>13.0f} {r['rollout_s_per_step']:>14.4f} {r['update_s_per_step']:>13.4f} "
            f"{r['cpu_s_per_step']:>10.4f} {r['rollout_tokens_per_cpu_s']:>9.0f}"
        )
    reached = [r["steps_to_90"] for r in results if r["steps_to_90"] is not None]
    print(
        json.dumps(
            {
                "steps_to_90": [r["steps_to_90"] for r in results],
                "median_steps_to_90": statistics.median(reached) if reached else None,
                "seeds_reaching_90": f"{len(reached)}/{len(results)}",
                "load_average_after": round(os.getloadavg()[0], 1),
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
