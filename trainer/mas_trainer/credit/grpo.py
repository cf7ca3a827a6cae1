"""The switches shared by the two GRPO-family estimators (`outcome`, `agent_normalized`).

Defaults reproduce DrMAS's compute_grpo_outcome_advantage (langfengQ/DrMAS, verl/trainer/ppo/core_algos.py,
commit 19c632bc): epsilon 1e-6, torch.std (unbiased), division by std on (`norm_adv_by_std_in_grpo=True`), and a
one-element pool normalised with mean 0 and std 1. See docs/credit-estimators.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from .params import ParamReader

GRPO_PARAMS = {"epsilon", "std", "scale", "singleton"}


@dataclass(frozen=True)
class GrpoOptions:
    epsilon: float
    std_kind: str  # "unbiased" | "population"
    scale_by_std: bool  # False = Dr. GRPO's `norm_adv_by_std_in_grpo=False` (mean-centring only)
    singleton: str  # "authors" | "zero"


def read_grpo_options(reader: ParamReader) -> GrpoOptions:
    return GrpoOptions(
        epsilon=reader.non_negative_number("epsilon", 1e-6),
        std_kind=reader.choice("std", ("unbiased", "population"), "unbiased"),
        scale_by_std=reader.choice("scale", ("std", "none"), "std") == "std",
        singleton=reader.choice("singleton", ("authors", "zero"), "authors"),
    )
