"""Reading a JSON Lines file of the run directory (metrics.jsonl on --resume) the way the editor does.

TS twin: analysis/run-dir/jsonl-lines.ts. Bytes after the last newline are a torn last line (a crash mid-append)
and are dropped; a blank line is skipped; a trailing CR is ignored; a complete line that is not UTF-8, not standard
JSON (strict_json), too long, or refused by `validate` is corrupt: reported with file:line and skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from .strict_json import JsonInputError, loads

MAX_LINE_BYTES = 64 * 1024 * 1024  # TS twin: DEFAULT_MAX_LINE_BYTES (analysis/run-dir/jsonl-lines.ts)

# value -> None when the record is usable, else a sentence saying what is wrong with it
Validator = Callable[[object], Optional[str]]


@dataclass
class JsonlLine:
    number: int  # 1-based line number in the file
    raw: bytes  # the line as it is in the file, without its newline
    record: object = None  # the parsed record; None when `problem` is set
    problem: Optional[str] = None


def metrics_problem(value) -> Optional[str]:
    """What resume needs of a metrics.jsonl record: an object with an integer `step` >= 1 (TS twin: validateMetrics
    in analysis/run-dir/validate.ts, which also checks `reward_mean`, a value resume does not use)."""
    if not isinstance(value, dict):
        return "record is not a JSON object"
    step = value.get("step")
    if not isinstance(step, int) or isinstance(step, bool) or step < 1:
        return "'step' is not an integer >= 1"
    return None


def _parse(raw: bytes, validate: Optional[Validator]) -> tuple[object, Optional[str]]:
    if len(raw) > MAX_LINE_BYTES:
        return None, f"line longer than {MAX_LINE_BYTES} bytes"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return None, f"not UTF-8 (byte {err.start + 1})"
    try:
        value = loads(text)
    except JsonInputError as err:
        return None, str(err)
    problem = validate(value) if validate is not None else None
    return (None, problem) if problem else (value, None)


def parse_jsonl(data: bytes, validate: Optional[Validator] = None) -> list[JsonlLine]:
    """Every complete, non-blank line of `data`, parsed or with its problem."""
    pieces = data.split(b"\n")
    lines = []
    for number, raw in enumerate(pieces[:-1], start=1):  # the last piece is b"" or a torn line
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if not raw.strip():
            continue
        record, problem = _parse(raw, validate)
        lines.append(JsonlLine(number, raw, record, problem))
    return lines


def report_corrupt(path: str, lines: list[JsonlLine], warn: Callable[[str], None]) -> None:
    for line in lines:
        if line.problem is not None:
            warn(f"{path}:{line.number}: {line.problem}; the line is skipped")
