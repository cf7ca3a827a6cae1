"""Parser of the expression language's regex dialect (protocol/EXPRESSIONS.md) into a small tree.

Twin of analysis/expression/regex-dialect.ts + re2js's parser: a pattern is accepted exactly when it is valid
JavaScript (`u` flag), valid RE2 and free of lookaround, named groups, inline flags and back-references.
Nodes are tuples: ("set", ranges), ("assert", kind), ("cat", [nodes]), ("alt", [nodes]), ("cap", index, node),
("star" | "plus" | "quest", node, greedy), ("repeat", node, min, max, greedy) with max -1 for unbounded, ("empty",).
"""
from __future__ import annotations

from . import charset as cs

MAX_REPEAT = 1000  # RE2's limit on a counted repetition, also on the product of nested ones
MAX_NESTING = 100  # the dialect's limit on nested parentheses (RE2 has its own, counted differently)
_HEX = "0123456789abcdefABCDEF"
_PERL = {"d": cs.DIGIT, "w": cs.WORD, "s": cs.SPACE}
_CONTROL = {"n": 0x0A, "r": 0x0D, "t": 0x09, "f": 0x0C, "v": 0x0B}


class RegexSyntaxError(ValueError):
    """The pattern is outside the dialect; the message says why."""


class _Parser:
    def __init__(self, source: str, flags: str):
        self.src, self.pos, self.groups, self.depth = source, 0, 0, 0
        self.fold, self.multiline, self.dotall = "i" in flags, "m" in flags, "s" in flags

    def fail(self, why: str) -> RegexSyntaxError:
        return RegexSyntaxError(f"/{self.src}/: {why}")

    def peek(self, k: int = 0) -> str:
        return self.src[self.pos + k] if self.pos + k < len(self.src) else ""

    def parse(self):
        node = self.alternation()
        if self.pos < len(self.src):
            raise self.fail("unmatched `)`")
        return node

    def alternation(self):
        branches = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.sequence())
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def sequence(self):
        items = []
        while self.peek() not in ("", "|", ")"):
            atom, quantifiable = self.atom()
            items.append(self.quantifier(atom) if quantifiable else atom)
            if self.peek() in ("*", "+", "?", "{"):
                raise self.fail("nothing to repeat (a quantifier must follow a character, class or group)")
        return ("empty",) if not items else items[0] if len(items) == 1 else ("cat", items)

    def atom(self):
        ch = self.peek()
        self.pos += 1
        if ch == "(":
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise self.fail(f"parentheses nest more than {MAX_NESTING} deep")
            if self.peek() == "?":
                if self.peek(1) != ":":
                    raise self.fail("lookahead, lookbehind, named groups and inline flags are not part of the dialect")
                self.pos += 2
                inner, index = self.alternation(), None
            else:
                self.groups += 1
                index = self.groups
                inner = self.alternation()
            if self.peek() != ")":
                raise self.fail("missing `)`")
            self.pos += 1
            self.depth -= 1
            return (inner if index is None else ("cap", index, inner)), True
        if ch == "[":
            return ("set", self.char_class()), True
        if ch == ".":
            return ("set", cs.ANY if self.dotall else cs.NOT_NEWLINE), True
        if ch == "^":
            return ("assert", "bol" if self.multiline else "bot"), False
        if ch == "$":
            return ("assert", "eol" if self.multiline else "eot"), False
        if ch in "*+?{}]":
            raise self.fail(f"`{ch}` must be escaped here")
        if ch == "\\" and self.peek() in ("b", "B"):
            self.pos += 1
            return ("assert", "word" if self.src[self.pos - 1] == "b" else "not_word"), False
        ranges = self.escape(in_class=False) if ch == "\\" else self.literal(ord(ch))
        return ("set", ranges), True

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
            digits = self.src[self.pos:self.pos + (2 if ch == "x" else 4)]
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

    def quantifier(self, atom):
        ch = self.peek()
        if ch in ("*", "+", "?"):
            self.pos += 1
            greedy = not self.lazy()
            return ({"*": "star", "+": "plus", "?": "quest"}[ch], atom, greedy)
        if ch != "{":
            return atom
        end = self.src.find("}", self.pos)
        body = self.src[self.pos + 1:end] if end > 0 else ""
        low, comma, high = body.partition(",")
        if not low.isdigit() or not low.isascii() or (high and not (high.isdigit() and high.isascii())):
            raise self.fail("`{` must start a quantifier such as {2}, {2,} or {2,5}")
        if any(len(n) > 1 and n[0] == "0" for n in (low, high)):
            raise self.fail("repetition counts may not have leading zeros")
        self.pos = end + 1
        lo, hi = int(low), (int(high) if high else (-1 if comma else int(low)))
        if lo > MAX_REPEAT or hi > MAX_REPEAT or (hi >= 0 and lo > hi):
            raise self.fail(f"repetition counts must be in order and at most {MAX_REPEAT}")
        node = ("repeat", atom, lo, hi, not self.lazy())
        if (lo >= 2 or hi >= 2) and not _repeat_is_valid(node, MAX_REPEAT):
            raise self.fail(f"nested repetitions may repeat at most {MAX_REPEAT} times in all")
        return node

    def lazy(self) -> bool:
        if self.peek() == "?":
            self.pos += 1
            return True
        return False


def _repeat_is_valid(node, budget: int) -> bool:
    """RE2's rule: the product of nested counted repetitions stays within the budget."""
    if node[0] == "repeat":
        most = node[3] if node[3] >= 0 else node[2]
        if node[3] == 0:
            return True
        if most > budget:
            return False
        if most > 0:
            budget //= most
    children = node[1] if node[0] in ("cat", "alt") else [node[2]] if node[0] == "cap" else \
        [node[1]] if node[0] in ("star", "plus", "quest", "repeat") else []
    return all(_repeat_is_valid(child, budget) for child in children)


def parse(source: str, flags: str):
    """Returns (tree, number of capturing groups); raises RegexSyntaxError outside the dialect."""
    parser = _Parser(source, flags)
    return parser.parse(), parser.groups
