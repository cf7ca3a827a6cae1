"""One step's records in the run directory: `trajectories/<step>.jsonl`, then the `metrics.jsonl` line (the order
resume relies on: protocol/schemas/run-dir/README.md), both standard JSON (strict_json)."""

from __future__ import annotations

from typing import Callable, cast

from ..strict_json import dumps_lines, replace_nonfinite
from .files import append_line, atomic_write_bytes
from .layout import METRICS, run_path, trajectory_path


def write_step(run_dir: str, step: int, metrics: dict, trajectories: list[dict], warn: Callable[[str], None]) -> None:
    """NaN / ±Infinity (a diverged loss, a broken verifier's reward) are written as null: JSON has no such numbers
    and the editor's readers refuse a line holding them. The metrics line counts them in `nonfinite_values`
    (its own and its trajectories'), and trainer.log gets a warning."""
    text, in_trajectories = dumps_lines(trajectories)
    atomic_write_bytes(trajectory_path(run_dir, step), text.encode("utf-8"))
    replaced, in_metrics = replace_nonfinite(metrics)
    record = cast(dict, replaced)  # a copy of the metrics dict
    record["nonfinite_values"] = in_metrics + in_trajectories
    if record["nonfinite_values"]:
        warn(
            f"step {step}: {in_metrics} value(s) in its metrics.jsonl line and {in_trajectories} in "
            f"trajectories/{step}.jsonl were NaN or Infinity, written as null (counted in nonfinite_values)"
        )
    append_line(run_path(run_dir, METRICS), record)
