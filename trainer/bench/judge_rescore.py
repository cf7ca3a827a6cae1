"""Judge figure (issue 16): re-scoring a recorded run's rollouts with a judge criterion twice; the second pass is
answered from the run directory's judge cache (judge-cache/answers.jsonl) and asks the model nothing.

The run: --run-dir of a recorded run (its run.json spec and trajectories/), or by default one recorded here: the
lazy-team fixture trained --steps steps on its scratch model (a few seconds on a CPU). The judge criterion `style`
(scale 1..10, on the last agent's output) is added to the run's reward rubric and asks --judge-model-dir (an HF
model folder) or, by default, a scratch(layers: 2, hidden: 64) model. Each pass builds its runner with
make_judge_runner (as the trainer and `rescore` do), so the second pass reads the cache from disk.

Usage: trainer/.venv/bin/python trainer/bench/judge_rescore.py [--run-dir DIR] [--steps 4] [--judge-model-dir DIR]
Prints a report, the machine's load before and after, and a last line of JSON with the figures.
"""

from __future__ import annotations

import argparse
import glob
import json
import logging
import os
import platform
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from mas_trainer.expr import EvalContext  # noqa: E402
from mas_trainer.judge_spec import JudgeSpec  # noqa: E402
from mas_trainer.judges import make_judge_runner  # noqa: E402
from mas_trainer.rundir import read_records  # noqa: E402
from mas_trainer.spec import CriterionSpec, ModelSource, ModelSpec, parse_spec  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")
LOG = logging.getLogger("judge_rescore")


def record_run(run_dir: str, steps: int) -> None:
    """A recorded run of the lazy-team fixture (scratch model, CPU), with no judge: the cache starts empty."""
    from mas_trainer.trainer import RunOptions, Trainer

    with open(os.path.join(FIXTURES, "lazy-team.spec.json"), encoding="utf-8") as f:
        data = json.load(f)
    data["datasets"][0]["path"] = os.path.join(FIXTURES, "lazy-team.jsonl")
    data["train"].update(steps=steps, batch=4, checkpoint_every=steps)
    data["train"]["algorithm"]["group"] = 4
    Trainer(parse_spec(data), RunOptions(run_dir)).run()


def judged_spec(run_dir: str, judge_model_dir: str | None):
    """The run's spec with a `style` judge criterion on its last agent's output added to the reward rubric."""
    with open(os.path.join(run_dir, "run.json"), encoding="utf-8") as f:
        spec = parse_spec(json.load(f)["spec"])
    source = (
        ModelSource(kind="hf", id=judge_model_dir)
        if judge_model_dir
        else ModelSource(kind="scratch", layers=2, hidden=64, heads=4, context=256)
    )
    spec.models.append(ModelSpec(name="bench_judge", source=source, adapter=None))
    last = spec.agents[-1].name
    prompt = [{"text": "Rate this answer from 1 to 10: "}, {"ref": {"op": "output", "agent": last}}]
    judge = JudgeSpec(model="bench_judge", prompt=prompt, scale=[1, 10], max_tokens=8)
    spec.rubric(spec.reward.rubric).criteria.append(CriterionSpec("style", 0.3, judge=judge))
    return spec


def contexts_of(run_dir: str) -> list[EvalContext]:
    """Each recorded rollout's final transcript (what a per-trajectory rubric scores)."""
    contexts = []
    for path in sorted(glob.glob(os.path.join(run_dir, "trajectories", "*.jsonl"))):
        for record in read_records(path):
            outputs = {t["agent"]: t["output"] for t in record["turns"]}
            contexts.append(EvalContext(task=record["task"], outputs=outputs))
    return contexts


def one_pass(spec, run_dir: str, contexts: list[EvalContext]) -> dict:
    started = time.perf_counter()
    runner = make_judge_runner(spec, run_dir, "cpu", LOG)
    assert runner is not None
    criteria = spec.rubric(spec.reward.rubric).criteria
    runner.prefetch(criteria, contexts)
    judge = criteria[-1].judge
    scores = [runner.score("style", judge, c) for c in contexts]
    return {
        "calls": runner.calls,
        "model_loaded": bool(getattr(runner.backends["bench_judge"], "loaded", True)),
        "seconds": time.perf_counter() - started,
        "scored": sum(s is not None for s in scores),
        "null": sum(s is None for s in scores),
        "scores": scores,
    }


def load() -> str:
    return os.getloadavg().__repr__() if hasattr(os, "getloadavg") else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run-dir", help="a recorded run (default: record the lazy team here)")
    parser.add_argument("--steps", type=int, default=4, help="steps of the recorded lazy-team run (default 4)")
    parser.add_argument("--judge-model-dir", help="an HF model folder for the judge (default: a scratch model)")
    args = parser.parse_args(argv)
    load_before = load()
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = args.run_dir or os.path.join(tmp, "run")
        if not args.run_dir:
            record_run(run_dir, args.steps)
        spec = judged_spec(run_dir, args.judge_model_dir)
        contexts = contexts_of(run_dir)
        first = one_pass(spec, run_dir, contexts)
        second = one_pass(spec, run_dir, contexts)
    assert second["scores"] == first["scores"], "the cached pass must give the same scores"
    figures = {
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} CPUs",
        "load_before": load_before,
        "load_after": load(),
        "judge": args.judge_model_dir or "scratch(layers: 2, hidden: 64)",
        "rollouts": len(contexts),
        "first_calls": first["calls"],
        "first_s": round(first["seconds"], 4),
        "second_calls": second["calls"],
        "second_s": round(second["seconds"], 4),
        "second_loaded_model": second["model_loaded"],
        "speedup": round(first["seconds"] / second["seconds"], 1) if second["seconds"] > 0 else None,
        "null_scores": first["null"],
    }
    print(f"judge re-score of {len(contexts)} rollouts on {figures['machine']} (load {load_before})")
    print(f"  first pass:  {first['calls']} model calls, {first['seconds']:.3f} s")
    loaded = "loaded the model" if second["model_loaded"] else "loaded no model"
    print(f"  second pass: {second['calls']} model calls, {second['seconds']:.3f} s (from judge-cache/, {loaded})")
    print(f"  speed-up: {figures['speedup']}x; null scores (no number in range): {first['null']}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
