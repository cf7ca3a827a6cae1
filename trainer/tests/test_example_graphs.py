"""Rollouts on every example graph: each examples/*/*.mas that `mas compile` turns into a RunSpec loads (spec and
dataset), walks its graph to the end within its loop bounds, scores its rubric and gets credit for every decision.
Generation is scripted (no model is built), so hf examples run too. Needs out/cli.cjs (`node esbuild.mjs`)."""

import glob
import math
import os
import shutil
import subprocess

import pytest
from conftest import REPO_ROOT
from helpers import scripted_generate

from mas_trainer.credit import GROUP_METHODS
from mas_trainer.credit_step import step_credit
from mas_trainer.data import load_dataset
from mas_trainer.expr import Evaluator
from mas_trainer.rewards import decisions, score_rollout
from mas_trainer.rollout import GraphWalker
from mas_trainer.spec import load_spec

CLI = os.path.join(REPO_ROOT, "out", "cli.cjs")
EXAMPLES = sorted(glob.glob(os.path.join(REPO_ROOT, "examples", "*", "*.mas")))
GROUP = 2
# Outputs that take both branches of typical conditions (REVISE/ACCEPT loops, boxed answers, empty text).
OUTPUTS = ["REVISE", "ACCEPT \\boxed{1}", "", "a", "1"]


def _compile(path, tmp_path):
    if not os.path.exists(CLI) or shutil.which("node") is None:
        pytest.skip("out/cli.cjs is not built (node esbuild.mjs)")
    out = tmp_path / "spec.json"
    proc = subprocess.run(["node", CLI, "compile", path, "-o", str(out)], capture_output=True, text=True)
    library_codes = ("incomplete-workflow", "compile-missing-declaration")  # no graph/reward/train of its own
    if proc.returncode != 0 and any(code in proc.stdout + proc.stderr for code in library_codes):
        pytest.skip(f"{os.path.basename(path)} is a library, not a trainable workflow")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return load_spec(str(out))


def test_there_are_examples_to_walk():
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: os.path.relpath(p, os.path.join(REPO_ROOT, "examples")))
def test_example_graph_walks_scores_and_gets_credit(path, tmp_path):
    spec = _compile(path, tmp_path)
    rows = load_dataset(next(d for d in spec.datasets if d.name == spec.train.dataset))
    tasks = [row for row in rows[:2] for _ in range(GROUP)]
    evaluator = Evaluator()
    generate = scripted_generate(lambda agent, prompt, n: OUTPUTS[n % len(OUTPUTS)])
    states = GraphWalker(spec, evaluator).run(tasks, generate)
    agents = {a.name for a in spec.agents}
    for state in states:
        assert state.done and state.stop_reason in ("end", "no_edge", "max_turns")
        assert state.turns and {t.agent for t in state.turns} <= agents
        assert len(state.turns) <= spec.train.max_turns
        for i, uses in state.edge_uses.items():
            bound = spec.edges[i].max
            assert bound is None or uses <= bound, (spec.edges[i], uses)
    rubric = spec.rubric(spec.reward.rubric)
    scores = [score_rollout(s, rubric, spec.reward.level, evaluator) for s in states]
    assert all(math.isfinite(s.reward) for s in scores)
    method = spec.train.credit.method
    if method not in GROUP_METHODS:
        method = "outcome"  # tree / nulled / critic estimators are another suite's; the group path still runs
        params = {}
    else:
        params = spec.train.credit.params
    credit = step_credit(method, states, scores, GROUP, params)
    assert [len(c) for c in credit] == [len(decisions(s)) for s in states]
    assert all(math.isfinite(x) for c in credit for x in c)
