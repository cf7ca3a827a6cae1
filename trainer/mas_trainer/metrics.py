"""Builds the per-step metrics record and the trajectory records (schemas: protocol/schemas/run-dir/)."""

from __future__ import annotations

import math
import time
from statistics import mean, pstdev

import torch

from .rewards import Score, decisions
from .rollout import RolloutState
from .update import UpdateStats


def _pstdev(values: list[float]) -> float:
    """statistics.pstdev raises AttributeError on a NaN or an infinity (CPython 3.11): such a spread is NaN, which
    the run directory records as null (strict_json) instead of the step crashing."""
    return pstdev(values) if all(math.isfinite(v) for v in values) else math.nan


def frac_zero_std(rewards: list[float], group: int) -> float:
    """Share of the step's GRPO groups (consecutive runs of `group` rollouts of one task) whose rewards are all equal:
    their group-normalised credit is 0, so they teach nothing (the first thing to check when learning stalls)."""
    groups = [rewards[i : i + group] for i in range(0, len(rewards), max(1, group))]
    if not groups:
        return 0.0
    return sum(1 for g in groups if all(r == g[0] for r in g)) / len(groups)


def step_metrics(
    step: int,
    states: list[RolloutState],
    scores: list[Score],
    credit: list[list[float]],
    stats: UpdateStats,
    timings: tuple[float, float],
    lr: float,
    device,
    group: int,
    micro_batch_tokens: int,
) -> dict:
    """TS twin: MetricsRecord (protocol/run-dir.ts). `timings`: the step's rollout and update seconds; `group`: the
    GRPO group size; `micro_batch_tokens`: the token budget per forward the update ran with."""
    rollout_s, update_s = timings
    rewards = [s.reward for s in scores]
    criteria = {name: mean(s.criteria[name] for s in scores) for name in scores[0].criteria} if scores else {}
    per_agent: dict[str, list[float]] = {}
    for state, c in zip(states, credit):
        for turn, value in zip(decisions(state), c):
            if not turn.frozen:  # a frozen agent gets no training credit: not in the training metrics
                per_agent.setdefault(turn.agent, []).append(value)
    generated = sum(len(t.token_ids) for s in states for t in s.turns)
    gpu_mb = None
    if device.type == "cuda":
        gpu_mb = torch.cuda.max_memory_allocated(device) / 2**20
    return {
        "step": step,
        "time": time.time(),
        "reward_mean": mean(rewards) if rewards else 0.0,
        "reward_std": _pstdev(rewards) if rewards else 0.0,
        "success": mean(1.0 if s.success else 0.0 for s in scores) if scores else 0.0,
        "criteria": criteria,
        "credit_mean": {a: mean(v) for a, v in per_agent.items()},
        "loss": stats.loss,
        "kl": stats.kl,
        "grad_norm": stats.grad_norm,
        "turns_mean": mean(len(s.turns) for s in states) if states else 0.0,
        "rollout_tokens": generated,
        "rollout_tokens_per_s": generated / rollout_s if rollout_s > 0 else 0.0,
        "update_tokens_per_s": stats.tokens / update_s if update_s > 0 else 0.0,
        "rollout_s": rollout_s,
        "update_s": update_s,
        "lr": lr,
        "gpu_memory_mb": gpu_mb,
        "frac_zero_std": frac_zero_std(rewards, group),
        "micro_batch_tokens": micro_batch_tokens,
    }


def trajectory_records(
    step: int, states: list[RolloutState], scores: list[Score], credits: dict[str, list[list[float]]], group: int
) -> list[dict]:
    """TS twin: TrajectoryRecord (protocol/run-dir.ts). One per rollout; `parent` is for tree rollouts."""
    records = []
    for i, (state, score) in enumerate(zip(states, scores)):
        decision_turns = [t.index for t in decisions(state)]
        records.append(
            {
                "step": step,
                "rollout": i,
                "group": i // group,
                "sample": i % group,
                "parent": None if state.parent is None else (i // group) * group + state.parent,
                "branch_turn": state.shared_turns,
                "task": state.task,
                "turns": [
                    {
                        "index": t.index,
                        "agent": t.agent,
                        "role": t.role,
                        "model": t.model,
                        "prompt": t.prompt,
                        "output": t.output,
                        "prompt_tokens": len(t.prompt_token_ids),
                        "token_ids": t.token_ids,
                        "logprobs": t.logprobs,
                        "started_at": t.started_at,
                        "duration_ms": t.duration_ms,
                        "nulled": t.nulled,
                        **({} if t.messages is None else {"messages": t.messages}),
                        **({"frozen": True} if t.frozen else {}),
                    }
                    for t in state.turns
                ],
                "stop_reason": state.stop_reason,
                "reward": score.reward,
                "criteria": score.criteria,
                "criteria_errors": score.errors,
                "success": score.success,
                "decision_turns": decision_turns,
                "decision_rewards": score.decision_rewards,
                "credit": {method: values[i] for method, values in credits.items()},
                **_rerun_fields(state),
            }
        )
    return records


def _rerun_fields(state: RolloutState) -> dict:
    """Difference / Shapley re-runs and value-assisted C3's Q, recorded so that analysis/credit can recompute those
    credits."""
    fields: dict = {}
    if state.counterfactuals:
        fields["counterfactuals"] = [{"nulled": list(k), "reward": v} for k, v in state.counterfactuals.items()]
    if state.permutations is not None:
        fields["permutations"] = [list(p) for p in state.permutations]
    if state.decision_q is not None:  # value-assisted C3 credit: recomputable from the record
        fields["decision_q"] = list(state.decision_q)
    return fields
