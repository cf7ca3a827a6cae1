"""The code-team example (examples/code-team, issue 16 item 7): writer -> tester -> fixer rewarded by the built-in
`code_tests` verifier, compiled by `mas compile`, trains two steps on its scratch model through the trainer, with the
verifier running in the real sandboxed worker pool. Its data is checked too: every task's reference solution passes
all of its tests, and code that is wrong fails them. Needs out/cli.cjs (`node esbuild.mjs`)."""

import json
import os

from conftest import REPO_ROOT
from test_example_graphs import _compile

from mas_trainer.rundir import read_records
from mas_trainer.trainer import RunOptions, Trainer
from mas_trainer.verifiers.code_tests import code_tests

EXAMPLE = os.path.join(REPO_ROOT, "examples", "code-team")


def test_every_task_has_tests_its_reference_solution_passes_and_wrong_code_fails():
    with open(os.path.join(EXAMPLE, "data", "tasks.jsonl"), encoding="utf-8") as f:
        tasks = [json.loads(line) for line in f if line.strip()]
    assert len(tasks) >= 8
    for task in tasks:
        assert task["tests"].count("assert ") >= 2, task["prompt"]
        assert code_tests(task["solution"], task["tests"]) == 1.0, task["prompt"]
        # the tests call the function the solution defines: one that returns None fails at least one of them
        name = task["solution"].split("(")[0].removeprefix("def ")
        assert code_tests(f"def {name}(*args):\n    return None\n", task["tests"]) < 1.0, task["prompt"]


def test_the_code_team_trains_two_steps_rewarded_by_code_tests(tmp_path):
    spec = _compile(os.path.join(EXAMPLE, "code-team.mas"), tmp_path)
    assert [a.name for a in spec.agents] == ["writer", "tester", "fixer"]
    exprs = [c.expr for c in spec.rubrics[0].criteria]
    assert [(e["op"], e["name"]) for e in exprs] == [("verifier", "code_tests")] * 2  # the built-in, no declaration
    spec.train.steps, spec.train.batch, spec.train.checkpoint_every = 2, 1, 2
    spec.train.algorithm.group = 2
    for agent in spec.agents:
        agent.max_tokens = 8
    run_dir = str(tmp_path / "run")
    Trainer(spec, RunOptions(run_dir)).run()

    metrics = read_records(os.path.join(run_dir, "metrics.jsonl"))
    assert [m["step"] for m in metrics] == [1, 2]
    for m in metrics:
        assert set(m["criteria"]) == {"final", "draft"}
        assert m["verifier_errors"] == {"code_tests": 0}  # random code scores 0 (it fails), never null
    for step in (1, 2):
        records = read_records(os.path.join(run_dir, "trajectories", f"{step}.jsonl"))
        assert len(records) == 2  # 1 task x group 2
        for record in records:
            assert [t["agent"] for t in record["turns"]] == ["writer", "tester", "fixer"]
            assert set(record["criteria"]) == {"final", "draft"}
            assert all(0.0 <= record["criteria"][c] <= 1.0 for c in ("final", "draft"))
            # trained with difference credit; a 3-agent team records the cheap estimators beside it
            assert set(record["credit"]) == {"difference", "outcome", "agent_normalized", "turn_level"}
