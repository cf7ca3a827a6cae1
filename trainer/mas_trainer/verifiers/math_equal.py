"""`math_equal(got, want)`: is the final answer in a model's output the same number as the reference?

The answer is the content of the last `\\boxed{...}` (or `\\fbox{...}`) in `got`, or all of `got` when it has none.
Both sides are normalised (below) and parsed by a small recursive-descent parser of their own into exact sympy
values: nothing is passed to `eval`, `sympify` or `parse_expr`, so no input can run code, and inputs are bounded
(answers over MAX_ANSWER_CHARS characters are not parsed, exponents are capped). Two values are equal when both are
rational and equal exactly, or otherwise when they agree to a relative 1e-9 (so `\\sqrt{2}` equals `1.41421356237`).
When either side does not parse, the normalised texts are compared instead (so `\\text{(B)}` equals `(B)`).

Normalisation: `$...$`, `\\(...\\)`, `\\[...\\]`, `\\left`/`\\right`, `\\displaystyle`, LaTeX spacing (`\\,` `\\!` `\\;`
`\\:` `~`), degree signs and a trailing `%`/`\\%` or `.` are dropped (so `50\\%` equals `50`: percentages are not
divided by 100); `\\text{..}`, `\\mathrm{..}`, `\\textbf{..}`, `\\mathbf{..}`, `\\mbox{..}` are unwrapped; a leading
`x =` is dropped; `1{,}000` and well-formed thousands groups `1,234,567` lose their commas.
Grammar: numbers (`12`, `-3.5`, `.5`, `1e-3`), `+ - * / ^`, `\\cdot`, `\\times`, `\\div`, parentheses and braces,
`\\frac{a}{b}` (also `\\dfrac`, `\\tfrac` and the shorthand `\\frac12`), `\\sqrt{x}`, `\\sqrt[n]{x}`, `\\pi`;
a number followed by `\\sqrt`, `\\pi` or `(` multiplies it (`2\\sqrt{3}`); a mixed number (`1\\frac{1}{2}`) does
not parse. Sizes are bounded before any big number is built: a literal's exponent (`1e999999`) and a power's result
(`(9^{1000})^{1000}`) beyond MAX_BITS bits do not parse.
"""

from __future__ import annotations

import math
import re
from typing import Optional, Union

import sympy

MAX_INPUT_CHARS = 100_000  # `got` is scanned for \boxed up to here (its last part is kept)
MAX_ANSWER_CHARS = 200  # a longer answer is compared as text, never parsed
MAX_EXPONENT = 1000  # |numerator| and denominator of an exponent; 10^10^10 is refused, not computed
MAX_BITS = 20_000  # a rational power or a literal that would need more bits is refused, not computed
RELATIVE_TOLERANCE = 1e-9

_BOXED = re.compile(r"\\(?:boxed|fbox)\s*\{")
_WRAPPERS = re.compile(r"\\(?:text|textbf|textrm|mathrm|mathbf|mbox|operatorname)\s*\{([^{}]*)\}")
_DROP = re.compile(r"\\left|\\right|\\displaystyle|\\[,!;: ]|~|\^\s*\{?\s*\\circ\s*\}?|°")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])")
_LEADING_VARIABLE = re.compile(r"^[A-Za-z]\s*=(?!=)")
_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|(\\[A-Za-z]+)|([-+*/^(){}\[\]]))")


class _ParseError(ValueError):
    pass


def last_boxed(text: str) -> Optional[str]:
    """The content of the last `\\boxed{...}` whose braces balance, or None."""
    for match in reversed(list(_BOXED.finditer(text))):
        depth, start = 1, match.end()
        for i in range(start, len(text)):
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
                if depth == 0:
                    return text[start:i]
    return None


