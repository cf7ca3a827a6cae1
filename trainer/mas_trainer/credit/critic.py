"""`critic` credit as one more estimator of the registry: the learned value model (mas_trainer.critic, a
CriticLearner the trainer builds when the spec needs one) credits each decision with its TD error, then fits on the
step. It is computed per training step, not per group, so it registers with `per_step`; this module imports no torch.
"""

from __future__ import annotations

from .registry import StepInputs, method_of, register


@register("critic", per_step=True)
def critic_credit_step(step: StepInputs) -> list[list[float]]:
    """Credit per decision per rollout of this process's rollouts, then one round of critic fitting."""
    if step.critic is None:  # the trainer builds the learner whenever this method trains or is recorded
        raise ValueError(
            f"credit `{method_of(critic_credit_step)}` needs a value model: add `critic: <model>` to the train block"
        )
    # All turns go in (nulled ones too: later agents saw them); only the decisions (rewards.decisions: the turns
    # not nulled, in order) get a value, so the credits line up with the trainer's decisions.
    return step.critic.credit_and_fit(
        [
            (s.turns, sc.reward, sc.decision_rewards)  # type: ignore[attr-defined]
            for s, sc in zip(step.states, step.scores)
        ],
        step.level,
    )
