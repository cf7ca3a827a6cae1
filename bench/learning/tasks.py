"""The study's tasks (issue 4): which example, how long to train, what counts as reaching the optimum."""
from __future__ import annotations

import os
from dataclasses import dataclass

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
METHODS = ("outcome", "agent_normalized", "turn_level", "counterfactual", "difference", "shapley", "critic")
THRESHOLD = 0.9  # of the optimum: a run "reaches" it when the 5-step moving mean of the reward does
WINDOW = 5


@dataclass(frozen=True)
class Task:
    name: str
    example: str  # .mas file, relative to the repository
    steps: int
    optimum: float = 1.0
    lazy_agent: str | None = None  # an agent the reward ignores: its credit share is reported
    # counterfactual fan-out per agent in graph order whose product is the group (8); None: 2 × 4 / spread
    fanout: tuple[int, ...] | None = None


TASKS = {
    "lazy-2": Task("lazy-2", "examples/lazy-team/team-2.mas", 60, lazy_agent="lazy", fanout=(2, 2, 2)),
    "lazy-4": Task("lazy-4", "examples/lazy-team/team-4.mas", 60, lazy_agent="lazy", fanout=(2, 2, 2, 1, 1)),
    "lazy-8": Task("lazy-8", "examples/lazy-team/team-8.mas", 60, lazy_agent="lazy",
                   fanout=(2, 2, 2, 1, 1, 1, 1, 1, 1)),
    "card": Task("card", "examples/card-game/tiny-hanabi.mas", 120, fanout=(2, 4)),
    "lewis": Task("lewis", "examples/signal/lewis.mas", 120, fanout=(2, 4)),
}


def example_path(task: Task) -> str:
    return os.path.join(REPO, task.example)
