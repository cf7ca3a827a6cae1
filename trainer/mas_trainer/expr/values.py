"""Value conversions of the expression language: number(), string() and JS number formatting."""

from __future__ import annotations

import math
import re

from .errors import EvalError, Value, is_num, type_name

TRIM_CHARS = " \t\n\r\f\v"
NUMBER_SYNTAX = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$", re.ASCII)


def js_number_to_string(x: float) -> str:
    """Number.prototype.toString for finite doubles."""
    if x == 0:
        return "0"
    if x == int(x) and abs(x) < 2**53:  # exact integers; larger ones use shortest digits + zeros, like JS
        return str(int(x))
    r = repr(float(x))  # shortest round-trip digits
    mantissa, _, exp_text = r.partition("e")
    sign = "-" if mantissa.startswith("-") else ""
    mantissa = mantissa.lstrip("-")
    int_part, _, frac_part = mantissa.partition(".")
    digits = (int_part + frac_part).lstrip("0")
    # decimal exponent n such that value = 0.digits * 10^n
    point = len(int_part) + (int(exp_text) if exp_text else 0)
    if int_part.strip("0") == "":
        lead_zeros = len(frac_part) - len(frac_part.lstrip("0"))
        point = -lead_zeros + (int(exp_text) if exp_text else 0)
    digits = digits.rstrip("0") or "0"
    k, n = len(digits), point
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    exp_str = ("+" if e >= 0 else "-") + str(abs(e))
    if k == 1:
        return sign + digits + "e" + exp_str
    return sign + digits[0] + "." + digits[1:] + "e" + exp_str


def to_number(v: Value) -> Value:
    if v is None:
        return None
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if is_num(v):
        return float(v)
    if isinstance(v, str):
        text = v.strip(TRIM_CHARS)
        if not NUMBER_SYNTAX.match(text):
            return None
        value = float(text)
        return value if math.isfinite(value) else None
    raise EvalError("type_error", f"number() of {type_name(v)}")


def to_string(v: Value) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if is_num(v):
        return js_number_to_string(float(v))
    if isinstance(v, str):
        return v
    raise EvalError("type_error", f"string() of {type_name(v)}")
