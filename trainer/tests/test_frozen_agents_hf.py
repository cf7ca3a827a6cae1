"""A frozen agent on a real LoRA model (the tiny Qwen3 with the real tokenizer and chat template): the math-team
example with its planner frozen trains two steps; the planner acts with the adapters disabled (peft's __base__ rows
next to the trained agents' adapters in one batch) and is in no update. Needs out/cli.cjs (`node esbuild.mjs`)."""

import os

import torch
from conftest import REPO_ROOT
from test_example_graphs import _compile

from mas_trainer.rundir import read_records
from mas_trainer.trainer import RunOptions, Trainer

MATH_TEAM = os.path.join(REPO_ROOT, "examples", "math-team", "math-team.mas")


def test_a_frozen_planner_on_the_tiny_qwen3_acts_with_the_base_and_is_never_updated(tiny_qwen3_dir, tmp_path):
    spec = _compile(MATH_TEAM, tmp_path)
    spec.models[0].source.id = tiny_qwen3_dir
    spec.train.device = "cpu"
    spec.train.steps, spec.train.batch, spec.train.checkpoint_every = 2, 1, 2
    spec.train.algorithm.group = 2
    spec.train.credit.params["fanout"] = [1, 1, 2]
    for agent in spec.agents:
        agent.max_tokens = 4
    spec.agent("planner").frozen = True
    torch.manual_seed(0)
    trainer = Trainer(spec, RunOptions(str(tmp_path / "run")))
    assert spec.models[0].adapter is not None and [u.agents for u in trainer.units] == [["solver", "verifier"]]
    assert trainer.policies["planner"].unit is trainer.units[0] and trainer.policies["planner"].adapter is None
    module = trainer.units[0].module
    with torch.no_grad():  # non-trivial adapters, so acting through one would change the planner's samples
        for n, p in module.named_parameters():
            if "lora_B" in n:
                p.normal_(0, 1.0)
    planner, solver = spec.agent("planner"), spec.agent("solver")
    prompts, keys = ["What is 2 + 3?", "Plan: add"], [(0, 0), (1, 0)]
    together = trainer._generate_many([(planner, prompts, keys), (solver, prompts, keys)])[0]
    with module.disable_adapter():
        policy = trainer.policies["planner"]
        policy.frozen = False  # sample it as a plain base-model agent would be
        base = trainer._generate_many([(planner, prompts, keys)])[0]
        policy.frozen = True
    assert [r[1] for r in together] == [r[1] for r in base]

    trainer.run()
    run_dir = str(tmp_path / "run")
    for step in (1, 2):
        for record in read_records(os.path.join(run_dir, "trajectories", f"{step}.jsonl")):
            assert all(t.get("frozen", False) == (t["agent"] == "planner") for t in record["turns"])
    for metrics in read_records(os.path.join(run_dir, "metrics.jsonl")):
        assert set(metrics["grad_norm"]) == {"solver", "verifier"} and "planner" not in metrics["credit_mean"]
