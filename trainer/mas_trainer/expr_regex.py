"""Regexes of the expression language: the shared JS/Python dialect (protocol/EXPRESSIONS.md)."""
from __future__ import annotations

import re

from .expr_errors import EvalError, Value


def _js_regex_to_python(source: str) -> str:
    """Rewrite unescaped `$` outside a character class to `\\Z` (JS `$` without `m` = end of input only)."""
    out, i, in_class = [], 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\" and i + 1 < len(source):
            out.append(source[i:i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
        elif ch == "$":
            out.append(r"\Z")
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _check_dialect(source: str) -> None:
    """Rejects constructs outside the shared dialect: named groups, lookbehind, \\p{..}, \\u{..}, (?P..)."""
    i, in_class = 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\" and i + 1 < len(source):
            nxt = source[i + 1]
            if nxt in "pPk" or (nxt == "u" and source[i + 2:i + 3] == "{"):
                raise EvalError("bad_regex", f"/{source}/ uses \\{nxt}, outside the shared regex dialect")
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            if source[i + 1:i + 2] == "]":  # JS: an empty class (matches nothing); Python: a literal `]`
                raise EvalError("bad_regex", f"/{source}/ has an empty character class []")
            in_class = True
        elif ch == "(" and source[i + 1:i + 3] in ("?<", "?P"):
            raise EvalError("bad_regex", f"/{source}/ uses a named group or lookbehind, outside the dialect")
        i += 1


def compile_regex(source: str, flags: str) -> re.Pattern:
    if (not isinstance(source, str) or not isinstance(flags, str) or any(f not in "ims" for f in flags)
            or len(set(flags)) != len(flags)):
        raise EvalError("bad_regex", f"flags {flags!r}: each of i, m, s at most once")
    _check_dialect(source)
    py_flags = re.ASCII
    if "i" in flags:
        py_flags |= re.IGNORECASE
    if "s" in flags:
        py_flags |= re.DOTALL
    pattern = source
    if "m" in flags:
        py_flags |= re.MULTILINE
    else:
        pattern = _js_regex_to_python(source)
    try:
        return re.compile(pattern, py_flags)
    except (re.error, OverflowError) as err:
        raise EvalError("bad_regex", f"/{source}/: {err}") from None


def count_matches(s: str, pattern: re.Pattern) -> int:
    """Non-overlapping matches; after an empty match the scan advances one code point (like JS matchAll)."""
    n, pos = 0, 0
    while pos <= len(s):
        m = pattern.search(s, pos)
        if m is None:
            break
        n += 1
        pos = m.end() + 1 if m.end() == m.start() else m.end()
    return n


def extract_match(s: Value, pattern: re.Pattern) -> Value:
    if s is None:
        return None
    m = pattern.search(s)
    if m is None:
        return None
    if pattern.groups >= 1 and m.group(1) is not None:
        return m.group(1)
    return m.group(0)
