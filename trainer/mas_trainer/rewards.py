"""Rubric scoring at the declared reward level (RewardSpec.level) and the success flag used by the figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .expr import EvalContext, EvalError, Evaluator, criterion_score
from .judges import JudgeRunner
from .rollout import RolloutState
from .spec import RubricSpec


@dataclass
class Score:
    reward: float  # the rollout's total reward (what `outcome` credit normalises)
    criteria: dict[str, float]  # criterion scores over the final transcript (metrics, trajectory records)
    decision_rewards: list[Optional[float]]  # one per trainable decision: None at trajectory level
    success: bool  # every criterion fully met (score >= 1) on the final transcript
    errors: dict[str, str]  # criterion -> error kind: its evaluation raised (it scores 0) or a verifier failed


def decisions(state: RolloutState) -> list:
    """The trainable decisions of a rollout: its turns that the policy produced (not nulled)."""
    return [t for t in state.turns if not t.nulled]


def rubric_value(
    rubric: RubricSpec,
    evaluator: Evaluator,
    context: EvalContext,
    errors: dict[str, str] | None = None,
    judges: Optional[JudgeRunner] = None,
) -> tuple[float, dict[str, float]]:
    """Σ weight × score; a criterion whose evaluation raises scores 0 and its error kind goes to `errors`
    (EXPRESSIONS.md), the others still count. A criterion in which a verifier call failed is scored by the null
    rules (the call gave null) and marked `verifier_error`; a judge criterion whose judge gave no score likewise
    scores null (0) and is marked `judge_error` (judges.py). Without a judge runner a judge is `needs_trainer`."""
    scores = {}
    for c in rubric.criteria:
        if c.expr is None:  # a judge criterion (spec.parse_criterion: exactly one of expr and judge)
            value = judges.score(c.name, c.judge, context) if judges is not None and c.judge is not None else None
            scores[c.name] = criterion_score(value)
            if value is None and errors is not None:
                errors[c.name] = "judge_error" if judges is not None else "needs_trainer"
            continue
        nulls = evaluator.verifier_nulls
        try:
            scores[c.name] = criterion_score(evaluator.evaluate(c.expr, context))
        except EvalError as err:
            scores[c.name] = 0.0
            if errors is not None:
                errors[c.name] = err.kind
            continue
        if errors is not None and evaluator.verifier_nulls > nulls:
            errors[c.name] = "verifier_error"  # a verifier call failed and gave null (EXPRESSIONS.md, `verifier`)
    return sum(c.weight * scores[c.name] for c in rubric.criteria), scores


def turn_contexts(state: RolloutState) -> list[EvalContext]:
    """Per-turn rewards: each decision on the transcript as it stood right after it, with ctx = that decision."""
    contexts, outputs = [], {}
    by_index = {t.index for t in decisions(state)}
    for t in state.turns:
        outputs[t.agent] = t.output
        if t.index in by_index:
            contexts.append(
                EvalContext(
                    task=state.task,
                    outputs=dict(outputs),
                    ctx={"output": t.output, "agent": t.agent, "turn": float(t.index)},
                )
            )
    return contexts


def agent_contexts(state: RolloutState) -> dict[str, EvalContext]:
    """Per-agent rewards: each agent that made a decision, on its latest output, in the order it first spoke."""
    turns = decisions(state)
    contexts: dict[str, EvalContext] = {}
    for t in turns:
        if t.agent not in contexts:
            contexts[t.agent] = EvalContext(
                task=state.task,
                outputs=state.outputs,
                ctx={
                    "output": state.outputs.get(t.agent, ""),
                    "agent": t.agent,
                    "turn": float(max(x.index for x in turns if x.agent == t.agent)),
                },
            )
    return contexts


def scoring_contexts(state: RolloutState, level: str) -> list[EvalContext]:
    """Every context score_rollout evaluates the rubric on (the final transcript first): what the trainer hands the
    verifier pool ahead of scoring."""
    final = [EvalContext(task=state.task, outputs=state.outputs)]
    if level == "turn":
        return final + turn_contexts(state)
    if level == "agent":
        return final + list(agent_contexts(state).values())
    return final


def score_rollout(
    state: RolloutState, rubric: RubricSpec, level: str, evaluator: Evaluator, judges: Optional[JudgeRunner] = None
) -> Score:
    final = EvalContext(task=state.task, outputs=state.outputs)
    errors: dict[str, str] = {}
    total, criteria = rubric_value(rubric, evaluator, final, errors, judges)
    success = all(v >= 1.0 for v in criteria.values())
    turns = decisions(state)
    if level == "trajectory":
        return Score(total, criteria, [None] * len(turns), success, errors)
    if level == "turn":
        rewards = [rubric_value(rubric, evaluator, ctx, judges=judges)[0] for ctx in turn_contexts(state)]
        return Score(sum(rewards), criteria, list[Optional[float]](rewards), success, errors)
    # level == "agent": each agent scored once on its latest output; all its decisions carry that reward,
    # and the rollout's total is the mean over the agents that spoke.
    per_agent = {
        agent: rubric_value(rubric, evaluator, ctx, judges=judges)[0] for agent, ctx in agent_contexts(state).items()
    }
    total_agent = sum(per_agent.values()) / len(per_agent) if per_agent else 0.0
    return Score(total_agent, criteria, [per_agent[t.agent] for t in turns], success, errors)