def normalise(answer: str) -> str:
    s = answer.strip()
    for opener, closer in (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")):
        if len(s) >= len(opener) + len(closer) and s.startswith(opener) and s.endswith(closer):
            s = s[len(opener) : len(s) - len(closer)].strip()
            break
    s = _DROP.sub("", s)
    for _ in range(4):  # nested wrappers: \text{\textbf{5}}
        s = _WRAPPERS.sub(r"\1", s)
    s = s.replace("{,}", ",").strip()
    s = re.sub(r"(\\%|%|\.)\s*$", "", s).strip()
    s = _LEADING_VARIABLE.sub("", s).strip()
    return _THOUSANDS.sub(lambda m: m.group().replace(",", ""), s)


def _tokens(s: str) -> list[str]:
    out, pos = [], 0
    s = s.rstrip()
    while pos < len(s):
        match = _TOKEN.match(s, pos)
        if match is None:
            raise _ParseError(f"unexpected {s[pos : pos + 10]!r}")
        out.append(match.group(match.lastindex or 0))
        pos = match.end()
    return out


def _bits(value: sympy.Rational) -> int:
    return int(value.p).bit_length() + int(value.q).bit_length()


class _Parser:
    def __init__(self, tokens: list[str]):
        self.tokens, self.pos = tokens, 0

    def peek(self) -> Optional[str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected: Optional[str] = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise _ParseError(f"expected {expected or 'more'}, found {token!r}")
        self.pos += 1
        return token

    def parse(self) -> sympy.Expr:
        value = self.expr()
        if self.peek() is not None:
            raise _ParseError(f"unexpected {self.peek()!r}")
        return value

    def expr(self) -> sympy.Expr:
        value = self.term()
        while self.peek() in ("+", "-"):
            value = value + self.term() if self.take() == "+" else value - self.term()
        return value

    def term(self) -> sympy.Expr:
        value = self.unary()
        while True:
            token = self.peek()
            if token in ("*", "\\cdot", "\\times"):
                self.take()
                value = value * self.unary()
            elif token in ("/", "\\div"):
                self.take()
                value = value / self.unary()
            elif token in ("\\sqrt", "\\pi", "("):  # implicit product: 2\sqrt{3}, 3\pi, 2(1+1)
                value = value * self.power()
            else:
                return value

    def unary(self) -> sympy.Expr:
        if self.peek() in ("+", "-"):
            return self.unary() if self.take() == "+" else -self.unary()
        return self.power()

    def power(self) -> sympy.Expr:
        base = self.atom()
        if self.peek() != "^":
            return base
        self.take()
        exponent = self.unary() if self.peek() in ("+", "-") else self.atom()
        if not isinstance(exponent, sympy.Rational) or abs(exponent.p) > MAX_EXPONENT or exponent.q > MAX_EXPONENT:
            raise _ParseError("exponent too large or not rational")
        if isinstance(base, sympy.Rational) and _bits(base) * abs(exponent.p) > MAX_BITS * exponent.q:
            raise _ParseError("power too large")
        return sympy.Pow(base, exponent)

    def group(self, opener: str, closer: str) -> sympy.Expr:
        self.take(opener)
        value = self.expr()
        self.take(closer)
        return value

    def argument(self) -> sympy.Expr:
        """A command's argument: `{expr}`, or one digit of a number (`\\frac12` is 1/2)."""
        token = self.peek()
        if token == "{":
            return self.group("{", "}")
        if token is not None and token.isdigit():
            if len(token) > 1:
                self.tokens[self.pos] = token[1:]
            else:
                self.pos += 1
            return sympy.Integer(token[0])
        raise _ParseError("expected a {group} or a digit")

    def atom(self) -> sympy.Expr:
        token = self.take()
        if token in ("(", "{", "["):
            self.pos -= 1
            return self.group(token, {"(": ")", "{": "}", "[": "]"}[token])
        if token in ("\\frac", "\\dfrac", "\\tfrac"):
            return self.argument() / self.argument()
        if token == "\\sqrt":
            index = self.group("[", "]") if self.peek() == "[" else sympy.Integer(2)
            if not index.is_Integer or not 2 <= int(index) <= MAX_EXPONENT:
                raise _ParseError("root index must be a whole number from 2")
            return sympy.root(self.argument(), index)
        if token == "\\pi":
            return sympy.pi
        if token[0].isdigit() or token[0] == ".":
            _, _, exponent = token.lower().partition("e")
            if exponent and abs(int(exponent)) > MAX_EXPONENT:
                raise _ParseError("exponent too large")
            return sympy.Rational(token)
        raise _ParseError(f"unexpected {token!r}")


def parse_value(text: str) -> Optional[sympy.Expr]:
    """The exact value of a normalised answer, or None when it is not a number this grammar reads."""
    if len(text) > MAX_ANSWER_CHARS or not text:
        return None
    try:
        value = _Parser(_tokens(text)).parse()
    except (_ParseError, ZeroDivisionError, ValueError, TypeError):
        return None
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or not value.is_number:
        return None
    return value


def _values_equal(a: sympy.Expr, b: sympy.Expr) -> bool:
    if a.is_Rational and b.is_Rational:
        return a == b
    x, y = complex(a.evalf(30)), complex(b.evalf(30))
    return abs(x - y) <= RELATIVE_TOLERANCE * max(1.0, abs(y))


def _want_text(want: Union[str, int, float]) -> str:
    if isinstance(want, bool):
        raise TypeError("math_equal: want must be a string or a number, not a bool")
    if isinstance(want, (int, float)):
        if not math.isfinite(want):
            raise ValueError("math_equal: want must be a finite number")
        return repr(want) if isinstance(want, float) else str(want)
    return want


def math_equal(got: str, want: Union[str, int, float]) -> bool:
    """True when the last \\boxed{} answer in `got` (or `got` itself) is the number `want` (see the module doc)."""
    text = got[-MAX_INPUT_CHARS:]
    answer = normalise(last_boxed(text) or text)
    reference = normalise(_want_text(want))
    a, b = parse_value(answer), parse_value(reference)
    if a is not None and b is not None:
        return _values_equal(a, b)
    return re.sub(r"\s+", "", answer) == re.sub(r"\s+", "", reference) and answer != ""
