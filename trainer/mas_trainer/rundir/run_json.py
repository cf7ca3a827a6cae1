"""run.json: built and written here (run_json_record, write_run_json), and read back as `--resume` finds it: read
with the strict JSON rules and checked field by field against its schema (protocol/schemas/run-dir/run.schema.json;
TS twin: RunJson in protocol/run-dir.ts), so a hand-edited or hostile file gives exit 8 and a sentence naming the
field instead of a TypeError deep inside the trainer.

jsonschema is a test-only dependency; this checks the top-level fields by hand, and the tests check that the JSON
Schema refuses every file refused here.
"""

from __future__ import annotations

import json
import os
import platform
import time
from typing import Callable, Optional, TypeGuard

import torch

from ..errors import EXIT_RESUME_FAILED, MasError
from ..strict_json import JsonInputError, loads
from .files import atomic_write_json
from .layout import RUN_DIR_VERSION, RUN_JSON, run_path

MAX_RUN_JSON_BYTES = 64 * 1024 * 1024  # far above any real run.json (the RunSpec and a few facts)
STATUSES = ("running", "finished", "stopped", "failed")


def run_json_record(
    spec,
    status: str,
    error: Optional[str],
    started_at: float,
    steps_completed: int,
    trainer_version: str,
    device: str,
    units: list,
) -> dict:
    """The run.json of a run now (TS twin: RunJson in protocol/run-dir.ts); `spec` a spec.RunSpec, `units` the
    trainable modules (models.Unit)."""
    return {
        "version": RUN_DIR_VERSION,
        "status": status,
        "error": error,
        "workflow": spec.workflow,
        "started_at": started_at,
        "updated_at": time.time(),
        "steps_completed": steps_completed,
        "steps_total": spec.train.steps,
        "trainer": {
            "version": trainer_version,
            "python": platform.python_version(),
            "torch": torch.__version__,
            "device": device,
        },
        "units": [{"name": u.name, "agents": u.agents, "adapters": u.has_adapters} for u in units],
        "spec": spec.to_json(),
    }


def write_run_json(run_dir: str, record: dict, warn: Callable[[str], None]) -> None:
    """Written atomically (readers see the old or the new file); NaN / Infinity become null, with a warning."""
    nonfinite = atomic_write_json(run_path(run_dir, RUN_JSON), record)
    if nonfinite:
        warn(f"{RUN_JSON}: {nonfinite} NaN or Infinity value(s) written as null")


def _is_int(v) -> TypeGuard[int]:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


# field -> (check, what the field must be)
FIELDS: dict[str, tuple[Callable[[object], bool], str]] = {
    "version": (lambda v: _is_int(v) and v == RUN_DIR_VERSION, f"the run directory version {RUN_DIR_VERSION}"),
    "status": (lambda v: v in STATUSES, "one of " + ", ".join(STATUSES)),
    "error": (lambda v: v is None or isinstance(v, str), "a string or null"),
    "workflow": (lambda v: isinstance(v, str), "a string"),
    "started_at": (_is_number, "a number (Unix seconds)"),
    "updated_at": (_is_number, "a number (Unix seconds)"),
    "steps_completed": (lambda v: _is_int(v) and v >= 0, "an integer >= 0"),
    "steps_total": (lambda v: _is_int(v) and v >= 0, "an integer >= 0"),
    "trainer": (lambda v: isinstance(v, dict), "an object"),
    "units": (lambda v: isinstance(v, list), "an array"),
    "spec": (lambda v: isinstance(v, dict), "an object"),
}


def _shown(value) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return json.dumps(value)[:80]  # finite: the file was read with the strict rules


def _refuse(path: str, problem: str) -> MasError:
    return MasError(
        f"{path}: {problem}; --resume cannot trust this run directory. Restore run.json, or delete it "
        "and resume again (the trainer writes a new one)",
        EXIT_RESUME_FAILED,
    )


def check_run_json(value, path: str) -> dict:
    if not isinstance(value, dict):
        raise _refuse(path, "is not a JSON object")
    for name, (check, expected) in FIELDS.items():
        if name not in value:
            raise _refuse(path, f"field `{name}` is missing")
        if not check(value[name]):
            raise _refuse(path, f"field `{name}` must be {expected}, not {_shown(value[name])}")
    return value


def read_previous_run(run_dir: str) -> Optional[dict]:
    """The checked run.json of the run being resumed; None when there is none (a run killed before writing it)."""
    path = run_path(run_dir, RUN_JSON)
    if not os.path.exists(path):
        return None
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_RUN_JSON_BYTES + 1)
    except OSError as err:
        raise _refuse(path, f"cannot be read ({err.strerror})") from None
    if len(data) > MAX_RUN_JSON_BYTES:
        raise _refuse(path, f"is larger than {MAX_RUN_JSON_BYTES} bytes")
    return parse_run_json(data, path)


def parse_run_json(data: bytes, path: str) -> dict:
    try:
        value = loads(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise _refuse(path, f"is not UTF-8 (byte {err.start + 1})") from None
    except JsonInputError as err:
        raise _refuse(path, str(err)) from None
    return check_run_json(value, path)
