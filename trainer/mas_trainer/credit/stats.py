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


def standardise_pool(
    values: Sequence[float], *, epsilon: float, std_kind: str, scale_by_std: bool, singleton: str
) -> tuple[float, float]:
    """(mean, divisor) for one GRPO pool, as DrMAS's compute_grpo_outcome_advantage builds them
    (verl/trainer/ppo/core_algos.py): a one-element pool gets mean 0 and std 1 there (`singleton="authors"`, so the
    lone sample keeps its raw score / (1 + eps)); `singleton="zero"` uses the sample itself as mean (credit 0)."""
    if len(values) == 1:
        mu, sd = (0.0, 1.0) if singleton == "authors" else (values[0], 0.0)
    else:
        mu, sd = mean(values), std(values, std_kind)
    return mu, (sd + epsilon) if scale_by_std else 1.0
