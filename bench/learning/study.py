"""The credit-assignment study (issue 4): every available estimator × task × seed, trained by the real trainer.

Each run's figures go to bench/results/learning/<task>/<method>-seed<k>.json; runs already there are skipped, so
a second call only runs what is new (e.g. an estimator that landed since). A method the trainer refuses (not
implemented yet) is reported as unavailable and retried next time. Ends by printing the table (report.py).

Results folder: $MAS_STUDY_RESULTS when set. Usage: trainer/.venv/bin/python bench/learning/study.py [--tasks lazy-2 card ...] [--methods outcome ...]
       [--seeds 5] [--steps-scale 1.0] [--jobs 2] [--quick]
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tasks import CRITIC_SETTINGS, LABELS, REPO, TASKS, TUNED_CRITIC, VARIANTS, Task, example_path  # noqa: E402

RESULTS = os.environ.get("MAS_STUDY_RESULTS") or os.path.join(REPO, "bench", "results", "learning")
CLI = os.path.join(REPO, "out", "cli.cjs")


def compile_spec(task: Task, folder: str) -> str:
    out = os.path.join(folder, f"{task.name}.spec.json")
    proc = subprocess.run(["node", CLI, "compile", example_path(task), "-o", out], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"mas compile {task.example} failed (build the CLI with `npm run build`): "
                         f"{proc.stderr.strip()[:400]}")
    return out


def credit_params(task: Task, label: str, n_agents: int) -> dict:
    """The credit params of a study label (a catalogue method, or a VARIANTS label with its extra params)."""
    method, extra = VARIANTS.get(label, (label, {}))
    return {**_method_params(task, method, n_agents), **extra}


def _method_params(task: Task, method: str, n_agents: int) -> dict:
    if method == "counterfactual" and task.fanout:
        return {"fanout": list(task.fanout)}
    if method == "shapley" and n_agents >= 5:  # exact needs 2^n - 1 re-runs per rollout: too slow for 2 cores
        return {"samples": 8, "mode": "sampled"}
    if method == "critic":  # chosen on lazy-2 from lr 0.003 / 0.01, replay 8 / 16, passes 1 / 2 (RESULTS.md)
        return dict(CRITIC_SETTINGS)
    return {}


def run_one(task_name: str, method: str, seed: int, spec_path: str, steps: int) -> dict:
    import torch

    torch.set_num_threads(1)
    import mas_trainer.critic.hooks as hooks
    from mas_trainer.spec import load_spec

    task = TASKS[task_name]
    spec = load_spec(spec_path)
    spec.train.seed, spec.train.steps, spec.train.checkpoint_every = seed, steps, steps
    spec.train.credit.method = VARIANTS.get(method, (method, {}))[0]
    if task.group:
        spec.train.algorithm.group = task.group
    spec.train.credit.params = credit_params(task, method, len(spec.agents))
    spec.train.record_credit = "none"
    read_critic_params = hooks.critic_params
    if method in TUNED_CRITIC:  # study-only: the trainer has no way to set a value-assisted run's critic (tasks.py)
        hooks.critic_params = lambda params: read_critic_params({**CRITIC_SETTINGS, **params})
    try:
        result = _train(task, method, seed, spec, steps)
        return {**result, "critic_settings": CRITIC_SETTINGS} if method in TUNED_CRITIC else result
    finally:  # pool workers run several jobs: the next one must see the trainer's own settings
        hooks.critic_params = read_critic_params


def _train(task: Task, method: str, seed: int, spec, steps: int) -> dict:
    from mas_trainer.errors import MasError
    from mas_trainer.trainer import RunOptions, Trainer
    from figures import run_figures

    task_name = task.name
    with tempfile.TemporaryDirectory(prefix=f"mas-study-{task_name}-{method}-") as run_dir:
        started = time.time()
        try:
            trainer = Trainer(spec, RunOptions(run_dir))
        except MasError as err:
            return {"task": task_name, "method": method, "seed": seed, "unavailable": str(err)}
        for handler in trainer.log.handlers:
            if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
                handler.setLevel(logging.WARNING)  # one line per step per run would drown the study's output
        trainer.run()
        figures = run_figures(task, spec.train.credit.method, run_dir)
    return {"task": task_name, "method": method, "seed": seed, "steps": steps, "params": spec.train.credit.params,
            "wall_s": time.time() - started, **figures}


def result_path(task: str, method: str, seed: int) -> str:
    return os.path.join(RESULTS, task, f"{method}-seed{seed}.json")


def done(task: str, method: str, seed: int, steps: int, n_agents: int) -> bool:
    """A stored result counts only if it ran as long as this study asks, with the credit params (and, for the
    tuned-critic label, the critic settings) it asks for."""
    params = credit_params(TASKS[task], method, n_agents)
    try:
        with open(result_path(task, method, seed), encoding="utf-8") as f:
            stored = json.load(f)
        tuned_ok = method not in TUNED_CRITIC or stored.get("critic_settings") == CRITIC_SETTINGS
        return stored.get("steps") == steps and stored.get("params") == params and tuned_ok
    except (OSError, ValueError):
        return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", nargs="+", default=list(TASKS))
    # The tuned-critic try runs only when named: it is a study-only patch and the slowest label.
    parser.add_argument("--methods", nargs="+", default=[m for m in LABELS if m not in TUNED_CRITIC])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--steps-scale", type=float, default=1.0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="2 seeds, a quarter of the steps (a smoke run)")
    args = parser.parse_args()
    if args.quick:
        args.seeds, args.steps_scale = 2, 0.25
    with tempfile.TemporaryDirectory(prefix="mas-study-specs-") as folder:
        specs = {name: compile_spec(TASKS[name], folder) for name in args.tasks}
        # Seed-major: if the study is cut short, every task and method has the same number of seeds.
        steps = {t: max(1, round(TASKS[t].steps * args.steps_scale)) for t in args.tasks}
        n_agents = {}
        for t, path in specs.items():
            with open(path, encoding="utf-8") as f:
                n_agents[t] = len(json.load(f)["agents"])
        todo = [(t, m, s) for s in range(1, args.seeds + 1) for t in args.tasks for m in args.methods
                if not done(t, m, s, steps[t], n_agents[t])]
        print(f"{len(todo)} runs to do ({args.jobs} at a time); results in {os.path.relpath(RESULTS, REPO)}",
              flush=True)
        unavailable: set[tuple[str, str]] = set()
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            futures = {pool.submit(run_one, t, m, s, specs[t], steps[t]): (t, m, s) for t, m, s in todo}
            for future in as_completed(futures):
                t, m, s = futures[future]
                try:
                    result = future.result()
                except Exception as err:  # one broken run must not lose the others' results
                    print(f"{t} {m} seed {s}: FAILED {type(err).__name__}: {err}", flush=True)
                    continue
                if "unavailable" in result:
                    if (t, m) not in unavailable:
                        print(f"{t} {m}: unavailable ({result['unavailable'][:120]})", flush=True)
                    unavailable.add((t, m))
                    continue
                os.makedirs(os.path.dirname(result_path(t, m, s)), exist_ok=True)
                with open(result_path(t, m, s), "w", encoding="utf-8") as f:
                    json.dump(result, f)
                print(f"{t:7} {m:16} seed {s}: steps→90% {result['steps_to_threshold']}, final "
                      f"{result['final_return']:.3f}, {result['wall_s']:.0f} s", flush=True)
    from report import main as report_main

    report_main([])


if __name__ == "__main__":
    main()
