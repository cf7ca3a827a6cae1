"""Figures of one training run, read back from its run directory (metrics.jsonl, trajectories/)."""
from __future__ import annotations

import json
import os
import statistics

from tasks import THRESHOLD, WINDOW, Task


def moving_mean(values: list[float], window: int = WINDOW) -> list[float]:
    return [statistics.fmean(values[max(0, i + 1 - window):i + 1]) for i in range(len(values))]


def steps_to_threshold(rewards: list[float], optimum: float) -> int | None:
    """First step (1-based) whose moving mean reward is >= THRESHOLD × optimum; None if never."""
    for i, value in enumerate(moving_mean(rewards)):
        if value >= THRESHOLD * optimum:
            return i + 1
    return None


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolation percentile (numpy's default), q in [0, 100]."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def p99_over_median(values: list[float]) -> float | None:
    """The spike ratio of one agent's gradient norms; None when there are none or their median is 0."""
    median = statistics.median(values) if values else 0.0
    return percentile(values, 99) / median if median > 0 else None


def spike_ratios(records: list[dict]) -> dict[str, float]:
    """Per agent: p99 / median of the per-step norm of that agent's share of the policy gradient."""
    norms: dict[str, list[float]] = {}
    for r in records:
        for agent, value in (r.get("grad_norm") or {}).items():
            norms.setdefault(agent, []).append(float(value))
    # An agent whose credit is always 0 (a nulled lazy agent) has no gradient to spike: it is left out.
    ratios = {agent: p99_over_median(values) for agent, values in norms.items()}
    return {agent: ratio for agent, ratio in ratios.items() if ratio is not None}


def learning_phase_spike(grad_norms: dict[str, list[float]], reached_at: int | None) -> float | None:
    """Mean over agents of p99 / median of the non-zero gradient norms up to the step the run reached 90 % (all
    steps if it never did). After a run has converged most groups score the same, their credit is 0, and the
    whole-run median sinks towards 0, so the whole-run ratio mostly measures how long the run sat converged;
    this one measures the spikes while the agents were still learning."""
    ratios = []
    for values in grad_norms.values():
        # "Zero" up to float noise: a group whose rewards are all equal leaves norms of about 1e-12, not 0.
        floor = 1e-6 * max(values, default=0.0)
        ratio = p99_over_median([v for v in values[:reached_at or len(values)] if v > floor])
        if ratio is not None:
            ratios.append(ratio)
    return statistics.fmean(ratios) if ratios else None


def credit_shares(run_dir: str, method: str, lazy: str) -> float | None:
    """Mean |credit| the lazy agent got, over the mean |credit| of the other agents (1 = the same; 0 = none)."""
    lazy_abs, other_abs = [], []
    folder = os.path.join(run_dir, "trajectories")
    for name in os.listdir(folder):
        if not name.endswith(".jsonl"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                credit = rec["credit"].get(method)
                if credit is None:
                    continue
                agents = {t["index"]: t["agent"] for t in rec["turns"]}
                for turn, value in zip(rec["decision_turns"], credit):
                    (lazy_abs if agents[turn] == lazy else other_abs).append(abs(value))
    if not lazy_abs or not other_abs or statistics.fmean(other_abs) == 0:
        return None
    return statistics.fmean(lazy_abs) / statistics.fmean(other_abs)


def run_figures(task: Task, method: str, run_dir: str) -> dict:
    with open(os.path.join(run_dir, "metrics.jsonl"), encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    rewards = [r["reward_mean"] for r in records]
    spikes = spike_ratios(records)
    return {
        "rewards": rewards,
        "steps_to_threshold": steps_to_threshold(rewards, task.optimum),
        "final_return": statistics.fmean(rewards[-10:]) if rewards else None,
        "spike_ratio": statistics.fmean(spikes.values()) if spikes else None,
        "spike_ratio_per_agent": spikes,
        "grad_norms": {a: [float(r["grad_norm"][a]) for r in records if a in (r.get("grad_norm") or {})]
                       for a in spikes},
        "lazy_credit_share": credit_shares(run_dir, method, task.lazy_agent) if task.lazy_agent else None,
        "seconds": sum(r["rollout_s"] + r["update_s"] for r in records),
    }
