"""A linear-time regex engine for the expression language's dialect (protocol/EXPRESSIONS.md).

Hand-written because the package mirror has no RE2 binding and Python's `re` (and the `regex` package)
backtrack: `/(a+)+$/` on 26 characters took ~10 s and 50 kB never returned. This engine gives the answers
of RE2 (re2js is the TypeScript side) in time linear in the input: a forward lazy DFA finds whether and
where the leftmost-first match ends, a reverse DFA where it starts, and a Pike VM over that span alone
gives the groups. Inputs longer than MAX_INPUT_CODE_POINTS are cut to that length first.
"""

from __future__ import annotations

from .characters import RegexSyntaxError
from .count import LiveSets, count_matches
from .dfa import LazyDfa, kind_of
from .nfa import compile_program
from .parser import parse
from .pike import submatches

MAX_INPUT_CODE_POINTS = 100_000  # the TypeScript twin: analysis/expression/regex.ts

__all__ = ["MAX_INPUT_CODE_POINTS", "Regex", "RegexSyntaxError"]


class Regex:
    """A compiled pattern; `groups` counts its capturing groups."""

    def __init__(self, source: str, flags: str):
        tree, self.groups = parse(source, flags)
        self._prog, self._start = compile_program(tree)
        reverse_prog, reverse_start = compile_program(tree, reverse=True)
        self._forward = LazyDfa(self._prog, self._start, leftmost_first=True, reverse=False)
        self._backward = LazyDfa(reverse_prog, reverse_start, leftmost_first=False, reverse=True)
        self._live: LiveSets | None = None  # built on the first count()
        self._pike_cache: dict = {}

    def _match_end(self, text: str, pos: int, first_only: bool) -> int | None:
        """Where the leftmost-first match at or after pos ends (any match end when first_only), or None."""
        dfa, found = self._forward, None
        state = dfa.state((), kind_of(text[pos - 1] if pos > 0 else None), True)
        if state is None:
            raise RuntimeError("regex engine: a searching start state is never dead")
        for i in range(pos, len(text)):
            ch = text[i]
            matched, state = state.next.get(ch) or dfa.step(state, ch)
            if matched:
                found = i
                if first_only:
                    return found
            if state is None:
                return found
        return len(text) if dfa.step(state, None)[0] else found

    def _match_start(self, text: str, pos: int, end: int) -> int:
        """The leftmost position >= pos where a match ending at `end` starts (one exists)."""
        dfa, found = self._backward, end
        state = dfa.state((self._backward.start,), kind_of(text[end] if end < len(text) else None), False)
        if state is None:
            raise RuntimeError("regex engine: a start state with a thread is never dead")
        for i in range(end - 1, pos - 1, -1):
            ch = text[i]
            matched, state = state.next.get(ch) or dfa.step(state, ch)
            if matched:
                found = i + 1
            if state is None:
                return found
        return pos if dfa.step(state, text[pos - 1] if pos > 0 else None)[0] else found

    def find(self, text: str, pos: int = 0) -> tuple[int, int] | None:
        """The span of the leftmost-first match at or after pos."""
        end = self._match_end(text, pos, first_only=False)
        return None if end is None else (self._match_start(text, pos, end), end)

    def search(self, text: str) -> bool:
        return self._match_end(cap_input(text), 0, first_only=True) is not None

    def extract(self, text: str) -> str | None:
        """Group 1 of the first match when the pattern has groups and it took part, else the whole match."""
        text = cap_input(text)
        span = self.find(text)
        if span is None:
            return None
        if self.groups:
            caps = submatches(self._prog, self._start, 2 * (self.groups + 1), text, *span, self._pike_cache)
            if caps[2] >= 0 and caps[3] >= 0:
                return text[caps[2] : caps[3]]
        return text[span[0] : span[1]]

    def count(self, text: str) -> int:
        """Non-overlapping matches; after an empty match the scan moves on one code point (JS matchAll)."""
        text = cap_input(text)
        if self._match_end(text, 0, first_only=True) is None:
            return 0  # one forward scan settles the common case of no match at all
        if self._live is None:
            self._live = LiveSets(self._prog)
        return count_matches(self._prog, self._start, text, self._live, self._forward)


def cap_input(text: str) -> str:
    return text[:MAX_INPUT_CODE_POINTS]
