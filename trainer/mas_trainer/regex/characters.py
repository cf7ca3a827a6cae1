"""Characters, escapes and classes of the regex dialect: the part of the parser that reads single characters.

Twin of translateEscape() in analysis/expression/regex-dialect.ts (see parser.py for the whole dialect).
"""

from __future__ import annotations

from . import charset as cs

_HEX = "0123456789abcdefABCDEF"
_PERL = {"d": cs.DIGIT, "w": cs.WORD, "s": cs.SPACE}
_CONTROL = {"n": 0x0A, "r": 0x0D, "t": 0x09, "f": 0x0C, "v": 0x0B}


class RegexSyntaxError(ValueError):
    """The pattern is outside the dialect; the message says why."""


class CharacterParsing:
    """Mixed into the parser: reads from self.src at self.pos; self.fold is the `i` flag."""

    src: str
    pos: int
    fold: bool

    def fail(self, why: str) -> RegexSyntaxError:
        return RegexSyntaxError(f"/{self.src}/: {why}")

    def peek(self, k: int = 0) -> str:
        return self.src[self.pos + k] if self.pos + k < len(self.src) else ""

    def literal(self, code_point: int):
        ranges = ((code_point, code_point),)
        return cs.fold(ranges) if self.fold else ranges

    def escape(self, in_class: bool):
        """Reads the escape after a backslash; returns its ranges (or a code point for range endpoints)."""
        ch = self.peek()
        if ch == "":
            raise self.fail("it ends with a lone backslash")
        self.pos += 1
        if ch.lower() in _PERL:
            positive = _PERL[ch.lower()]
            if self.fold:
                positive = cs.fold(positive)
            return positive if ch.islower() else cs.negate(positive)
        return self.literal(self.escaped_code_point(ch))

    def escaped_code_point(self, ch: str) -> int:
        if ch in _CONTROL:
            return _CONTROL[ch]
        if ch == "0":
            if self.peek().isdigit() and self.peek() in "0123456789":
                raise self.fail("`\\0` may not be followed by a digit")
            return 0
        if ch in ("x", "u"):
            digits = self.src[self.pos : self.pos + (2 if ch == "x" else 4)]
            if len(digits) != (2 if ch == "x" else 4) or any(d not in _HEX for d in digits):
                raise self.fail(f"\\{ch} needs exactly {2 if ch == 'x' else 4} hex digits")
            self.pos += len(digits)
            code_point = int(digits, 16)
            if 0xD800 <= code_point <= 0xDFFF:
                raise self.fail("surrogate escapes are not part of the dialect")
            return code_point
        if ch.isascii() and ch.isalnum():
            raise self.fail(f"\\{ch} is not part of the dialect")
        return ord(ch)

    def class_atom(self):
        """One class member: ("cp", code_point) or ("ranges", ranges) for \\d \\w \\s and their negations."""
        ch = self.peek()
        if ch == "":
            raise self.fail("missing `]`")
        self.pos += 1
        if ch != "\\":
            return ("cp", ord(ch))
        esc = self.peek()
        if esc.lower() in _PERL and esc != "":
            return ("ranges", self.escape(in_class=True))
        if esc in ("b", "B"):
            raise self.fail(f"\\{esc} is not part of the dialect inside a class")
        if esc == "":
            raise self.fail("it ends with a lone backslash")
        self.pos += 1
        return ("cp", self.escaped_code_point(esc))

    def char_class(self):
        negated = self.peek() == "^"
        self.pos += negated
        if self.peek() == "]":
            raise self.fail("an empty character class `[]` is not part of the dialect")
        ranges = []
        while self.peek() != "]":
            first = self.class_atom()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.pos += 1
                last = self.class_atom()
                if first[0] != "cp" or last[0] != "cp":
                    raise self.fail("a class escape cannot bound a range")
                if first[1] > last[1]:
                    raise self.fail("a character class range is out of order")
                ranges.extend(self.literal_range(first[1], last[1]))
            elif first[0] == "cp":
                ranges.extend(self.literal_range(first[1], first[1]))
            else:
                ranges.extend(first[1])
        self.pos += 1
        merged = cs.normalize(ranges)
        return cs.negate(merged) if negated else merged

    def literal_range(self, lo: int, hi: int):
        return cs.fold(((lo, hi),)) if self.fold else ((lo, hi),)
