"""The study's tasks (issue 4): which example, how long to train, what counts as reaching the optimum."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Every credit method, in catalogue order: the registry generated from the catalogue (npm run generate:credit).
with open(os.path.join(REPO, "trainer", "mas_trainer", "credit", "methods.json"), encoding="utf-8") as _f:
    METHODS: tuple[str, ...] = tuple(m["name"] for m in json.load(_f)["methods"])
# Study labels that train a catalogue estimator with extra credit params: C3's paper default (value-assisted
# credit, alpha 1, Q from the example's `critic: value` model). `counterfactual_va` keeps the trainer's critic
# settings (a value-assisted run cannot set them: `critic(lr, passes, replay)` is read only when the training credit
# is `critic`, so its Q critic runs at lr 1e-4, replay 1); `counterfactual_va_tuned` is a study-only try that gives
# the Q critic the settings the study uses for `critic` credit (CRITIC_SETTINGS; patched in by study.py).
CRITIC_SETTINGS = {"lr": 0.003, "replay": 16, "passes": 1}  # chosen on lazy-2 (RESULTS.md)
VARIANTS: dict[str, tuple[str, dict]] = {
    "counterfactual_va": ("counterfactual", {"variant": "value_assisted"}),
    "counterfactual_va_tuned": ("counterfactual", {"variant": "value_assisted"}),
}
TUNED_CRITIC = {"counterfactual_va_tuned"}
LABELS: tuple[str, ...] = METHODS + tuple(VARIANTS)
THRESHOLD = 0.9  # of the optimum: a run "reaches" it when the 5-step moving mean of the reward does
WINDOW = 5


@dataclass(frozen=True)
class Task:
    name: str
    example: str  # .mas file, relative to the repository
    steps: int
    optimum: float = 1.0
    lazy_agent: str | None = None  # an agent the reward ignores: its credit share is reported
    # counterfactual fan-out per agent in graph order whose product is the group (8). The lazy agent gets 1: it is
    # last and ignored, so branching there only takes rollouts from the workers (lazy-2 with (2, 2, 2): 1.74× outcome's
    # steps, with (4, 2, 1): about 1×).
    fanout: tuple[int, ...] | None = None
    group: int | None = None  # the GRPO group, when not the example's own (every estimator of the task gets it)


TASKS = {
    # One worker alone: how fast a worker learns with nobody else's noise in the reward (the floor for the others).
    "lazy-1": Task("lazy-1", "examples/lazy-team/team-1.mas", 60, lazy_agent="lazy", fanout=(8, 1)),
    "lazy-2": Task("lazy-2", "examples/lazy-team/team-2.mas", 60, lazy_agent="lazy", fanout=(4, 2, 1)),
    "lazy-4": Task("lazy-4", "examples/lazy-team/team-4.mas", 60, lazy_agent="lazy", fanout=(2, 2, 2, 1, 1)),
    # Four workers need a tree of 16 leaves for each to branch once: the same team with group 16 for every estimator.
    "lazy-4-g16": Task("lazy-4-g16", "examples/lazy-team/team-4.mas", 60, lazy_agent="lazy",
                       fanout=(2, 2, 2, 2, 1), group=16),
    "lazy-8": Task("lazy-8", "examples/lazy-team/team-8.mas", 60, lazy_agent="lazy",
                   fanout=(2, 2, 2, 1, 1, 1, 1, 1, 1)),
    "fixer": Task("fixer", "examples/lazy-team/fixer.mas", 60, fanout=(4, 2)),
    # Sequential collaboration (issue 17): the planner's route decides whether any solver output can score. C3's
    # tree branches 4 ways at the planner and 2 at the solver, so each plan is judged on the mean of two solves.
    "relay": Task("relay", "examples/relay/relay.mas", 100, fanout=(4, 2)),
    "card": Task("card", "examples/card-game/tiny-hanabi.mas", 120, fanout=(2, 4)),
    "lewis": Task("lewis", "examples/signal/lewis.mas", 120, fanout=(2, 4)),
}


def example_path(task: Task) -> str:
    return os.path.join(REPO, task.example)
