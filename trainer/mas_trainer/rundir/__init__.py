"""The run directory (DESIGN.md §3), with one owner on the Python side: this package.

layout.py     every file and folder name (twin of RUN_DIR_FILES in protocol/run-dir.ts) and the path helpers
safe_paths.py the trust rule: no link followed, nothing touched outside the run directory (exit 7)
files.py      atomic whole-file writes, line-atomic appends, JSON Lines read and truncated as the editor reads them
steps.py      one step's records: trajectories/<step>.jsonl, then its metrics.jsonl line
run_json.py   run.json: built, written, and checked when --resume reads it back
truncate.py   the resume truncation: the records of steps after the checkpoint resumed from
logs.py       trainer.log and the optional TensorBoard event files

Checkpoint folders are checkpoint.py's (their names come from layout.py); the critic's files, critic/export.py's.
"""

from .files import (
    append_line,
    atomic_write_bytes,
    atomic_write_json,
    fsync_dir,
    read_records,
    remove_temp_files,
    truncate_records,
)
from .layout import RUN_DIR_FILES, RUN_DIR_VERSION
from .logs import TensorBoardSink, open_logger

__all__ = [
    "RUN_DIR_FILES",
    "RUN_DIR_VERSION",
    "TensorBoardSink",
    "append_line",
    "atomic_write_bytes",
    "atomic_write_json",
    "fsync_dir",
    "open_logger",
    "read_records",
    "remove_temp_files",
    "truncate_records",
]
