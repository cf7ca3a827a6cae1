"""Evaluation errors and runtime type helpers shared by the expression modules."""

from __future__ import annotations

import re
from typing import Any, TypeGuard, Union

Value = Union[float, str, bool, None]  # TS twin: Value (protocol/expression.ts)


class EvalError(Exception):
    """kind is one of protocol EvalErrorKind: unknown_op, arity, type_error, bad_regex, needs_trainer (a verifier
    node where no verifier hook runs: analysis/ always, the trainer's evaluator never)."""

    def __init__(self, kind: str, message: str = ""):
        super().__init__(f"{kind}: {message}" if message else kind)
        self.kind = kind


def is_num(v: Any) -> TypeGuard[float]:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def type_name(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if is_num(v):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, re.Pattern):
        return "regex"
    return type(v).__name__
