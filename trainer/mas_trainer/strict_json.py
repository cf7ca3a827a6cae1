"""One JSON policy for what the trainer writes to a run directory and reads from it or from a dataset: standard
JSON only (RFC 8259), which is all the TypeScript readers accept.

Writing: Python's json writes NaN / Infinity as the bare tokens `NaN` / `Infinity`, which no other JSON reader
accepts; here every non-finite float becomes null and is counted, so the caller can warn and record how many.
Reading: the tokens NaN / Infinity / -Infinity and numbers beyond a double's range (`1e999`) are refused, and so is
nesting deeper than MAX_DEPTH, found by a scan before json.loads (whose recursion would end in RecursionError).
"""

from __future__ import annotations

import json
import math
import re

# TS twin: the nesting limit of analysis/run-dir/json-bytes.ts (MAX_JSON_DEPTH, the trajectory scanner's, which the
# editor's readers apply to every JSON they read). Python's own recursion limit (1000 frames, the caller's included)
# may refuse a value a few levels shallower: that is reported as the same error, never as a RecursionError.
MAX_DEPTH = 1000

# A JSON string (escapes included) or one bracket: strings are skipped so brackets inside them do not count.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.S)


class JsonInputError(ValueError):
    """Text that is not standard JSON within the limits; the message says what, the caller adds where."""


def nesting_depth_exceeds(text: str, limit: int = MAX_DEPTH) -> bool:
    """True when arrays/objects nest deeper than `limit` somewhere in `text` (an iterative scan: no recursion)."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        c = match.group()
        if c in "[{":
            depth += 1
            if depth > limit:
                return True
        elif c in "]}":
            depth -= 1
    return False


def _refuse_constant(name: str):
    raise JsonInputError(f"{name} is not a JSON value (write null, or a finite number)")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonInputError(f"the number {text[:40]} is too large for a double")
    return value


def _double_range_int(text: str) -> int:
    # An integer beyond a double's range is Infinity to every other JSON reader (and past 4 300 digits Python's int()
    # refuses it with a ValueError of its own); float() of a decimal string never raises, it overflows to inf.
    if not math.isfinite(float(text)):
        raise JsonInputError(f"the number {text[:40]}... is too large for a double")
    return int(text)


def loads(text: str):
    """json.loads for untrusted text: JsonInputError (never RecursionError) for anything but standard JSON."""
    if nesting_depth_exceeds(text):
        raise JsonInputError(f"nested more than {MAX_DEPTH} levels deep")
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float, parse_int=_double_range_int)
    except json.JSONDecodeError as err:
        where = f"column {err.colno}" if err.lineno == 1 else f"line {err.lineno}, column {err.colno}"
        raise JsonInputError(f"not valid JSON ({err.msg} at {where})") from None
    except RecursionError:
        raise JsonInputError(f"nested too deeply (the limit is {MAX_DEPTH} levels)") from None


def replace_nonfinite(value) -> tuple[object, int]:
    """A copy of `value` (dicts, lists, tuples, scalars) with every NaN / ±Infinity float replaced by None, and how
    many were replaced. Iterative, so a deeply nested value cannot exhaust the recursion limit."""
    count = 0

    def scalar(v):
        nonlocal count
        if isinstance(v, float) and not math.isfinite(v):
            count += 1
            return None
        return v

    def container(v):
        if isinstance(v, dict):
            return {}
        if isinstance(v, (list, tuple)):
            return []
        return None

    root = container(value)
    if root is None:
        out = scalar(value)
        return out, count
    stack = [(value, root)]
    while stack:
        source, target = stack.pop()
        items = source.items() if isinstance(source, dict) else enumerate(source)
        for key, item in items:
            copy = container(item)
            if copy is None:
                copy = scalar(item)
            else:
                stack.append((item, copy))
            if isinstance(target, dict):
                target[key] = copy
            else:
                target.append(copy)
    return root, count


def dumps(value, *, indent: int | None = None) -> tuple[str, int]:
    """Standard JSON text for `value` (non-finite floats written as null) and the number of such floats; compact
    unless `indent` is given. allow_nan=False turns anything that slipped past the replacement into a ValueError
    rather than a line no reader accepts."""
    clean, count = replace_nonfinite(value)
    separators = None if indent is not None else (",", ":")
    return json.dumps(clean, indent=indent, separators=separators, allow_nan=False), count


def dumps_lines(records: list) -> tuple[str, int]:
    """JSON Lines text (one compact record per line, each ending in a newline) and the non-finite floats replaced."""
    total, lines = 0, []
    for record in records:
        text, count = dumps(record)
        lines.append(text + "\n")
        total += count
    return "".join(lines), total
