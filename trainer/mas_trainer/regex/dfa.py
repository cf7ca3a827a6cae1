"""A lazily built DFA over an RE2-style program: one dict lookup per input character once warm.

A state is the ordered list of the program's threads (highest priority first) plus what the character
before it was (for `^`, `$`, `\\b`). In leftmost-first mode a thread reaching MATCH cuts every thread of
lower priority, as RE2's DFA does, so the last position where a match is seen is where the leftmost-first
match ends. In longest mode (used backwards, to find where that match starts) nothing is cut.
"""

from __future__ import annotations

from itertools import chain

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


class _ClosureTable(dict):
    """pc -> closure() of that one thread in a fixed context, computed on first use (C-speed lookups)."""

    def __init__(self, prog, left: int, right: int):
        super().__init__()
        self.prog, self.left, self.right = prog, left, right

    def __missing__(self, pc: int) -> tuple:
        found = self[pc] = tuple(closure(self.prog, [pc], self.left, self.right))
        return found


class LazyDfa:
    """`reverse` walks right to left (the state then remembers the character to its right)."""

    def __init__(self, prog, start: int, leftmost_first: bool, reverse: bool):
        self.prog, self.start = prog, start
        self.leftmost_first, self.reverse = leftmost_first, reverse
        self.states: dict = {}
        self.cached_threads = 0
        self.seed_closures: dict = {}
        self.rune_sets: dict = {}
        self.match_pc = next(pc for pc, inst in enumerate(prog) if inst[0] == MATCH)
        self.runes = [pc for pc, inst in enumerate(prog) if inst[0] == RUNE]
        self.outs = [inst[1] for inst in prog]

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

    def _closures(self, left: int, right: int) -> "_ClosureTable":
        """closure() of one thread per instruction, for one context: a state's closure is the ordered union of
        its threads' closures (an instruction a thread reaches that an earlier one took was reached with all
        it leads to), so the walk is done once per instruction instead of once per state."""
        table = self.seed_closures.get((left, right))
        if table is None or len(table) >= MAX_STATES:
            table = self.seed_closures[(left, right)] = _ClosureTable(self.prog, left, right)
        return table

    def _matching_runes(self, ch: str) -> frozenset:
        """The RUNE instructions that accept ch, cached per character."""
        found = self.rune_sets.get(ch)
        if found is None:
            if len(self.rune_sets) >= MAX_STATES:
                self.rune_sets.clear()
            code_point = ord(ch)
            found = self.rune_sets[ch] = frozenset(pc for pc in self.runes if contains(self.prog[pc][2], code_point))
        return found

    def step(self, state: _State, ch: str | None):
        """(a match ends/starts at this position, the state after reading ch); cached per character."""
        cached = state.next.get(ch)
        if cached is not None:
            return cached
        kind = kind_of(ch)
        left, right = (kind, state.kind) if self.reverse else (state.kind, kind)
        seeds = state.threads + ((self.start,) if state.searching else ())
        reached = list(dict.fromkeys(chain.from_iterable(map(self._closures(left, right).__getitem__, seeds))))
        matched = self.match_pc in reached
        if matched and self.leftmost_first:
            reached = reached[: reached.index(self.match_pc)]  # threads of lower priority than a match are cut
        following: tuple = ()
        if ch is not None:
            accepting = self._matching_runes(ch)
            following = tuple(dict.fromkeys(map(self.outs.__getitem__, filter(accepting.__contains__, reached))))
        result = (matched, self.state(following, kind, state.searching and not matched))
        state.next[ch] = result
        return result
