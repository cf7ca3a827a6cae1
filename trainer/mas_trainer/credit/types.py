"""The input of every group credit estimator: the G rollouts of one task, as decisions with rewards.

TypeScript twin: protocol/credit.ts (CreditDecision, CreditRollout, CreditGroup) — the golden vectors in
test/fixtures/credit/*.json hold groups in exactly this JSON shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

# A coalition's re-run, keyed by the agents that were nulled in it (sorted names): difference and Shapley credit.
NulledKey = tuple[str, ...]


@dataclass
class Decision:
    """One trainable decision: the agent that took it, its turn index in the rollout, and its own reward when the
    workflow rewards per turn or per agent (None when only the whole trajectory is scored). `q`: the critic's value
    of the transcript through this decision, its output included (C3's Q of a tree node's prefix), which
    `counterfactual(variant: value_assisted)` reads; None when no critic scored it."""

    agent: str
    turn: int
    reward: Optional[float] = None
    q: Optional[float] = None


@dataclass
class Rollout:
    """One rollout of the group: its decisions in the order they were taken, and its total reward.

    `counterfactuals`: rewards of re-runs of this rollout with some agents nulled (their declared null behaviour
    replacing their messages from the first nulled turn on), keyed by the sorted nulled names; `permutations`: the
    agent orders sampled for permutation Shapley. Both empty unless the trainer ran them."""

    decisions: list[Decision]
    reward: float
    counterfactuals: dict[NulledKey, float] = field(default_factory=dict)
    permutations: Optional[list[list[str]]] = None


@dataclass
class CreditGroup:
    """The G rollouts sampled for one task (what GRPO-style estimators normalise over)."""

    rollouts: list[Rollout] = field(default_factory=list)

    @classmethod
    def from_rollouts(
        cls, rollouts: Iterable[tuple[Iterable[tuple[str, int, Optional[float]]], float]]
    ) -> "CreditGroup":
        """Builds a group from ([(agent, turn, reward | None), ...], rollout reward) pairs (the trainer's shape)."""
        return cls(
            [
                Rollout([Decision(a, int(t), None if r is None else float(r)) for a, t, r in decisions], float(reward))
                for decisions, reward in rollouts
            ]
        )

    @classmethod
    def from_json(cls, data: dict) -> "CreditGroup":
        """Reads the JSON shape of protocol/credit.ts (`reward` and `q` of a decision may be absent or null)."""
        return cls(
            [
                Rollout(
                    [
                        Decision(
                            str(d["agent"]),
                            int(d["turn"]),
                            None if d.get("reward") is None else float(d["reward"]),
                            None if d.get("q") is None else float(d["q"]),
                        )
                        for d in r["decisions"]
                    ],
                    float(r["reward"]),
                    {nulled_key(c["nulled"]): float(c["reward"]) for c in r.get("counterfactuals") or []},
                    [[str(a) for a in p] for p in r["permutations"]] if r.get("permutations") else None,
                )
                for r in data["rollouts"]
            ]
        )

    def to_json(self) -> dict:
        rollouts = []
        for r in self.rollouts:
            item: dict = {
                "decisions": [
                    {"agent": d.agent, "turn": d.turn, "reward": d.reward, **({} if d.q is None else {"q": d.q})}
                    for d in r.decisions
                ],
                "reward": r.reward,
            }
            if r.counterfactuals:
                item["counterfactuals"] = [{"nulled": list(k), "reward": v} for k, v in r.counterfactuals.items()]
            if r.permutations is not None:
                item["permutations"] = [list(p) for p in r.permutations]
            rollouts.append(item)
        return {"rollouts": rollouts}


def nulled_key(names: Iterable[str]) -> NulledKey:
    """The canonical key of a set of nulled agents (sorted, no duplicates)."""
    return tuple(sorted({str(n) for n in names}))


def players(rollout: Rollout) -> list[str]:
    """The agents that took a decision in the rollout, in order of their first decision (Shapley's players)."""
    seen: dict[str, None] = {}
    for d in rollout.decisions:
        seen.setdefault(d.agent, None)
    return list(seen)
