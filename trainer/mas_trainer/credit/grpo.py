"""The switches shared by the two GRPO-family estimators (`outcome`, `agent_normalized`).

Defaults reproduce DrMAS's compute_grpo_outcome_advantage (langfengQ/DrMAS, verl/trainer/ppo/core_algos.py,
commit 19c632bc): epsilon 1e-6, torch.std (unbiased), division by std on (`norm_adv_by_std_in_grpo=True`), and a
one-element pool normalised with mean 0 and std 1. See docs/credit-estimators.md.

MAGRPO (EIT-EAST-Lab/C3, c3/algorithms/magrpo.py `compute_magrpo` and the joint-action block of
openrlhf/trainer/ppo_utils/experience_maker.py `_compute_marl_advantages_and_returns`, commit 628185be) is
`baseline="rloo"` or `"group_mean"` with `std="population"`, `epsilon=1e-8`, `epsilon_form="in_sqrt"`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .params import ParamReader

GRPO_PARAMS = {"epsilon", "std", "scale", "singleton", "baseline", "epsilon_form"}


@dataclass(frozen=True)
class GrpoOptions:
    epsilon: float
    std_kind: str  # "unbiased" | "population"
    scale_by_std: bool  # False = Dr. GRPO's `norm_adv_by_std_in_grpo=False` (mean-centring only)
    singleton: str  # "authors" | "zero"
    baseline: str = "group_mean"  # "group_mean" | "rloo" (leave-one-out mean, MAGRPO)
    epsilon_form: str = "outside"  # "outside": std + eps (DrMAS) | "in_sqrt": sqrt(var + eps) (MAGRPO)

    def pool_kwargs(self) -> dict:
        return {
            "epsilon": self.epsilon,
            "std_kind": self.std_kind,
            "scale_by_std": self.scale_by_std,
            "singleton": self.singleton,
            "baseline": self.baseline,
            "epsilon_form": self.epsilon_form,
        }


def read_grpo_options(reader: ParamReader) -> GrpoOptions:
    return GrpoOptions(
        epsilon=reader.non_negative_number("epsilon", 1e-6),
        std_kind=reader.choice("std", ("unbiased", "population"), "unbiased"),
        scale_by_std=reader.choice("scale", ("std", "none"), "std") == "std",
        singleton=reader.choice("singleton", ("authors", "zero"), "authors"),
        baseline=reader.choice("baseline", ("group_mean", "rloo"), "group_mean"),
        epsilon_form=reader.choice("epsilon_form", ("outside", "in_sqrt"), "outside"),
    )
