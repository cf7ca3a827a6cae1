"""Datasets: JSON Lines rows checked against the declared fields; a bad row gives file:line and the field."""

from __future__ import annotations

import json
import os

from .errors import DatasetError
from .spec import DatasetSpec
from .strict_json import JsonInputError, loads

_TYPE_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
}


def load_dataset(spec: DatasetSpec) -> list[dict]:
    if not os.path.isfile(spec.path):
        raise DatasetError(
            f"dataset `{spec.name}` not found at {spec.path}; create it or fix the path "
            f'"{spec.declared_path}" in the .mas file'
        )
    rows: list[dict] = []
    with open(spec.path, "rb") as f:
        for line_no, raw in enumerate(f, start=1):
            where = f"{spec.path}:{line_no}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise DatasetError(f"{where}: not UTF-8 (byte {err.start + 1}); save the file as UTF-8") from None
            if not line.strip():
                continue
            try:
                # strict: NaN / Infinity are not JSON, and the editor could not read the trajectories holding them
                row = loads(line)
            except JsonInputError as err:
                raise DatasetError(f"{where}: {err}; each line must be one standard JSON object") from None
            if not isinstance(row, dict):
                raise DatasetError(f"{where}: each line must be one JSON object")
            for fld in spec.fields:
                if fld.name not in row:
                    raise DatasetError(f"{where}: field `{fld.name}` is missing (declared as {fld.type})")
                if not _TYPE_CHECKS.get(fld.type, lambda v: True)(row[fld.name]):
                    raise DatasetError(
                        f"{where}: field `{fld.name}` must be a {fld.type}, got {json.dumps(row[fld.name])}"
                    )
            rows.append(row)
    if not rows:
        raise DatasetError(f"dataset `{spec.name}` ({spec.path}) has no rows; add JSON Lines rows")
    return rows
