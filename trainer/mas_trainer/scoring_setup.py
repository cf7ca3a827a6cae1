"""The scoring objects of a spec, built in ONE place for training and for `rescore` (so a re-scored run is scored
exactly as training scores it): the reward rubric, the expression evaluator and the verifier calls behind it.

make_scoring is where a new kind of criterion plugs in (a judge runner beside the verifier calls): build it here,
hand it to the Evaluator, close it in Scoring.close.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Optional

from .expr import Evaluator
from .judges import JudgeRunner
from .rewards import Score, score_rollout, scoring_contexts
from .rollout import RolloutState
from .spec import RubricSpec, RunSpec
from .verifier_calls import Pool, VerifierCalls, verifier_calls_for


@dataclass
class Scoring:
    """The spec's reward as training computes it, with the resources (worker pool) it holds until close()."""

    evaluator: Evaluator  # also evaluates edge conditions (the graph walker's)
    rubric: RubricSpec  # the reward's rubric
    level: str  # RewardSpec.level: trajectory | turn | agent
    verifiers: Optional[VerifierCalls]  # None when the spec calls no verifier
    judges: Optional[JudgeRunner] = None  # judge criteria's runner (make_judge_runner), set once the models exist

    def score(self, states: list[RolloutState]) -> list[Score]:
        """Scores a batch of rollouts; their verifier calls first run on all workers at once (prefetch)."""
        contexts = [ctx for s in states for ctx in scoring_contexts(s, self.level)]
        if self.verifiers is not None:
            exprs = [c.expr for c in self.rubric.criteria if c.expr is not None]
            self.verifiers.prefetch(self.evaluator, exprs, contexts)
        if self.judges is not None:  # the batch's judge prompts, one batch per judge model (cache first)
            self.judges.prefetch(self.rubric.criteria, contexts)
        return [score_rollout(s, self.rubric, self.level, self.evaluator, self.judges) for s in states]

    def end_batch(self) -> Optional[dict[str, int]]:
        """The batch's failed verifier calls per verifier (metrics `verifier_errors`); None without verifiers."""
        return self.verifiers.end_step() if self.verifiers is not None else None

    def close(self, kill: bool = False) -> None:
        """Shuts the worker pool down; `kill` (a cancel) does not wait for the calls in flight."""
        if self.verifiers is not None:
            self.verifiers.close(kill)


def make_scoring(spec: RunSpec, log: logging.Logger, verifier_pool: Optional[Pool] = None) -> Scoring:
    """Checks the spec's verifiers (exit 3 for an unknown one or a missing file) and opens their worker pool with the
    train block's settings (workers, timeout, memory); tests inject a fake pool."""
    verifiers = verifier_calls_for(spec, log, verifier_pool)
    return Scoring(Evaluator(verifiers), spec.rubric(spec.reward.rubric), spec.reward.level, verifiers)
