"""Writes the golden credit vectors test/fixtures/credit/*.json (shared by pytest and vitest).

The expected values come from the reference formulas below, written directly from the authors' code with numpy
(flat arrays over all decisions, boolean masks) — deliberately not from mas_trainer.credit, so that the vectors
check our estimators instead of echoing them. Sources (see docs/credit-estimators.md):
  outcome, agent_normalized: langfengQ/DrMAS verl/trainer/ppo/core_algos.py compute_grpo_outcome_advantage
  turn_level: thu-nics/MARS roll/utils/functionals.py (score_normalize, compute_reinforce_return,
              normalize_unique_values) and roll/agentic/rollout/env_manager.py (get_masks_and_scores)
  counterfactual, difference, shapley: credit_vectors_rerun.py (EIT-EAST-Lab/C3; all-orders Shapley)

Run from the repository root: trainer/.venv/bin/python trainer/tools/make_credit_vectors.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from credit_vectors_rerun import RERUN_CASES, RERUN_GROUPS, RERUN_REFERENCES

OUT_DIR = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "credit"


# ---------------------------------------------------------------- groups as flat arrays


class Flat:
    """All decisions of some groups as parallel arrays; `rollout` is a global rollout number."""

    def __init__(self, groups: list[dict]):
        self.group, self.rollout, self.agent, self.decision_reward, self.rollout_reward = [], [], [], [], []
        self.shape: list[list[int]] = []  # decisions per rollout per group
        self.rollout_has_decisions: list[bool] = []
        self.rewards: list[float] = []
        n = 0
        for gi, group in enumerate(groups):
            self.shape.append([])
            for rollout in group["rollouts"]:
                self.shape[-1].append(len(rollout["decisions"]))
                self.rewards.append(rollout["reward"])
                self.rollout_has_decisions.append(bool(rollout["decisions"]))
                for d in rollout["decisions"]:
                    self.group.append(gi)
                    self.rollout.append(n)
                    self.agent.append(d["agent"])
                    self.decision_reward.append(np.nan if d.get("reward") is None else d["reward"])
                    self.rollout_reward.append(rollout["reward"])
                n += 1
        self.group = np.array(self.group, dtype=int)
        self.rollout = np.array(self.rollout, dtype=int)
        self.agent = np.array(self.agent, dtype=object)
        self.decision_reward = np.array(self.decision_reward, dtype=float)
        self.rollout_reward = np.array(self.rollout_reward, dtype=float)
        self.rewards = np.array(self.rewards, dtype=float)
        self.rollout_has_decisions = np.array(self.rollout_has_decisions, dtype=bool)

    def unflatten(self, values: np.ndarray) -> list[list[list[float]]]:
        out, k = [], 0
        for counts in self.shape:
            out.append([])
            for c in counts:
                out[-1].append([float(v) for v in values[k : k + c]])
                k += c
        return out


# ---------------------------------------------------------------- GRPO (DrMAS)


def grpo_normalise(values: np.ndarray, pool: np.ndarray, p: dict) -> np.ndarray:
    """core_algos.py: len 1 -> mean 0, std 1; else torch.mean / torch.std (unbiased); (x - mean) / (std + eps)."""
    eps = p.get("epsilon", 1e-6)
    if len(pool) == 1:
        mu, sd = (0.0, 1.0) if p.get("singleton", "authors") == "authors" else (pool[0], 0.0)
    else:
        mu, sd = pool.mean(), pool.std(ddof=1 if p.get("std", "unbiased") == "unbiased" else 0)
    return (values - mu) / (sd + eps) if p.get("scale", "std") == "std" else values - mu


def reference_outcome(group: dict, p: dict) -> list[list[float]]:
    flat = Flat([group])
    pool = flat.rewards[flat.rollout_has_decisions]  # one score per trajectory (traj2avg of equal rows)
    if len(pool) == 0:
        return flat.unflatten(np.zeros(0))[0]
    return flat.unflatten(grpo_normalise(flat.rollout_reward, pool, p))[0]


def reference_agent_normalized(group: dict, p: dict) -> list[list[float]]:
    flat = Flat([group])
    score = flat.rollout_reward.copy()
    if p.get("reward", "decision") == "decision":  # Dr. MAS's default: each row's own summed score
        has = ~np.isnan(flat.decision_reward)
        score[has] = flat.decision_reward[has]
    if p.get("pooling", "decision") == "rollout":
        for r in np.unique(flat.rollout):
            for a in np.unique(flat.agent[flat.rollout == r]):
                m = (flat.rollout == r) & (flat.agent == a)
                score[m] = score[m].mean()
    credit = np.zeros_like(score)
    for a in np.unique(flat.agent):
        m = flat.agent == a
        if p.get("pooling", "decision") == "rollout":
            first = [np.flatnonzero(m & (flat.rollout == r))[0] for r in np.unique(flat.rollout[m])]
            pool = score[first]
        else:
            pool = score[m]
        credit[m] = grpo_normalise(score[m], pool, p)
    return flat.unflatten(credit)[0]


# ---------------------------------------------------------------- turn level (MARS)


def pool_stats(x: np.ndarray) -> tuple[float, float]:
    """masked_mean / masked_var (Bessel) or x.mean() / x.std(): the same numbers (masked_mean's + 1e-8 on the count
    vanishes in float32); one element: their masked_var raises, x.std() is NaN."""
    return x.mean(), (x.std(ddof=1) if len(x) > 1 else np.nan)


def reference_turn_level_batch(groups: list[dict], p: dict) -> list[list[list[float]]]:
    flat = Flat(groups)
    turn_scores = bool((~np.isnan(flat.decision_reward)).any())
    # get_masks_and_scores: reward positions and the reward on them
    if turn_scores:
        at_end = np.ones(len(flat.agent), dtype=bool)
        reward = np.nan_to_num(flat.decision_reward, nan=0.0)
    else:
        at_end = np.zeros(len(flat.agent), dtype=bool)
        for r in np.unique(flat.rollout):
            for a in np.unique(flat.agent[flat.rollout == r]):
                at_end[np.flatnonzero((flat.rollout == r) & (flat.agent == a))[-1]] = True
        reward = np.where(at_end, flat.rollout_reward, 0.0)
    # score_normalize per agent over its reward positions
    method = p.get("reward_norm", "mean")
    norm = np.zeros_like(reward)
    for a in np.unique(flat.agent):
        m = (flat.agent == a) & at_end
        x = reward[m]
        mu, sd = pool_stats(x)
        if method == "none":
            norm[m] = x
        elif method == "mean":
            norm[m] = x - mu
        else:
            norm[m] = (x - mu) / (sd + 1e-6) if (len(x) > 1 and sd > 1e-6) else 0.0
    # compute_reinforce_return, gamma 1, along each agent's own decisions of a rollout
    ret = np.zeros_like(norm)
    for r in np.unique(flat.rollout):
        for a in np.unique(flat.agent[flat.rollout == r]):
            idx = np.flatnonzero((flat.rollout == r) & (flat.agent == a))
            ret[idx] = np.cumsum(norm[idx][::-1])[::-1]
    # normalize_unique_values per agent over the batch
    mode, pool_kind = p.get("advantage_norm", "mean"), p.get("advantage_pool", "distinct_with_zero")
    credit = ret.copy()
    for a in np.unique(flat.agent):
        m = flat.agent == a
        values = ret[m]
        if pool_kind == "decisions":
            pool = np.sort(values)
        else:
            pool = np.unique(np.concatenate([values, [0.0]]) if pool_kind == "distinct_with_zero" else values)
            gaps = np.diff(pool)
            if len(gaps) and gaps.min() < 1e-9:
                raise SystemExit(f"near-duplicate returns {pool}: the vector would depend on rounding; change it")
        if mode == "none":
            continue
        if len(np.unique(pool)) < 2:
            credit[m] = 0.0
        elif mode == "mean":
            credit[m] = values - pool.mean()
        else:
            credit[m] = (values - pool.mean()) / (pool.std(ddof=1) + 1e-6)
    return flat.unflatten(credit)


def reference_turn_level(group: dict, p: dict) -> list[list[float]]:
    return reference_turn_level_batch([group], p)[0]


# ---------------------------------------------------------------- the groups


def D(agent: str, turn: int, reward: float | None = None) -> dict:
    return {"agent": agent, "turn": turn, "reward": reward}


def R(reward: float, *decisions: dict) -> dict:
    return {"decisions": list(decisions), "reward": reward}


def alternating(reward: float, turns: int = 2) -> dict:
    agents = ["solver", "verifier"]
    return R(reward, *[D(agents[t % 2], t) for t in range(turns)])


GROUPS = {
    "normal": {"rollouts": [alternating(1.0), alternating(0.0), alternating(0.5), alternating(0.25)]},
    "all_equal": {"rollouts": [alternating(0.75), alternating(0.75), alternating(0.75)]},
    "one_rollout": {"rollouts": [alternating(0.8)]},
    "uneven_turns": {
        "rollouts": [
            R(1.0, D("solver", 0), D("verifier", 1), D("solver", 2), D("verifier", 3), D("solver", 4)),
            R(0.0, D("solver", 0), D("verifier", 1)),
            R(0.5, D("solver", 0), D("solver", 1), D("solver", 2), D("verifier", 3)),
            R(0.25, D("solver", 0), D("verifier", 1), D("verifier", 2)),
        ]
    },
    "agent_absent": {
        "rollouts": [
            R(1.0, D("planner", 0), D("coder", 1), D("tester", 2)),
            R(0.0, D("planner", 0), D("coder", 1)),
            R(0.5, D("planner", 0), D("tester", 1)),
            R(0.25, D("planner", 0), D("coder", 1), D("tester", 2)),
            R(0.75, D("planner", 0)),
        ]
    },
    "agent_in_one_rollout": {
        "rollouts": [
            R(1.0, D("solver", 0), D("critic", 1)),
            R(0.0, D("solver", 0)),
            R(0.5, D("solver", 0)),
        ]
    },
    "per_turn_rewards": {
        "rollouts": [
            R(1.75, D("solver", 0, 0.5), D("verifier", 1, 0.25), D("solver", 2, 1.0)),
            R(0.5, D("solver", 0, 0.0), D("verifier", 1, 0.5)),
            R(1.25, D("solver", 0, 0.25), D("verifier", 1, 0.0), D("solver", 2, 0.5), D("verifier", 3, 0.5)),
            R(-0.5, D("solver", 0, -0.5), D("verifier", 1, None)),
        ]
    },
    "per_agent_rewards": {
        "rollouts": [  # rubric level `agent`: each decision carries its agent's score
            R(0.75, D("writer", 0, 1.0), D("editor", 1, 0.5), D("writer", 2, 1.0)),
            R(0.25, D("writer", 0, 0.0), D("editor", 1, 0.5)),
            R(0.5, D("writer", 0, 0.25), D("editor", 1, 0.75)),
        ]
    },
    "negative_rewards": {
        "rollouts": [alternating(-1.0, 3), alternating(-0.25, 3), alternating(0.5, 3), alternating(-2.0, 3)]
    },
    "empty_rollout": {"rollouts": [alternating(1.0), R(5.0), alternating(0.0)]},
}

CASES = {
    "outcome": [
        ({}, list(GROUPS)),
        ({"std": "population"}, ["normal", "uneven_turns", "negative_rewards"]),
        ({"scale": "none"}, ["normal", "negative_rewards", "one_rollout"]),
        ({"singleton": "zero"}, ["one_rollout", "normal"]),
        ({"epsilon": 0.01}, ["normal", "all_equal"]),
    ],
    "agent_normalized": [
        ({}, list(GROUPS)),
        ({"pooling": "rollout"}, ["uneven_turns", "agent_absent", "per_turn_rewards", "normal"]),
        ({"reward": "rollout"}, ["per_turn_rewards", "per_agent_rewards", "normal"]),
        ({"pooling": "rollout", "reward": "decision"}, ["per_turn_rewards", "per_agent_rewards"]),
        ({"singleton": "zero"}, ["agent_in_one_rollout", "one_rollout"]),
        ({"std": "population", "scale": "none"}, ["uneven_turns"]),
    ],
    "turn_level": [
        ({}, list(GROUPS)),
        ({"reward_norm": "mean_std"}, ["normal", "per_turn_rewards", "uneven_turns", "one_rollout"]),
        ({"advantage_norm": "mean_std"}, ["per_turn_rewards", "negative_rewards"]),
        ({"advantage_pool": "distinct"}, ["per_turn_rewards", "uneven_turns", "all_equal"]),
        ({"advantage_pool": "decisions"}, ["per_turn_rewards", "uneven_turns", "agent_absent"]),
        ({"reward_norm": "none", "advantage_norm": "none"}, ["per_turn_rewards", "uneven_turns"]),
        (
            {"reward_norm": "mean_std", "advantage_norm": "mean_std", "advantage_pool": "decisions"},
            ["per_turn_rewards", "negative_rewards"],
        ),
    ],
}

REFERENCES = {
    "outcome": reference_outcome,
    "agent_normalized": reference_agent_normalized,
    "turn_level": reference_turn_level,
}

BATCH_CASES = [  # MARS pools across the groups of a step: compute_credit_batch
    ("turn_level", {}, ["normal", "per_turn_rewards"]),
    ("turn_level", {}, ["normal", "uneven_turns", "agent_absent"]),
    (
        "turn_level",
        {"reward_norm": "mean_std", "advantage_pool": "decisions"},
        ["per_turn_rewards", "per_agent_rewards"],
    ),
    ("outcome", {}, ["normal", "negative_rewards"]),
    ("agent_normalized", {}, ["uneven_turns", "agent_absent"]),
]


def case_name(group_name: str, params: dict) -> str:
    return group_name + "".join(f"/{k}={v}" for k, v in sorted(params.items()))


def main() -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    # Group estimators over GROUPS; estimators that need re-runs over RERUN_GROUPS (rollouts with nulled rewards).
    for all_cases, references, groups in ((CASES, REFERENCES, GROUPS), (RERUN_CASES, RERUN_REFERENCES, RERUN_GROUPS)):
        for method, cases in all_cases.items():
            vectors = [
                {
                    "name": case_name(g, params),
                    "method": method,
                    "params": params,
                    "group": groups[g],
                    "expected": references[method](groups[g], params),
                }
                for params, group_names in cases
                for g in group_names
            ]
            (OUT_DIR / f"{method}.json").write_text(json.dumps(vectors, indent=1) + "\n")
            print(f"{method}: {len(vectors)} vectors")
    batch = []
    for method, params, names in BATCH_CASES:
        groups = [GROUPS[n] for n in names]
        expected = (
            reference_turn_level_batch(groups, params)
            if method == "turn_level"
            else [REFERENCES[method](g, params) for g in groups]
        )
        batch.append(
            {
                "name": case_name("+".join(names), params),
                "method": method,
                "params": params,
                "groups": groups,
                "expected": expected,
            }
        )
    (OUT_DIR / "batch.json").write_text(json.dumps(batch, indent=1) + "\n")
    print(f"batch: {len(batch)} vectors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
