"""The resume truncation: steps logged after the checkpoint a run resumes from are redone, so their records go.

Called only after the checkpoint loaded and passed its checks (trainer.Trainer.restore, resume.py), so a bad
checkpoint never costs a record. Write order and why it makes this safe: protocol/schemas/run-dir/README.md.
"""

from __future__ import annotations

import os
from typing import Callable

from ..jsonl_records import metrics_problem
from .files import remove_temp_files, truncate_records
from .layout import METRICS, TRAJECTORIES, TRAJECTORY_FILE, run_path
from .safe_paths import remove_regular_file


def drop_steps_after(run_dir: str, step: int, warn: Callable[[str], None]) -> int:
    """Removes the metrics.jsonl records and trajectory files of steps after `step` (0: every step), and the temp
    files of interrupted writes; returns how many metrics records were dropped. Metrics lines that are not valid
    records are handled as truncate_records says (kept before the last kept record, with a warning)."""
    dropped = truncate_records(run_path(run_dir, METRICS), lambda r: r["step"] <= step, warn, metrics_problem)
    remove_stale_files(run_dir, step)
    return dropped


def remove_stale_files(run_dir: str, step: int) -> None:
    """Removes the trajectory files of steps after `step` (regular files named <n>.jsonl only: a link, folder or
    other name is left alone) and temp files of interrupted writes. The metrics records are drop_steps_after's."""
    remove_temp_files(run_dir)
    folder = os.path.join(run_dir, TRAJECTORIES)
    for name in os.listdir(folder):
        match = TRAJECTORY_FILE.fullmatch(name)
        if match and int(match.group(1)) > step:
            remove_regular_file(os.path.join(folder, name))
