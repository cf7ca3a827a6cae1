"""The group statistics the estimators share, in the exact forms the authors' code uses (float64 here)."""

from __future__ import annotations

import math
from typing import Sequence


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def std(values: Sequence[float], kind: str) -> float:
    """`unbiased` = torch.std's default (Bessel, n - 1), what DrMAS calls; `population` divides by n."""
    mu = mean(values)
    squares = sum((v - mu) ** 2 for v in values)
    divisor = len(values) - 1 if kind == "unbiased" else len(values)
    return math.sqrt(squares / divisor) if divisor > 0 else 0.0


class GrpoPool:
    """One GRPO pool: `credit(x) = (x - baseline(x)) / divisor`.

    * `baseline="group_mean"`: the pool mean. `"rloo"`: the mean of the *other* samples, (sum - x) / (n - 1), as
      MAGRPO's compute_magrpo and its joint-action block (EIT-EAST-Lab/C3). MAGRPO's variance rule is kept in rloo
      mode: the std is still taken around the full pool mean, so rloo credit = n/(n-1) x group-mean credit.
    * divisor: `std + eps` (`epsilon_form="outside"`, DrMAS) or `sqrt(std**2 + eps)` (`"in_sqrt"`, MAGRPO's
      `sqrt(var + 1e-8)`); 1 when `scale_by_std` is off.
    * A one-element pool: `singleton="authors"` uses mean 0 and std 1 (DrMAS; the lone sample keeps score /
      (1 + eps)); `"zero"` gives credit 0 (also MAGRPO's group_mean result). No leave-one-out mean exists there.
    """

    def __init__(
        self,
        values: Sequence[float],
        *,
        epsilon: float,
        std_kind: str,
        scale_by_std: bool,
        singleton: str,
        baseline: str = "group_mean",
        epsilon_form: str = "outside",
    ):
        self.size = len(values)
        self.total = sum(values)
        self.rloo = baseline == "rloo" and self.size > 1
        if self.size == 1:
            self.mean, sd = (0.0, 1.0) if singleton == "authors" else (values[0], 0.0)
        else:
            self.mean, sd = mean(values), std(values, std_kind)
        if not scale_by_std:
            self.divisor = 1.0
        elif epsilon_form == "in_sqrt":
            self.divisor = math.sqrt(sd * sd + epsilon)
        else:
            self.divisor = sd + epsilon

    def credit(self, x: float) -> float:
        base = (self.total - x) / (self.size - 1) if self.rloo else self.mean
        return (x - base) / self.divisor
