"""Prints the study's table from bench/results/learning/ and draws the learning curves (PNG).

Usage: trainer/.venv/bin/python bench/learning/report.py [--markdown FILE]
Steps to 90 %: median over the seeds that reached it, with min–max; a seed that never reached it counts as
"> steps" in the ratio against outcome (the ratio of medians over all seeds, unreached ones at the run length).
"""
from __future__ import annotations

import glob
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from figures import learning_phase_spike, moving_mean  # noqa: E402
from tasks import LABELS, REPO, TASKS  # noqa: E402

SPIKE_SHOWN_UP_TO = 1000.0
RESULTS = os.environ.get("MAS_STUDY_RESULTS") or os.path.join(REPO, "bench", "results", "learning")


def load() -> dict[tuple[str, str], list[dict]]:
    runs: dict[tuple[str, str], list[dict]] = {}
    for path in sorted(glob.glob(os.path.join(RESULTS, "*", "*.json"))):
        with open(path, encoding="utf-8") as f:
            r = json.load(f)
        runs.setdefault((r["task"], r["method"]), []).append(r)
    return runs


def _fmt(value, spec=".2f") -> str:
    return "—" if value is None else format(value, spec)


def censored_median(runs: list[dict]) -> float:
    return statistics.median(r["steps_to_threshold"] or r["steps"] + 1 for r in runs)


def rows(runs: dict) -> list[list[str]]:
    out = []
    for task in TASKS:
        base = runs.get((task, "outcome"))
        for method in LABELS:
            rs = runs.get((task, method))
            if not rs:
                continue
            reached = [r["steps_to_threshold"] for r in rs if r["steps_to_threshold"] is not None]
            steps = (f"{statistics.median(reached):g} ({min(reached)}–{max(reached)})" if reached else "—")
            ratio = (f"{censored_median(rs) / censored_median(base):.2f}" if base and method != "outcome" else "")
            finals = [r["final_return"] for r in rs]
            spikes = [r["spike_ratio"] for r in rs if r["spike_ratio"] is not None]
            spike = statistics.median(spikes) if spikes else None
            early = [x for x in (learning_phase_spike(r["grad_norms"], r["steps_to_threshold"]) for r in rs)
                     if x is not None]
            lazy = [r["lazy_credit_share"] for r in rs if r.get("lazy_credit_share") is not None]
            out.append([task, method, f"{len(reached)}/{len(rs)}", steps, ratio,
                        f"{statistics.fmean(finals):.3f} ± {statistics.pstdev(finals):.3f}",
                        # A median near 0 (no gradient on most steps: every rollout of a group scored the same)
                        # makes the ratio meaningless; say so instead of printing 1e10.
                        "median≈0" if spike is not None and spike > SPIKE_SHOWN_UP_TO else _fmt(spike),
                        _fmt(statistics.median(early) if early else None),
                        _fmt(statistics.fmean(lazy) if lazy else None),
                        f"{statistics.fmean(r['wall_s'] for r in rs):.0f}"])
    return out


HEADER = ["task", "credit", "seeds ≥90%", "steps→90% median (min–max)", "× outcome", "final return (mean ± sd)",
          "spike p99/median", "spike while learning", "lazy |credit| share", "s/run"]


def text_table(table: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(HEADER)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths))  # noqa: E731
    return "\n".join([line(HEADER), line(["-" * w for w in widths])] + [line(r) for r in table])


def markdown_table(table: list[list[str]]) -> str:
    return "\n".join(["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
                     + ["| " + " | ".join(r) + " |" for r in table])


def plot(runs: dict, path: str) -> str | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    names = [t for t in TASKS if any(k[0] == t for k in runs)]
    cols = min(4, len(names))
    rows_ = -(-len(names) // cols)
    fig, axes = plt.subplots(rows_, cols, figsize=(4 * cols, 3.4 * rows_), squeeze=False)
    for ax in axes.flat[len(names):]:
        ax.set_visible(False)
    for ax, task in zip(axes.flat, names):
        for k, method in enumerate(LABELS):
            rs = runs.get((task, method))
            if not rs:
                continue
            length = min(len(r["rewards"]) for r in rs)
            mean = [statistics.fmean(r["rewards"][i] for r in rs) for i in range(length)]
            # Styles differ too: estimators that coincide (outcome and agent_normalized with one decision per
            # agent) would otherwise hide each other.
            ax.plot(range(1, length + 1), moving_mean(mean), label=method, linewidth=1.2,
                    color=f"C{k}", linestyle=("-", "--", ":", "-.")[k % 4])
        ax.axhline(0.9 * TASKS[task].optimum, color="grey", linestyle=":", linewidth=0.8)
        ax.set_title(task)
        ax.set_xlabel("step")
        ax.set_ylim(0, 1.05)
    for row in axes:
        row[0].set_ylabel("reward (5-step mean over seeds)")
    axes.flat[len(names) - 1].legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


def main(argv: list[str]) -> None:
    runs = load()
    if not runs:
        print(f"no results in {RESULTS}; run bench/learning/study.py first")
        return
    table = rows(runs)
    print(text_table(table))
    png = plot(runs, os.path.join(RESULTS, "curves.png"))
    print(f"curves: {os.path.relpath(png, REPO)}" if png else "curves: matplotlib is not installed, no PNG")
    if len(argv) == 2 and argv[0] == "--markdown":
        with open(argv[1], "w", encoding="utf-8") as f:
            f.write(markdown_table(table) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
