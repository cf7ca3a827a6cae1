"""How much of the relay solver's value-assisted C3 credit lands on tied sibling pairs (issue 17).

With C3's sibling standardisation a node's credit is the standardised V_i + Q_i/(n-1): when two solver siblings
score the same (a wrong plan: both 0), reward-only credit is 0 but value-assisted credit is about +-1, decided by
the critic's Q alone. This prints, per block of steps, the share of the solver's |credit| given on tied pairs whose
answers differ, and how often that credit favoured the answer in the plan's case (the one that would pay).

Usage: trainer/.venv/bin/python bench/learning/va_ties.py RUN_DIR   (a relay run with counterfactual credit and
fan-out [4, 2]: add `variant: value_assisted` to examples/relay/relay.mas's credit, then `node out/cli.cjs compile`
it and `python -m mas_trainer run --spec ... --run-dir RUN_DIR`)
"""
from __future__ import annotations

import glob
import json
import os
import sys


def _case(text: str) -> str:
    return "u" if text[:1].isupper() else "l" if text[:1].islower() else "-"


def pairs(run_dir: str):
    """(step, tied, differ, credit of leaf a, credit of leaf b, plan case, answer cases) per solver sibling pair."""
    for path in glob.glob(os.path.join(run_dir, "trajectories", "*.jsonl")):
        with open(path, encoding="utf-8") as f:
            recs = [json.loads(line) for line in f if line.strip()]
        by_group: dict[int, list[dict]] = {}
        for rec in recs:
            by_group.setdefault(rec["group"], []).append(rec)
        for group in by_group.values():
            group.sort(key=lambda r: r["sample"])
            for a, b in zip(group[0::2], group[1::2]):
                ca, cb = a["credit"]["counterfactual"][1], b["credit"]["counterfactual"][1]
                plan = _case(a["turns"][0]["output"])
                answers = (_case(a["turns"][1]["output"]), _case(b["turns"][1]["output"]))
                yield a["step"], a["reward"] == b["reward"], answers[0] != answers[1], ca, cb, plan, answers


def main(run_dir: str, block: int = 20) -> None:
    rows: dict[int, list] = {}
    for p in pairs(run_dir):
        rows.setdefault(p[0] // block, []).append(p)
    print("steps     solver |credit| on tied pairs   tied pairs with differing answers   tie credit to the plan's case")
    for k in sorted(rows):
        total = sum(abs(a) + abs(b) for _, _, _, a, b, _, _ in rows[k]) or 1.0
        tied = [p for p in rows[k] if p[1] and p[2]]
        on_ties = sum(abs(a) + abs(b) for _, _, _, a, b, _, _ in tied)
        judged = [p for p in tied if p[5] in p[6] and abs(p[3]) > 1e-9]
        right = sum(1 for p in judged if (p[3] > 0) == (p[6][0] == p[5]))
        share = f"{right}/{len(judged)}" if judged else "—"
        print(f"{k * block:3}–{k * block + block - 1:<3}   {on_ties / total:>28.2f}   {len(tied):>33}   {share:>28}")


if __name__ == "__main__":
    main(sys.argv[1])
