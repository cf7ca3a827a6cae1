"""run.json as `--resume` finds it: read with the strict JSON rules and checked field by field against its schema
(protocol/schemas/run-dir/run.schema.json; TS twin: RunJson in protocol/run-dir.ts), so a hand-edited or hostile
file gives exit 8 and a sentence naming the field instead of a TypeError deep inside the trainer.

jsonschema is a test-only dependency; this checks the top-level fields by hand, and the tests check that the JSON
Schema refuses every file refused here.
"""
from __future__ import annotations

import json
import os
from typing import Callable, Optional

from .errors import EXIT_RESUME_FAILED, MasError
from .rundir import RUN_DIR_VERSION
from .strict_json import JsonInputError, loads

MAX_RUN_JSON_BYTES = 64 * 1024 * 1024  # far above any real run.json (the RunSpec and a few facts)
STATUSES = ("running", "finished", "stopped", "failed")


def _is_int(v) -> bool:
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
    return MasError(f"{path}: {problem}; --resume cannot trust this run directory. Restore run.json, or delete it "
                    "and resume again (the trainer writes a new one)", EXIT_RESUME_FAILED)


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
    path = os.path.join(run_dir, "run.json")
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
