"""Writes test/fixtures/credit/critic.json: golden vectors for `critic` credit (given values -> credit).

Expected credits are computed here with numpy from the definition (C_t = r_t + V_{t+1} - V_t, V after the last
decision = 0), not with mas_trainer.critic, so the vectors check the trainer's function instead of echoing it.
The first case is also worked by hand in its `note`.

Run from the repository root: trainer/.venv/bin/python trainer/tools/make_critic_vectors.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "credit" / "critic.json"


def reference(rewards: list[float], values: list[float]) -> list[float]:
    r, v = np.asarray(rewards, dtype=float), np.asarray(values, dtype=float)
    return (r + np.append(v[1:], 0.0) - v).tolist()


CASES = [
    {
        "name": "trajectory_reward_at_the_end",
        "rewards": [0.0, 0.0, 1.0],
        "values": [0.5, 0.75, 0.9],
        "note": "0 + 0.75 - 0.5 = 0.25; 0 + 0.9 - 0.75 = 0.15; 1 + 0 - 0.9 = 0.1 (sum = R - V0 = 0.5)",
    },
    {"name": "perfect_critic_gives_zero", "rewards": [0.0, 0.0, 1.0], "values": [1.0, 1.0, 1.0]},
    {"name": "lazy_last_agent_after_a_perfect_prediction", "rewards": [0.0, 0.0, 0.5], "values": [0.25, 0.5, 0.5]},
    {"name": "per_turn_rewards", "rewards": [0.2, -0.1, 0.4, 0.0], "values": [0.3, 0.1, 0.6, -0.2]},
    {"name": "single_decision", "rewards": [0.8], "values": [0.3]},
    {"name": "untrained_critic_all_zero", "rewards": [0.0, 1.0], "values": [0.0, 0.0]},
    {"name": "negative_values", "rewards": [0.0, 0.0, 0.0, -1.0], "values": [-0.4, -0.7, -0.2, -0.9]},
    {"name": "no_decisions", "rewards": [], "values": []},
]


def main() -> None:
    vectors = [{**case, "credit": reference(case["rewards"], case["values"])} for case in CASES]
    OUT.write_text(json.dumps(vectors, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(vectors)} vectors to {OUT}")


if __name__ == "__main__":
    main()
