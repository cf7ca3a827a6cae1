"""Issue 16 item 7, the judge half: examples/math-team-judged (math_equal + a frozen judge for style), compiled by
`mas compile`, trains two steps on the tiny Qwen3 (both models' sources replaced by the fixture folder, CPU, small
batch, group and max_tokens) with the real verifier pool; then the judge on the agents' own LoRA model (adapters off,
no second copy). Needs out/cli.cjs (`node esbuild.mjs`)."""

import os

import torch
from conftest import REPO_ROOT
from test_example_graphs import _compile

from mas_trainer.judge_backends import LazyBackend, LocalChatModel
from mas_trainer.judge_cache import CACHE_DIR, CACHE_FILE, JudgeCache
from mas_trainer.rundir import read_records
from mas_trainer.trainer import RunOptions, Trainer

EXAMPLE = os.path.join(REPO_ROOT, "examples", "math-team-judged", "math-team-judged.mas")


def _small(spec, model_dir, steps):
    for model in spec.models:
        model.source.id = model_dir
    spec.train.device = "cpu"
    spec.train.steps, spec.train.batch, spec.train.checkpoint_every = steps, 1, steps
    spec.train.algorithm.group = 2
    spec.train.verifier_workers = 1
    for agent in spec.agents:
        agent.max_tokens = 4
    return spec


def test_math_team_judged_trains_two_steps_with_math_equal_and_a_frozen_judge(tiny_qwen3_dir, tmp_path):
    spec = _small(_compile(EXAMPLE, tmp_path), tiny_qwen3_dir, steps=2)
    judged = [(c.name, c.judge.model) for c in spec.rubric(spec.reward.rubric).criteria if c.judge is not None]
    assert judged == [("style", "grader")]
    run_dir = str(tmp_path / "run")
    trainer = Trainer(spec, RunOptions(run_dir))
    assert trainer.judges is not None
    lazy = trainer.judges.backends["grader"]
    assert isinstance(lazy, LazyBackend)
    grader = lazy.get()
    assert isinstance(grader, LocalChatModel) and not grader.disable_adapter
    before = [p.detach().clone() for p in grader.module.parameters()]
    trainer.run()
    assert all(torch.equal(a, b) for a, b in zip(before, grader.module.parameters()))  # frozen

    metrics = read_records(os.path.join(run_dir, "metrics.jsonl"))
    assert [m["step"] for m in metrics] == [1, 2]
    for m in metrics:
        records = read_records(os.path.join(run_dir, "trajectories", f"{m['step']}.jsonl"))
        assert len(records) == 2 and all({"answer", "style"} <= set(r["criteria"]) for r in records)
        assert all(0.0 <= r["criteria"]["style"] <= 1.0 for r in records)
        failed = sum(r["criteria_errors"].get("style") == "judge_error" for r in records)
        assert m["judge_errors"] == {"style": failed}  # every null judge score is counted, and only those
        assert set(m["verifier_errors"]) == {"math_equal"}
    cache = JudgeCache(run_dir)
    assert os.path.isfile(os.path.join(run_dir, CACHE_DIR, CACHE_FILE)) and cache.answers and cache.ignored == 0


def test_a_judge_on_the_agents_lora_model_uses_the_base_weights(tiny_qwen3_dir, tmp_path):
    spec = _small(_compile(EXAMPLE, tmp_path), tiny_qwen3_dir, steps=1)
    for c in spec.rubric(spec.reward.rubric).criteria:
        if c.judge is not None:
            c.judge.model = "base"
    trainer = Trainer(spec, RunOptions(str(tmp_path / "run")))
    assert trainer.judges is not None
    lazy = trainer.judges.backends["base"]
    assert isinstance(lazy, LazyBackend)
    judge = lazy.get()
    assert isinstance(judge, LocalChatModel) and judge.disable_adapter
    assert judge.module is trainer.units[0].module  # no second copy of the model
    trainer.run()
    metrics = read_records(os.path.join(str(tmp_path / "run"), "metrics.jsonl"))
    assert [m["step"] for m in metrics] == [1] and "style" in metrics[0]["judge_errors"]
