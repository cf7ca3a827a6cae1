"""The built-in verifier library: usable in a rubric without writing Python (issue 16 item 2).

builtins.json beside this file is the language's copy of the table (completion, hover, call checks); it is written by
trainer/tools/make_builtins_json.py and tests/test_verifier_builtins.py checks that it is current.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Callable

from .code_tests import code_tests
from .json_checks import json_schema, json_valid
from .math_equal import math_equal
from .text import exact, f1

JSON_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "builtins.json")


@dataclass(frozen=True)
class Builtin:
    fn: Callable[..., object]
    params: list[tuple[str, str]]  # (name, type), as VerifierDecl.params
    returns: str  # "number" | "bool"
    doc: str  # one paragraph for hover and completion


BUILTINS: dict[str, Builtin] = {
    "math_equal": Builtin(
        math_equal,
        [("got", "string"), ("want", "string")],
        "bool",
        "True when the last \\boxed{...} answer in `got` (or all of `got` when it has none) is the same number as "
        "`want`: fractions, decimals, LaTeX \\frac / \\dfrac / \\sqrt / \\pi, thousands separators (1,234) and signs "
        "are read exactly; a trailing % is dropped (50\\% equals 50). Pass a number field as string(task.answer). "
        "Answers that are not numbers are compared as whitespace-free text.",
    ),
    "exact": Builtin(
        exact,
        [("got", "string"), ("want", "string")],
        "bool",
        "True when the texts are equal after trimming and collapsing every run of whitespace to one space; case "
        "and punctuation count.",
    ),
    "f1": Builtin(
        f1,
        [("got", "string"), ("want", "string")],
        "number",
        "SQuAD-style token F1 between `got` and `want` (0 to 1): lower case, punctuation and the articles "
        "a/an/the removed, tokens counted with multiplicity.",
    ),
    "json_valid": Builtin(
        json_valid,
        [("got", "string")],
        "bool",
        "True when all of `got` is standard JSON (no NaN/Infinity, nesting at most 1000 deep; no Markdown fence).",
    ),
    "json_schema": Builtin(
        json_schema,
        [("got", "string"), ("schema", "string")],
        "bool",
        "True when `got` is standard JSON that the JSON Schema `schema` (a JSON string) accepts; `format` is not "
        "asserted and $ref never leaves the schema. An invalid schema scores null.",
    ),
    "code_tests": Builtin(
        code_tests,
        [("code", "string"), ("tests", "string")],
        "number",
        "The fraction of the top-level `assert` statements in `tests` that pass after `code` runs, in a sandbox (own "
        "temporary directory, timeout, CPU/memory/file/process limits, no network, no inherited environment). Code "
        "that raises or times out scores 0; tests that do not parse or hold no assert score null.",
    ),
}


def builtins_table() -> list[dict]:
    """builtins.json's content: [{name, params: [{name, type}], returns, doc}] in BUILTINS' order."""
    return [
        {
            "name": name,
            "params": [{"name": p, "type": t} for p, t in b.params],
            "returns": b.returns,
            "doc": b.doc,
        }
        for name, b in BUILTINS.items()
    ]


def render_json() -> str:
    return json.dumps(builtins_table(), indent=2, ensure_ascii=False) + "\n"
