"""Submatches by a Pike VM (RE2's NFA simulation), run only over a span the DFAs already found.

Threads are kept in priority order and each instruction is taken by its first thread at a position, so
the captures are those of the leftmost-first match, the same as RE2 reports. Time is linear in the span.
"""
from __future__ import annotations

from .charset import contains
from .dfa import condition_holds, kind_of
from .nfa import ALT, CAP, EMPTY, MATCH, NOP, RUNE


def _closure(prog, seeds, left: int, right: int, visited: set) -> list:
    """(pc, captures) of the RUNE/MATCH threads reached from the seeds, highest priority first."""
    out = []
    for seed_pc, seed_caps in seeds:
        caps = list(seed_caps)
        stack: list = [seed_pc]
        while stack:
            item = stack.pop()
            if isinstance(item, tuple):  # undo a capture on the way back, as a recursive walk would
                caps[item[0]] = item[1]
                continue
            if item in visited:
                continue
            visited.add(item)
            op, nxt, arg = prog[item]
            if op == ALT:
                stack.append(arg)
                stack.append(nxt)
            elif op == CAP:
                stack.append((arg, caps[arg]))
                caps[arg] = -2  # filled with the position by the caller
                stack.append(nxt)
            elif op == NOP or (op == EMPTY and condition_holds(arg, left, right)):
                stack.append(nxt)
            elif op in (RUNE, MATCH):
                out.append((item, tuple(caps)))
    return out


def submatches(prog, start_pc: int, slots: int, text: str, start: int, end: int) -> list[int]:
    """Capture positions (-1 when a group did not take part) of the match known to span text[start:end]."""
    seeds = [(start_pc, (-1,) * slots)]
    for pos in range(start, end + 1):
        left = kind_of(text[pos - 1] if pos > 0 else None)
        right = kind_of(text[pos] if pos < len(text) else None)
        threads = [(pc, tuple(pos if c == -2 else c for c in caps))
                   for pc, caps in _closure(prog, seeds, left, right, set())]
        if pos == end:
            for pc, caps in threads:
                if prog[pc][0] == MATCH:
                    return list(caps)
            break
        code_point, seeds = ord(text[pos]), []
        for pc, caps in threads:
            op, nxt, ranges = prog[pc]
            if op == MATCH:
                break  # leftmost-first: threads below a match cannot win
            if contains(ranges, code_point):
                seeds.append((nxt, caps))
    raise AssertionError("the span given to submatches() is not a match")
