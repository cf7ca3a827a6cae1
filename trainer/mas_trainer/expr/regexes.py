"""Regexes of the expression language (protocol/EXPRESSIONS.md) on the linear-time engine in .regex."""

from __future__ import annotations

from ..regex import Regex, RegexSyntaxError
from .errors import EvalError, Value


def compile_regex(source: object, flags: object) -> Regex:
    """source and flags come straight from the expression tree: both are checked here."""
    if (
        not isinstance(source, str)
        or not isinstance(flags, str)
        or any(f not in "ims" for f in flags)
        or len(set(flags)) != len(flags)
    ):
        raise EvalError("bad_regex", f"flags {flags!r}: each of i, m, s at most once")
    try:
        return Regex(source, flags)
    except RegexSyntaxError as err:
        raise EvalError("bad_regex", str(err)) from None


def count_matches(s: str, pattern: Regex) -> int:
    """Non-overlapping matches; after an empty match the scan advances one code point (like JS matchAll)."""
    return pattern.count(s)


def extract_match(s: str | None, pattern: Regex) -> Value:
    return None if s is None else pattern.extract(s)
