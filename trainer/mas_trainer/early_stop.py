"""`train { stop_when: success >= 0.99 for 10 steps }`: counts the consecutive steps whose metrics record meets the
condition; the trainer ends the run once the count reaches `steps` (TS twin of the condition: StopWhenSpec)."""

from __future__ import annotations

import math
import operator
from typing import Iterable, Optional

from .spec import StopWhenSpec

_COMPARE = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}


def describe(cond: StopWhenSpec) -> str:
    """The condition as written in the .mas file: `success >= 0.99 for 10 steps`."""
    unit = "step" if cond.steps == 1 else "steps"
    return f"{cond.metric} {cond.op} {cond.threshold:g} for {cond.steps} {unit}"


def metric_value(record: dict, metric: str) -> Optional[float]:
    """The metric in one step's metrics record; None when absent or not finite (a diverged statistic is null)."""
    value = record.get(metric) if metric in ("success", "reward_mean") else (record.get("criteria") or {}).get(metric)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


class EarlyStop:
    """Whether the condition has held for its number of consecutive steps. A step where the metric is missing or
    not finite breaks the streak."""

    def __init__(self, cond: Optional[StopWhenSpec]) -> None:
        self.cond = cond
        self.streak = 0

    def observe(self, record: dict) -> bool:
        """Counts one step's record; True when the run should end after it."""
        if self.cond is None:
            return False
        value = metric_value(record, self.cond.metric)
        held = value is not None and _COMPARE[self.cond.op](value, self.cond.threshold)
        self.streak = self.streak + 1 if held else 0
        return self.streak >= self.cond.steps

    def replay(self, records: Iterable[dict]) -> None:
        """On resume: the streak of the steps kept in metrics.jsonl, so a resume neither forgets nor repeats them."""
        self.streak = 0
        for record in sorted(records, key=lambda r: r.get("step", 0)):
            self.observe(record)
