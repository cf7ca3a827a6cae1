"""The RunSpec's `verifiers` (TS twin: VerifierSpec in protocol/run-spec.ts): parsed and checked before training.

A verifier is Python code from the workspace: its file is imported only by the worker pool (mas_trainer.verifiers),
never here. This module checks the spec's shape, that every verifier node of the rubrics names a declared verifier
or a built-in, and that each declared file exists (else exit 3 with the path, before any model is built).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from .errors import SpecError

IDENTIFIER = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
PARAM_TYPES = ("string", "number", "bool")
RETURN_TYPES = ("number", "bool")


@dataclass
class VerifierParam:  # TS twin: VerifierSpec.params[i]
    name: str
    type: str


@dataclass
class VerifierSpec:  # TS twin: VerifierSpec
    name: str
    params: list[VerifierParam] = field(default_factory=list)
    returns: str = "bool"
    file: str = ""  # absolute path, resolved against the declaring .mas file
    function: str = ""


def parse_verifiers(data: Any) -> list[VerifierSpec]:
    """`verifiers` of a RunSpec (absent in specs written before verifiers: none)."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise SpecError("the run spec's `verifiers` must be a list; recompile it with `mas compile`")
    out, seen = [], set()
    for item in data:
        if not isinstance(item, dict):
            raise SpecError("each entry of the run spec's `verifiers` must be an object; recompile it")
        name, function, file = item.get("name"), item.get("function"), item.get("file")
        if not isinstance(name, str) or not IDENTIFIER.fullmatch(name) or name in seen:
            raise SpecError(f"the run spec declares a verifier with a bad or repeated name {name!r}; recompile it")
        if not isinstance(function, str) or not IDENTIFIER.fullmatch(function):
            raise SpecError(f"verifier `{name}` names no valid Python function ({function!r}); recompile the spec")
        if not isinstance(file, str) or not file:
            raise SpecError(f"verifier `{name}` has no file; recompile the spec with `mas compile`")
        if item.get("returns") not in RETURN_TYPES:
            raise SpecError(f"verifier `{name}` must return number or bool, not {item.get('returns')!r}")
        params = item.get("params", [])
        if not isinstance(params, list) or not all(
            isinstance(p, dict) and isinstance(p.get("name"), str) and p.get("type") in PARAM_TYPES for p in params
        ):
            raise SpecError(f"verifier `{name}` has malformed parameters; recompile the spec with `mas compile`")
        seen.add(name)
        out.append(
            VerifierSpec(name, [VerifierParam(p["name"], p["type"]) for p in params], item["returns"], file, function)
        )
    return out


def verifier_calls(expr: Any) -> Iterator[Mapping[str, Any]]:
    """Every `verifier` node of an expression tree (hostile trees: only dicts and lists are walked)."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            if node.get("op") == "verifier":
                yield node
            stack.extend(v for v in node.values() if isinstance(v, (Mapping, list)))
        elif isinstance(node, list):
            stack.extend(node)


def used_verifiers(spec) -> list[str]:
    """Names of the verifiers the spec's rubrics and edge conditions call, in order of first use."""
    exprs = [c.expr for r in spec.rubrics for c in r.criteria if c.expr is not None] + [
        e.condition for e in spec.edges if e.condition
    ]
    names: list[str] = []
    for expr in exprs:
        for node in verifier_calls(expr):
            name = node.get("name")
            if isinstance(name, str) and name not in names:
                names.append(name)
    return names


def check_verifiers(spec, builtins: Mapping[str, Any]) -> None:
    """Every called verifier is declared or built in, and every declared file exists: exit 3 otherwise."""
    declared = {v.name: v for v in spec.verifiers}
    for name in used_verifiers(spec):
        if name not in declared and name not in builtins:
            raise SpecError(
                f"the rubric calls the verifier `{name}`, which the spec does not declare and is not built in "
                f"(built-ins: {', '.join(sorted(builtins)) or 'none'}); recompile the spec with `mas compile`"
            )
    for v in spec.verifiers:
        if not os.path.isfile(v.file):
            raise SpecError(
                f"the file {v.file} of verifier `{v.name}` does not exist (or is not a file); create it with a "
                f"`def {v.function}(...)`, or correct the path in the .mas file, then compile again"
            )
