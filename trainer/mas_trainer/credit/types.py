"""The input of every group credit estimator: the G rollouts of one task, as decisions with rewards.

TypeScript twin: protocol/credit.ts (CreditDecision, CreditRollout, CreditGroup) — the golden vectors in
test/fixtures/credit/*.json hold groups in exactly this JSON shape.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional


@dataclass
class Decision:
    """One trainable decision: the agent that took it, its turn index in the rollout, and its own reward when the
    workflow rewards per turn or per agent (None when only the whole trajectory is scored)."""
    agent: str
    turn: int
    reward: Optional[float] = None


@dataclass
class Rollout:
    """One rollout of the group: its decisions in the order they were taken, and its total reward."""
    decisions: list[Decision]
    reward: float


@dataclass
class CreditGroup:
    """The G rollouts sampled for one task (what GRPO-style estimators normalise over)."""
    rollouts: list[Rollout] = field(default_factory=list)

    @classmethod
    def from_rollouts(cls, rollouts: Iterable[tuple[Iterable[tuple[str, int, Optional[float]]], float]]) -> "CreditGroup":
        """Builds a group from ([(agent, turn, reward | None), ...], rollout reward) pairs (the trainer's shape)."""
        return cls([Rollout([Decision(a, int(t), None if r is None else float(r)) for a, t, r in decisions],
                            float(reward))
                    for decisions, reward in rollouts])

    @classmethod
    def from_json(cls, data: dict) -> "CreditGroup":
        """Reads the JSON shape of protocol/credit.ts (`reward` of a decision may be absent or null)."""
        return cls([Rollout([Decision(str(d["agent"]), int(d["turn"]),
                                      None if d.get("reward") is None else float(d["reward"]))
                             for d in r["decisions"]], float(r["reward"]))
                    for r in data["rollouts"]])

    def to_json(self) -> dict:
        return {"rollouts": [{"decisions": [{"agent": d.agent, "turn": d.turn, "reward": d.reward}
                                            for d in r.decisions], "reward": r.reward}
                             for r in self.rollouts]}
