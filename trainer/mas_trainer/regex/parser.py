"""Parser of the expression language's regex dialect (protocol/EXPRESSIONS.md) into a small tree.

Twin of analysis/expression/regex-dialect.ts + re2js's parser: a pattern is accepted exactly when it is valid
JavaScript (`u` flag), valid RE2 and free of lookaround, named groups, inline flags and back-references.
Nodes are tuples: ("set", ranges), ("assert", kind), ("cat", [nodes]), ("alt", [nodes]), ("cap", index, node),
("star" | "plus" | "quest", node, greedy), ("repeat", node, min, max, greedy) with max -1 for unbounded, ("empty",).
"""

from __future__ import annotations

from . import charset as cs
from .characters import CharacterParsing

MAX_REPEAT = 1000  # RE2's limit on a counted repetition, also on the product of nested ones
MAX_NESTING = 100  # the dialect's limit on nested parentheses (RE2 has its own, counted differently)


class _Parser(CharacterParsing):
    def __init__(self, source: str, flags: str):
        self.src, self.pos, self.groups, self.depth = source, 0, 0, 0
        self.fold, self.multiline, self.dotall = "i" in flags, "m" in flags, "s" in flags

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

    def quantifier(self, atom):
        ch = self.peek()
        if ch in ("*", "+", "?"):
            self.pos += 1
            greedy = not self.lazy()
            return ({"*": "star", "+": "plus", "?": "quest"}[ch], atom, greedy)
        if ch != "{":
            return atom
        end = self.src.find("}", self.pos)
        body = self.src[self.pos + 1 : end] if end > 0 else ""
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
    children = (
        node[1]
        if node[0] in ("cat", "alt")
        else [node[2]]
        if node[0] == "cap"
        else [node[1]]
        if node[0] in ("star", "plus", "quest", "repeat")
        else []
    )
    return all(_repeat_is_valid(child, budget) for child in children)


def parse(source: str, flags: str):
    """Returns (tree, number of capturing groups); raises RegexSyntaxError outside the dialect."""
    parser = _Parser(source, flags)
    return parser.parse(), parser.groups
