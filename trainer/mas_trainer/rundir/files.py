"""Writing and reading the run directory's files (DESIGN.md §3): atomic whole-file writes, line-atomic appends,
JSON Lines read and truncated as the editor reads them. Record formats: protocol/schemas/run-dir/*.schema.json and
protocol/run-dir.ts."""

from __future__ import annotations

import logging
import os
import tempfile
from typing import Callable, Optional

from .. import strict_json
from ..jsonl_records import parse_jsonl, report_corrupt
from .layout import TEMP_PREFIX, TRAJECTORIES
from .safe_paths import open_append, remove_regular_file


def fsync_dir(path: str) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: str, data: bytes) -> None:
    """temp file in the same folder + fsync + rename: readers see the old or the new file, never a torn one."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    fsync_dir(folder)


def remove_temp_files(run_dir: str) -> int:
    """Deletes temp files an interrupted atomic write left in the run directory and trajectories/."""
    removed = 0
    for folder in (run_dir, os.path.join(run_dir, TRAJECTORIES)):
        if not os.path.isdir(folder) or os.path.islink(folder):  # a linked trajectories/ would list a folder outside
            continue
        for name in os.listdir(folder):
            if name.startswith(TEMP_PREFIX) and remove_regular_file(os.path.join(folder, name)):
                removed += 1
    return removed


def atomic_write_json(path: str, obj) -> int:
    """Returns how many non-finite numbers were written as null (strict_json: the run directory is standard JSON)."""
    text, nonfinite = strict_json.dumps(obj, indent=2)
    atomic_write_bytes(path, (text + "\n").encode("utf-8"))
    return nonfinite


def append_line(path: str, record: dict) -> int:
    """One record = one write() of one line with O_APPEND, then fsync: a reader never sees half of it
    except as a torn last line after a crash, which readers drop (DESIGN.md §3). Returns how many non-finite
    numbers were written as null."""
    text, nonfinite = strict_json.dumps(record)
    data = (text + "\n").encode("utf-8")
    fd = open_append(path)  # O_NOFOLLOW: never appended through a link (safe_paths)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    return nonfinite


def _read_bytes(path: str) -> Optional[bytes]:
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return f.read()


def read_records(path: str, warn: Optional[Callable[[str], None]] = None, validate=None) -> list:
    """Reads a JSON Lines file, dropping a torn last line (no trailing newline); a corrupt line is skipped with a
    warning naming file:line, as the editor's reader does (jsonl_records)."""
    data = _read_bytes(path)
    if data is None:
        return []
    lines = parse_jsonl(data, validate)
    report_corrupt(path, lines, warn or logging.getLogger(__name__).warning)
    return [line.record for line in lines if line.problem is None]


def truncate_records(path: str, keep, warn: Optional[Callable[[str], None]] = None, validate=None) -> int:
    """Rewrites a JSON Lines file atomically with the records for which keep(record) holds; returns how many
    were dropped. Used on resume to remove steps logged after the checkpoint we resume from. Corrupt lines are
    skipped with a warning; those before the last kept record stay as they are (they belong to the history
    that is kept and nothing is lost), those after it are dropped with the steps that are redone."""
    data = _read_bytes(path)
    if data is None:
        return 0
    lines = parse_jsonl(data, validate)
    report_corrupt(path, lines, warn or logging.getLogger(__name__).warning)
    kept_through = max((i for i, line in enumerate(lines) if line.problem is None and keep(line.record)), default=-1)
    out = [
        line.raw + b"\n"
        for i, line in enumerate(lines)
        if i <= kept_through and (line.problem is not None or keep(line.record))
    ]
    atomic_write_bytes(path, b"".join(out))
    return sum(1 for line in lines if line.problem is None and not keep(line.record))
