"""Writes test/fixtures/credit/records-<method>.jsonl: trajectory records of one step made by the trainer's own
pipeline (tree rollouts / nulled re-runs, credit bridge, trajectory_records) with a scripted seeded policy on the
lazy-team test spec. The TypeScript twin (analysis/credit/from-records.ts) must recompute the recorded credits.

Run from the repository root: trainer/.venv/bin/python trainer/tools/make_credit_records.py
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "trainer"))
sys.path.insert(0, str(ROOT / "trainer" / "tests"))

from helpers import lazy_team  # noqa: E402

from mas_trainer.credit_reruns import step_rollouts  # noqa: E402
from mas_trainer.credit_step import recorded_methods, step_credit  # noqa: E402
from mas_trainer.expr import Evaluator  # noqa: E402
from mas_trainer.metrics import trajectory_records  # noqa: E402
from mas_trainer.rewards import score_rollout  # noqa: E402
from mas_trainer.rollout import GraphWalker  # noqa: E402

OUT = ROOT / "test" / "fixtures" / "credit"
TASKS = [{"a": "l", "b": "u"}, {"a": "u", "b": "u"}, {"a": "u", "b": "l"}]
# file name -> (training method, its params); the value-assisted case reads Q from PrefixCritic
CASES = {
    "counterfactual": ("counterfactual", {"fanout": [2, 2, 2]}),
    "counterfactual-value_assisted": ("counterfactual", {"fanout": [2, 2, 2], "variant": "value_assisted"}),
    "shapley": ("shapley", {}),
    "difference": ("difference", {"normalize": "standardize"}),
}


class PrefixCritic:
    """A deterministic stand-in for the critic: Q = the share of upper-case outputs in the prefix so far."""

    def values(self, texts):
        return [sum(c.isupper() for c in t) / max(1, t.count("\n")) for t in texts]

    def fit_with_replay(self, texts, targets):
        return 0.0


def seeded_generate(agent, prompts, keys):
    """Right case with probability 0.6, from a generator seeded by (rollout key, turn): reproducible."""
    out = []
    for prompt, (key, turn) in zip(prompts, keys):
        rng = random.Random(key * 1009 + turn)
        upper = (prompt[1] == "u") == (rng.random() < 0.6)
        letter = rng.choice("abcdefgh")
        text = letter.upper() if upper else letter
        out.append(([1], [ord(text)], [-0.5], text))
    return out


def main() -> int:
    for name, (method, params) in CASES.items():
        spec = lazy_team(record_credit="all", credit={"method": method, "params": params})
        walker, evaluator, rubric = GraphWalker(spec), Evaluator(), spec.rubric(spec.reward.rubric)
        methods = recorded_methods("all", method)
        states = step_rollouts(
            walker,
            TASKS,
            8,
            method,
            params,
            methods,
            seeded_generate,
            lambda s: score_rollout(s, rubric, spec.reward.level, evaluator).reward,
            1,
            0,
        )
        scores = [score_rollout(s, rubric, spec.reward.level, evaluator) for s in states]
        critic = PrefixCritic() if params.get("variant") == "value_assisted" else None
        credits = {m: step_credit(m, states, scores, 8, params if m == method else {}, critic=critic) for m in methods}
        records = trajectory_records(1, states, scores, credits, 8)
        for r in records:
            for t in r["turns"]:
                t["started_at"], t["duration_ms"] = 0.0, 0.0  # stable fixture
        path = OUT / f"records-{name}.jsonl"
        path.write_text("".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records))
        print(f"{path.relative_to(ROOT)}: {len(records)} records, credit {', '.join(methods)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
