"""C3's Q for `counterfactual(variant: value_assisted)`: the critic's value of the transcript through each decision,
its output included, and the critic's fit on those transcripts.

EIT-EAST-Lab/C3@628185b scores a tree node with format_for_q(mode="prefix", up_to_role=<the node's role>): the task
and every role's answer up to and including the node's own (c3/credit/c3/provider.py C3CreditProvider._q_text), and
trains that Q critic on every such prefix view of each leaf trajectory with the leaf's team reward as the target
(openrlhf/trainer/ray/ppo_critic.py _build_views_and_targets), after the step's credit was computed. Here the
prefix is our transcript format (transcript.py, "mas-prefix-v1") through the decision's output; the learner is the
train block's `critic: <model>` (learner.py: a value head regressed with mean squared error, where C3 uses a
sigmoid head with binary cross-entropy on rewards clipped to [0, 1]: docs/credit-estimators.md). No torch here.
"""

from __future__ import annotations

from typing import Protocol, Sequence

from ..credit.types import CreditGroup
from .transcript import turn_text


class QLearner(Protocol):
    """What Q filling needs of mas_trainer.critic.CriticLearner."""

    def values(self, texts: list[str]) -> list[float]: ...

    def fit_with_replay(self, texts: list[str], targets: list[float]) -> float: ...


def q_prefixes(turns) -> list[str]:
    """One string per decision (turns not nulled): every turn up to and including that decision, with outputs.
    Earlier nulled turns are included: later agents saw them."""
    out, history = [], ""
    for turn in turns:
        history += turn_text(turn.agent, turn.prompt, turn.output)
        if not turn.nulled:
            out.append(history)
    return out


def fill_q(groups: Sequence[CreditGroup], states_per_group: Sequence[Sequence], critic: QLearner) -> None:
    """Sets Decision.q of every decision, and `decision_q` of its RolloutState (for the trajectory record), from the
    critic (one value pass over the distinct prefixes: a tree's leaves share their ancestors' prefixes), then fits
    the critic on each leaf's prefixes and its reward."""
    prefixes = [[q_prefixes(state.turns) for state in group_states] for group_states in states_per_group]
    distinct = sorted({text for group in prefixes for rollout in group for text in rollout})
    values = dict(zip(distinct, critic.values(distinct))) if distinct else {}
    texts: list[str] = []
    targets: list[float] = []
    for group, group_states, group_prefixes in zip(groups, states_per_group, prefixes):
        for rollout, state, rollout_prefixes in zip(group.rollouts, group_states, group_prefixes):
            if len(rollout.decisions) != len(rollout_prefixes):
                raise ValueError(
                    f"Q filling: a rollout has {len(rollout.decisions)} decisions but {len(rollout_prefixes)} "
                    "turns not nulled"
                )
            for decision, text in zip(rollout.decisions, rollout_prefixes):
                decision.q = values[text]
                texts.append(text)
                targets.append(rollout.reward)
            state.decision_q = [values[text] for text in rollout_prefixes]
    if texts:
        critic.fit_with_replay(texts, targets)
