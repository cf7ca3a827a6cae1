"""The flagship example on a real vocabulary and chat template: examples/math-team, compiled by `mas compile`, trains
two steps on the tiny Qwen3 (its model source replaced by the fixture folder, on the CPU, small batch, group and
max_tokens), and every recorded turn was prompted through the chat template with the agent's system message.
Needs out/cli.cjs (`node esbuild.mjs`)."""

import json
import os

from conftest import REPO_ROOT
from test_example_graphs import _compile

from mas_trainer.rundir import read_records
from mas_trainer.trainer import RunOptions, Trainer

MATH_TEAM = os.path.join(REPO_ROOT, "examples", "math-team", "math-team.mas")


def test_math_team_trains_two_steps_on_chat_prompts(tiny_qwen3_dir, tmp_path):
    spec = _compile(MATH_TEAM, tmp_path)
    assert spec.models[0].format == "chat"  # the example says so
    spec.models[0].source.id = tiny_qwen3_dir
    spec.train.device = "cpu"
    spec.train.steps, spec.train.batch, spec.train.checkpoint_every = 2, 1, 2
    spec.train.algorithm.group = 2
    spec.train.credit.params["fanout"] = [1, 1, 2]  # still counterfactual tree rollouts; 2 leaves
    for agent in spec.agents:
        agent.max_tokens = 4
    run_dir = str(tmp_path / "run")
    Trainer(spec, RunOptions(run_dir)).run()

    systems = {a.name: a.system for a in spec.agents}
    assert all(systems.values())  # every agent of the example writes its own system message
    for step in (1, 2):
        records = read_records(os.path.join(run_dir, "trajectories", f"{step}.jsonl"))
        turns = [t for r in records for t in r["turns"]]
        assert turns
        for turn in turns:
            system, user = turn["messages"]
            assert system == {"role": "system", "content": systems[turn["agent"]]}
            assert user["role"] == "user" and user["content"] in turn["prompt"]
            # Qwen's template: the system block first, the generation prompt last
            assert turn["prompt"].startswith(f"<|im_start|>system\n{systems[turn['agent']]}<|im_end|>\n")
            assert turn["prompt"].endswith("<|im_start|>assistant\n")
            assert turn["nulled"] or len(turn["token_ids"]) <= 4
    metrics = read_records(os.path.join(run_dir, "metrics.jsonl"))
    assert [m["step"] for m in metrics] == [1, 2]
    with open(os.path.join(run_dir, "run.json"), encoding="utf-8") as f:
        assert json.load(f)["spec"]["agents"][0]["system"] == systems["planner"]
