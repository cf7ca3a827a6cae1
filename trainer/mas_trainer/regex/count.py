"""`count` in linear time: non-overlapping leftmost-first matches without rescanning.

Searching again after each match (as RE2's FindAll and re2js do) is quadratic when a thread of higher
priority runs far without matching: `count("1" * n, /\\d+\\.|\\d/)` scans to the end of the input for each
of its n matches. Here one right-to-left pass first computes, for every position, which instructions can
still complete a match from there (`live`); the left-to-right scans then drop threads that cannot, so
each scan stops where its match ends and the whole count reads the input a bounded number of times.
Dropping a dead thread changes no answer: it never matches, and it can only keep other threads out of an
instruction that is dead at that position too.
"""

from __future__ import annotations

from .charset import contains
from .dfa import EDGE, LazyDfa, condition_holds, kind_of
from .nfa import ALT, CAP, EMPTY, MATCH, NOP, RUNE

MAX_CACHED = 10_000


class LiveSets:
    """live[q]: the instructions from which a match can still be completed reading text[q:] (context-aware)."""

    def __init__(self, prog):
        self.prog = prog
        self.match_pc = next(pc for pc, inst in enumerate(prog) if inst[0] == MATCH)
        self.runes = [pc for pc, inst in enumerate(prog) if inst[0] == RUNE]
        self.preds: list[list] = [[] for _ in prog]  # the ε-edges, reversed
        for pc, (op, nxt, arg) in enumerate(prog):
            if op == ALT:
                self.preds[nxt].append((pc, None))
                self.preds[arg].append((pc, None))
            elif op in (NOP, CAP):
                self.preds[nxt].append((pc, None))
            elif op == EMPTY:
                self.preds[nxt].append((pc, arg))
        self.cache: dict = {}
        self.interned: dict = {}  # equal sets share one object, so that the cache keyed by identity hits

    def _backwards(self, targets, left: int, right: int) -> int:
        """The instructions that reach a target through ε-edges allowed here, as a bit set (bit pc)."""
        seen, todo = set(targets), list(targets)
        while todo:
            for pc, cond in self.preds[todo.pop()]:
                if pc not in seen and (cond is None or condition_holds(cond, left, right)):
                    seen.add(pc)
                    todo.append(pc)
        return sum(1 << pc for pc in seen)

    def compute(self, text: str) -> list[int]:
        """live[q] as a bit set (an int: bit pc), so that n positions of a large program stay small in memory."""
        n = len(text)
        live: list = [None] * (n + 1)
        live[n] = self._backwards([self.match_pc], kind_of(text[n - 1] if n else None), EDGE)
        cache, kinds = self.cache, {}
        for q in range(n - 1, -1, -1):
            ch, after = text[q], live[q + 1]
            before = text[q - 1] if q else None
            left = kinds.get(before)
            if left is None:
                left = kinds[before] = kind_of(before)
            key = (id(after), ch, left)
            found = cache.get(key)
            if found is None or found[0] is not after:
                found = self._compute_one(key, after, ch, left)
            live[q] = found[1]
        return live

    def _compute_one(self, key, after: int, ch: str, left: int):
        if len(self.cache) >= MAX_CACHED:
            self.cache.clear()
            self.interned.clear()
        code_point = ord(ch)
        targets = [self.match_pc] + [
            pc for pc in self.runes if after >> self.prog[pc][1] & 1 and contains(self.prog[pc][2], code_point)
        ]
        fresh = self._backwards(targets, left, kind_of(ch))
        found = self.cache[key] = (after, self.interned.setdefault(fresh, fresh))
        return found


def count_matches(prog, start_pc: int, text: str, live_sets: LiveSets, dfa: LazyDfa) -> int:
    """Non-overlapping leftmost-first matches; after an empty match the scan moves on one code point."""
    live = live_sets.compute(text)
    n, count, pos = len(text), 0, 0
    while pos <= n:
        start = pos
        while start <= n and not live[start] >> start_pc & 1:
            start += 1
        if start > n:
            break
        end, q = start, start
        state = dfa.state((start_pc,), kind_of(text[q - 1] if q else None), False)
        while state is not None:
            alive = live[q]
            threads = tuple(pc for pc in state.threads if alive >> pc & 1)
            if threads != state.threads:
                state = dfa.state(threads, state.kind, False)
                if state is None:
                    break
            matched, state = dfa.step(state, text[q] if q < n else None)
            if matched:
                end = q
            if q == n:
                break
            q += 1
        count += 1
        pos = end + 1 if end == start else end
    return count
