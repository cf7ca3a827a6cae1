"""Character sets of the regex dialect as sorted, merged tuples of inclusive code point ranges.

Case folding follows RE2's simple case folding (what `re2js`, the TypeScript engine, does under the `i` flag):
a character matches every member of its fold orbit (k, K and the Kelvin sign K). The orbits come from
Python's one-character `lower()`/`upper()` mappings, computed once per process on first use.
"""

from __future__ import annotations

import bisect
import functools

MAX_CODE_POINT = 0x10FFFF
Ranges = tuple  # tuple[tuple[int, int], ...]

DIGIT: Ranges = ((0x30, 0x39),)
WORD: Ranges = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
SPACE: Ranges = ((0x09, 0x0D), (0x20, 0x20))  # \t \n \v \f \r and space: the dialect's ASCII \s
ANY: Ranges = ((0, MAX_CODE_POINT),)
NOT_NEWLINE: Ranges = ((0, 0x09), (0x0B, MAX_CODE_POINT))


def normalize(ranges) -> Ranges:
    """Sorts and merges overlapping or adjacent ranges."""
    merged: list[list[int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return tuple((lo, hi) for lo, hi in merged)


def negate(ranges: Ranges) -> Ranges:
    out, next_lo = [], 0
    for lo, hi in ranges:
        if lo > next_lo:
            out.append((next_lo, lo - 1))
        next_lo = hi + 1
    if next_lo <= MAX_CODE_POINT:
        out.append((next_lo, MAX_CODE_POINT))
    return tuple(out)


def contains(ranges: Ranges, code_point: int) -> bool:
    i = bisect.bisect_right(ranges, (code_point, MAX_CODE_POINT + 1)) - 1
    return i >= 0 and ranges[i][0] <= code_point <= ranges[i][1]


@functools.lru_cache(maxsize=1)
def _fold_orbits() -> tuple[tuple[int, ...], dict[int, tuple[int, ...]]]:
    """Every cased code point (sorted) and its orbit: the characters linked by one-character case mappings."""
    links: dict[int, set[int]] = {}
    for cp in range(0x20000):  # every cased character of Unicode lies below U+20000
        ch = chr(cp)
        for other in (ch.lower(), ch.upper()):
            if len(other) == 1 and other != ch:
                links.setdefault(cp, set()).add(ord(other))
                links.setdefault(ord(other), set()).add(cp)
    orbits: dict[int, tuple[int, ...]] = {}
    for cp in links:
        if cp in orbits:
            continue
        seen, todo = {cp}, [cp]
        while todo:
            for nxt in links[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        orbit = tuple(sorted(seen))
        for member in orbit:
            orbits[member] = orbit
    return tuple(sorted(orbits)), orbits


def fold(ranges: Ranges) -> Ranges:
    """Adds the case-fold orbit of every character in the ranges."""
    cased, orbits = _fold_orbits()
    extra = []
    for lo, hi in ranges:
        for i in range(bisect.bisect_left(cased, lo), bisect.bisect_right(cased, hi)):
            extra.extend((member, member) for member in orbits[cased[i]])
    return normalize(list(ranges) + extra) if extra else ranges
