"""A lazily built DFA over an RE2-style program: one dict lookup per input character once warm.

A state is the ordered list of the program's threads (highest priority first) plus what the character
before it was (for `^`, `$`, `\\b`). In leftmost-first mode a thread reaching MATCH cuts every thread of
lower priority, as RE2's DFA does, so the last position where a match is seen is where the leftmost-first
match ends. In longest mode (used backwards, to find where that match starts) nothing is cut.
"""
from __future__ import annotations

from .charset import contains
from .nfa import ALT, CAP, EMPTY, MATCH, NOP, RUNE

EDGE, NEWLINE, WORD, OTHER = range(4)  # what lies beside a position: the text's edge, or a character's kind
MAX_STATES = 10_000  # beyond this the cache starts again (memory stays bounded; time stays linear)
MAX_CACHED_THREADS = 1_000_000  # the same for the threads all cached states hold (large programs)
_WORD_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")


def kind_of(ch: str | None) -> int:
    if ch is None:
        return EDGE
    return NEWLINE if ch == "\n" else WORD if ch in _WORD_CHARS else OTHER


def condition_holds(cond: str, left: int, right: int) -> bool:
    if cond == "bot":
        return left == EDGE
    if cond == "bol":
        return left in (EDGE, NEWLINE)
    if cond == "eot":
        return right == EDGE
    if cond == "eol":
        return right in (EDGE, NEWLINE)
    boundary = (left == WORD) != (right == WORD)
    return boundary if cond == "word" else not boundary


def closure(prog, seeds, left: int, right: int) -> list:
    """The RUNE instructions and MATCH reached from the seeds, in priority order, each instruction once."""
    visited, out, stack = set(), [], list(reversed(seeds))
    while stack:
        pc = stack.pop()
        if pc in visited:
            continue
        visited.add(pc)
        op, nxt, arg = prog[pc]
        if op == ALT:
            stack.append(arg)
            stack.append(nxt)
        elif op in (NOP, CAP) or (op == EMPTY and condition_holds(arg, left, right)):
            stack.append(nxt)
        elif op in (RUNE, MATCH):
            out.append(pc)
    return out


class _State:
    __slots__ = ("threads", "kind", "searching", "next")

    def __init__(self, threads: tuple, kind: int, searching: bool):
        self.threads, self.kind, self.searching = threads, kind, searching
        self.next: dict = {}


class LazyDfa:
    """`reverse` walks right to left (the state then remembers the character to its right)."""

    def __init__(self, prog, start: int, leftmost_first: bool, reverse: bool):
        self.prog, self.start = prog, start
        self.leftmost_first, self.reverse = leftmost_first, reverse
        self.states: dict = {}
        self.cached_threads = 0

    def state(self, threads: tuple, kind: int, searching: bool) -> _State | None:
        if not threads and not searching:
            return None
        key = (threads, kind, searching)
        found = self.states.get(key)
        if found is None:
            if len(self.states) >= MAX_STATES or self.cached_threads >= MAX_CACHED_THREADS:
                for old in self.states.values():
                    old.next.clear()
                self.states, self.cached_threads = {}, 0
            found = self.states[key] = _State(threads, kind, searching)
            self.cached_threads += len(threads)
        return found

    def step(self, state: _State, ch: str | None):
        """(a match ends/starts at this position, the state after reading ch); cached per character."""
        cached = state.next.get(ch)
        if cached is not None:
            return cached
        kind = kind_of(ch)
        left, right = (kind, state.kind) if self.reverse else (state.kind, kind)
        seeds = list(state.threads) + ([self.start] if state.searching else [])
        reached = closure(self.prog, seeds, left, right)
        matched = False
        following: dict[int, None] = {}  # ordered and without repeats
        code_point = -1 if ch is None else ord(ch)
        for pc in reached:
            op, nxt, ranges = self.prog[pc]
            if op == MATCH:
                matched = True
                if self.leftmost_first:
                    break  # threads of lower priority than a match are cut
            elif code_point >= 0 and contains(ranges, code_point):
                following[nxt] = None
        result = (matched, self.state(tuple(following), kind, state.searching and not matched))
        state.next[ch] = result
        return result
