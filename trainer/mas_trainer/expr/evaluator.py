"""The expression-tree evaluator (protocol/expression.ts, semantics in protocol/EXPRESSIONS.md).

Must agree with the TypeScript evaluator on every vector in test/fixtures/expressions/.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional, TypeGuard

from ..regex import Regex
from .errors import EvalError, Value
from .errors import is_num as _is_num
from .errors import type_name as _type_name
from .regexes import compile_regex
from .regexes import count_matches as _count
from .regexes import extract_match as _extract
from .values import TRIM_CHARS, to_number, to_string


@dataclass
class EvalContext:
    """TS twin: EvalContext (protocol/expression.ts)."""

    task: Mapping[str, Value] = field(default_factory=dict)
    outputs: Mapping[str, str] = field(default_factory=dict)
    ctx: Mapping[str, Value] = field(default_factory=dict)


def _is_str(v: Any) -> TypeGuard[str]:
    return isinstance(v, str)


def _check_str(v: Value, what: str) -> str | None:
    """v itself, once checked to be a string or null."""
    if v is not None and not _is_str(v):
        raise EvalError("type_error", f"{what} needs a string, got {_type_name(v)}")
    return v


# Runs a verifier call (protocol/expression.ts `op: verifier`): the verifier's name and its evaluated arguments in,
# its value out (None when the call failed: the null rules of EXPRESSIONS.md then apply). The trainer passes one
# backed by its worker pool (mas_trainer/verifier_calls.py); without one, a verifier node is `needs_trainer`.
VerifierHook = Callable[[str, list], Value]


class Evaluator:
    """Evaluates expression trees; caches compiled regexes across calls (one per trainer, not global)."""

    def __init__(self, verifiers: Optional[VerifierHook] = None) -> None:
        self._regex_cache: dict[tuple[Any, Any], Regex] = {}  # key unchecked: compile_regex checks it
        self._verifiers = verifiers
        self.verifier_nulls = 0  # verifier calls that gave null (a failure): rewards.py marks their criteria

    def evaluate(self, expr: Mapping[str, Any], context: EvalContext) -> Value:
        value = self._eval(expr, context)
        if isinstance(value, Regex):
            raise EvalError("type_error", "a regex is only valid as an argument")
        return value

    def _regex_arg(self, expr: Any) -> Regex:
        if not isinstance(expr, Mapping) or expr.get("op") != "regex":
            raise EvalError("type_error", "a regex literal is required here")
        key = (expr.get("source"), expr.get("flags", ""))
        if key not in self._regex_cache:
            self._regex_cache[key] = compile_regex(*key)
        return self._regex_cache[key]

    def _value(self, expr: Any, context: EvalContext) -> Value:
        v = self._eval(expr, context)
        if isinstance(v, Regex):
            raise EvalError("type_error", "a regex is only valid as an argument")
        return v

    def _eval(self, expr: Any, context: EvalContext) -> Any:
        if not isinstance(expr, Mapping):
            raise EvalError("unknown_op", f"not an expression node: {expr!r}")
        op = expr.get("op")
        if op in ("num", "str", "bool"):
            return float(expr["value"]) if op == "num" else expr["value"]
        if op == "regex":
            # Compile to surface bad_regex, but a bare regex is a type_error at the use site.
            self._regex_arg(expr)
            raise EvalError("type_error", "a regex is only valid as an argument")
        if op == "task":
            v = context.task.get(expr["field"])
            return float(v) if _is_num(v) else v
        if op == "output":
            return context.outputs.get(expr["agent"], "")
        if op == "ctx":
            v = context.ctx.get(expr["name"])
            return float(v) if _is_num(v) else v
        if op in ("not", "neg"):
            return self._unary(op, self._value(expr["arg"], context))
        if op in ("and", "or"):
            return self._logical(op, expr, context)
        if op in _BINARY:
            left = self._value(expr["left"], context)
            if op == "matches":
                return self._matches(left, expr["right"])
            return _BINARY[op](left, self._value(expr["right"], context))
        if op == "call":
            return self._call(expr.get("fn"), expr.get("args", []), context)
        if op == "verifier":
            return self._verifier(expr, context)
        raise EvalError("unknown_op", f"unknown op {op!r}")

    def _verifier(self, expr: Mapping[str, Any], context: EvalContext) -> Value:
        """A Python verifier: `needs_trainer` before any argument is evaluated when no hook runs verifiers here,
        else its arguments left to right; null when one of them is null (no call), else the hook's value (TS twin:
        analysis/expression/evaluate.ts)."""
        name = expr.get("name")
        if self._verifiers is None:
            raise EvalError("needs_trainer", f"the verifier {name!r} is Python code that only the trainer runs")
        args = [self._value(arg, context) for arg in expr.get("args", [])]
        if any(arg is None for arg in args):
            return None  # a missing value in, a missing value out: the verifier is not called (EXPRESSIONS.md)
        value = self._verifiers(str(name), args)
        if value is None:
            self.verifier_nulls += 1
        return value

    @staticmethod
    def _unary(op: str, v: Value) -> Value:
        if op == "not":
            if v is None or v is False:
                return True
            if v is True:
                return False
            raise EvalError("type_error", f"not of {_type_name(v)}")
        if v is None:
            return None
        if _is_num(v):
            return -v
        raise EvalError("type_error", f"neg of {_type_name(v)}")

    def _logical(self, op: str, expr: Mapping[str, Any], context: EvalContext) -> bool:
        def truth(v: Value) -> bool:
            if v is None:
                return False
            if isinstance(v, bool):
                return v
            raise EvalError("type_error", f"{op} of {_type_name(v)}")

        left = truth(self._value(expr["left"], context))
        if op == "and" and not left:
            return False
        if op == "or" and left:
            return True
        return truth(self._value(expr["right"], context))

    def _matches(self, left: Value, right_expr: Any) -> bool:
        pattern = self._regex_arg(right_expr)
        s = _check_str(left, "matches")
        return s is not None and pattern.search(s)

    def _call(self, fn: Any, args: list, context: EvalContext) -> Value:
        if fn not in _ARITY:
            raise EvalError("unknown_op", f"unknown function {fn!r}")
        if len(args) != _ARITY[fn]:
            raise EvalError("arity", f"{fn} takes {_ARITY[fn]} argument(s), got {len(args)}")
        if fn in ("extract", "count"):
            s = self._value(args[0], context)
            pattern = self._regex_arg(args[1])
            checked = _check_str(s, fn)
            if fn == "extract":
                return _extract(checked, pattern)
            return 0.0 if checked is None else float(_count(checked, pattern))
        v = self._value(args[0], context)
        if fn == "number":
            return to_number(v)
        if fn == "string":
            return to_string(v)
        text = _check_str(v, fn)
        if text is None:
            return None
        if fn == "length":
            return float(len(text))
        if fn == "lower":
            return text.lower()
        if fn == "upper":
            return text.upper()
        return text.strip(TRIM_CHARS)


def _arith(op: str):
    def apply(a: Value, b: Value) -> Value:
        if a is None or b is None:
            return None  # null wins over the type check (conformance vectors)
        if op == "+" and _is_str(a) and _is_str(b):
            return a + b
        if not (_is_num(a) and _is_num(b)):
            raise EvalError("type_error", f"{op} of {_type_name(a)} and {_type_name(b)}")
        if op == "+":
            result = a + b
        elif op == "-":
            result = a - b
        elif op == "*":
            result = a * b
        elif b == 0:
            return None
        elif op == "/":
            result = a / b
        else:
            result = math.fmod(a, b)
        return result if math.isfinite(result) else None

    return apply


def _equality(negate: bool):
    def apply(a: Value, b: Value) -> bool:
        if a is None or b is None:
            return negate
        if _type_name(a) != _type_name(b):
            raise EvalError("type_error", f"comparing {_type_name(a)} with {_type_name(b)}")
        return (a != b) if negate else (a == b)

    return apply


def _ordering(op: str):
    compare = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}[op]

    def apply(a: Value, b: Value) -> bool:
        if a is None or b is None:
            return False
        # Python compares str by code point, as the contract requires (JS compares UTF-16 units; the
        # vectors decide if that ever differs).
        if _is_num(a) and _is_num(b):
            return compare(a, b)
        if _is_str(a) and _is_str(b):
            return compare(a, b)
        raise EvalError("type_error", f"{op} of {_type_name(a)} and {_type_name(b)}")

    return apply


def _contains(a: Value, b: Value) -> bool:
    haystack = _check_str(a, "contains")
    needle = _check_str(b, "contains")
    if haystack is None or needle is None:
        return False
    return needle in haystack


_BINARY = {
    "+": _arith("+"),
    "-": _arith("-"),
    "*": _arith("*"),
    "/": _arith("/"),
    "%": _arith("%"),
    "==": _equality(False),
    "!=": _equality(True),
    "<": _ordering("<"),
    "<=": _ordering("<="),
    ">": _ordering(">"),
    ">=": _ordering(">="),
    "contains": _contains,
    "matches": None,
}
_ARITY = {"extract": 2, "length": 1, "number": 1, "lower": 1, "upper": 1, "trim": 1, "count": 2, "string": 1}


def criterion_score(value: Value) -> float:
    """EXPRESSIONS.md: true -> 1, false/null -> 0, number -> itself."""
    if value is None or value is False:
        return 0.0
    if value is True:
        return 1.0
    if _is_num(value):
        return float(value)
    raise EvalError("type_error", f"a criterion must give a bool or a number, got {_type_name(value)}")
