"""The score in a judge's answer (issue 16 item 3). The answer is model output: hostile, possibly huge.

Rule (documented in trainer/README.md, "Judge criteria"):
1. A thinking model's reasoning is skipped: when the answer holds `</think>`, only the text after its last one counts.
2. Only the first MAX_SCANNED characters of what is left are read (a megabyte of text costs no more than 2 kB).
3. The score is the first number in that text that lies inside the scale [lo, hi]: numbers are written with ASCII
   digits, an optional `-` sign right before them and an optional decimal part (`7`, `7.5`, `-3`); a number outside
   the scale is passed over (`15, no: 8` on 1..10 gives 8; `10/10` gives 10; `Score: 7` gives 7).
4. No number in range: None (the criterion scores null, counted as a judge error).
The score is normalised to 0..1 as (x - lo) / (hi - lo).
"""

from __future__ import annotations

import re
from typing import Optional

MAX_SCANNED = 2000  # characters of the answer the parser reads
THINK_END = "</think>"
# A digit run is bounded (a 10 000-digit number is not read as a float); the lookbehind keeps `a7` or `1.5.2` parts
# from being read as separate numbers only where a digit or dot precedes.
_NUMBER = re.compile(r"(?<![0-9.])(-?)([0-9]{1,15})(?:\.([0-9]{1,15}))?(?![0-9])")


def parse_score(answer: str, lo: float, hi: float) -> Optional[float]:
    """The first number in [lo, hi] of the answer (rules above), or None."""
    if not isinstance(answer, str):
        return None
    end = answer.rfind(THINK_END)
    text = answer[end + len(THINK_END) :] if end >= 0 else answer
    for m in _NUMBER.finditer(text[:MAX_SCANNED]):
        sign, whole, frac = m.groups()
        value = float(f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}")
        if lo <= value <= hi:
            return value
    return None


def normalise(value: float, lo: float, hi: float) -> float:
    """A score of the scale [lo, hi] as 0..1."""
    return (value - lo) / (hi - lo)
