"""Submatches by a Pike VM (RE2's NFA simulation), run only over a span the DFAs already found.

Threads are kept in priority order and each instruction is taken by its first thread at a position, so
the captures are those of the leftmost-first match, the same as RE2 reports. Time is linear in the span.
Like the DFA, the walk between two positions is cached: for the same thread instructions, neighbours and
character it is the same, only the capture positions differ, so a step replays "thread i moves on and
sets these slots" instead of walking the program again.
"""

from __future__ import annotations

from .charset import contains
from .dfa import condition_holds, kind_of
from .nfa import ALT, CAP, EMPTY, MATCH, NOP, RUNE

MAX_CACHED = 10_000


def _closure(prog, seeds: tuple, left: int, right: int) -> list:
    """(pc, seed index, slots set here) of the RUNE/MATCH threads reached, highest priority first."""
    visited, out = set(), []
    for index, seed_pc in enumerate(seeds):
        stack: list = [(seed_pc, ())]
        while stack:
            pc, slots = stack.pop()
            if pc in visited:
                continue
            visited.add(pc)
            op, nxt, arg = prog[pc]
            if op == ALT:
                stack.append((arg, slots))
                stack.append((nxt, slots))
            elif op == CAP:
                stack.append((nxt, slots + (arg,)))
            elif op == NOP or (op == EMPTY and condition_holds(arg, left, right)):
                stack.append((nxt, slots))
            elif op == MATCH:
                out.append((pc, index, slots))
                return out  # leftmost-first: threads below a match cannot win
            elif op == RUNE:
                out.append((pc, index, slots))
    return out


def _transition(prog, cache: dict, seeds: tuple, left: int, ch: str | None):
    """(the first match as (seed index, slots) or None, next seeds, [(seed index, slots)] per next seed)."""
    key = (seeds, left, ch)
    found = cache.get(key)
    if found is None:
        if len(cache) >= MAX_CACHED or len(seeds) * len(cache) >= MAX_CACHED * 100:
            cache.clear()  # bounded by entries, and by their size for large programs
        reached = _closure(prog, seeds, left, kind_of(ch))
        match = next(((index, slots) for pc, index, slots in reached if prog[pc][0] == MATCH), None)
        following: dict = {}
        if ch is not None:
            code_point = ord(ch)
            for pc, index, slots in reached:
                op, nxt, ranges = prog[pc]
                if op != MATCH and nxt not in following and contains(ranges, code_point):
                    following[nxt] = (index, slots)
        found = cache[key] = (match, tuple(following), tuple(following.values()))
    return found


def _apply(caps: tuple, slots: tuple, pos: int) -> tuple:
    if not slots:
        return caps
    updated = list(caps)
    for slot in slots:
        updated[slot] = pos
    return tuple(updated)


def submatches(prog, start_pc: int, slots: int, text: str, start: int, end: int, cache: dict) -> list[int]:
    """Capture positions (-1 when a group did not take part) of the match known to span text[start:end]."""
    seeds, caps = (start_pc,), [(-1,) * slots]
    left = kind_of(text[start - 1] if start > 0 else None)
    for pos in range(start, end):
        ch = text[pos]
        _, seeds, moves = _transition(prog, cache, seeds, left, ch)
        caps = [_apply(caps[index], moved, pos) for index, moved in moves]
        left = kind_of(ch)
    match, _, _ = _transition(prog, cache, seeds, left, text[end] if end < len(text) else None)
    if match is None:
        raise AssertionError("the span given to submatches() is not a match")
    return list(_apply(caps[match[0]], match[1], end))
