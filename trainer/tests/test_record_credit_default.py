"""A small team records every cheap estimator by default (issue 15 item 3): a 3-agent scratch workflow whose train
block leaves `record_credit` out, compiled by `mas compile`, records outcome, agent_normalized and turn_level beside
its training estimator in every trajectory record. The compiler decides (server/src/language/catalog/record-credit.ts);
its "cheap" must be the trainer's GROUP_METHODS. Needs out/cli.cjs (`node esbuild.mjs`)."""

import os

from test_example_graphs import _compile

from mas_trainer.credit import GROUP_METHODS
from mas_trainer.rundir import read_records
from mas_trainer.trainer import RunOptions, Trainer

# TS twin: SMALL_TEAM_AGENTS in server/src/language/catalog/record-credit.ts
SMALL_TEAM_AGENTS = 4


def _team(tmp_path, agents: int, train: str) -> str:
    names = [f"a{i}" for i in range(agents)]
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "tasks.jsonl").write_text('{"q": "x"}\n{"q": "y"}\n', encoding="utf-8")
    lines = [
        "workflow Team",
        'dataset tasks from "tasks.jsonl" { q: string }',
        "model tiny { from: scratch(layers: 1, hidden: 16, heads: 2, context: 32, vocab: chars) }",
        "role R",
        *(f'agent {n}: R {{ model: tiny  prompt: "{{{{task.q}}}}>"  max_tokens: 1 }}' for n in names),
        f"graph {{ start -> {' -> '.join(names)} -> end }}",
        f'rubric r {{ criterion hit weight 1: {names[0]}.output == "x" }}',
        "reward team: r per trajectory",
        f"train {{ {train} }}",
    ]
    path = tmp_path / "team.mas"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_a_three_agent_scratch_run_records_every_cheap_estimator(tmp_path):
    train = "algorithm: grpo(group: 2)  credit: difference  steps: 1  batch: 2  device: cpu  checkpoint_every: 1"
    spec = _compile(_team(tmp_path, 3, train), tmp_path)
    assert spec.train.record_credit == list(GROUP_METHODS) == ["outcome", "agent_normalized", "turn_level"]
    run_dir = tmp_path / "run"
    Trainer(spec, RunOptions(str(run_dir))).run()
    records = read_records(os.path.join(run_dir, "trajectories", "1.jsonl"))
    assert len(records) == 4  # 2 tasks x group 2
    for record in records:
        assert set(record["credit"]) == {"difference", *GROUP_METHODS}
        for method, credit in record["credit"].items():
            assert len(credit) == len(record["decision_turns"]), method


def test_a_larger_team_or_an_explicit_setting_records_only_what_it_says(tmp_path):
    big = _compile(_team(tmp_path / "big", SMALL_TEAM_AGENTS + 1, "steps: 1"), tmp_path / "big")
    assert big.train.record_credit == "none"
    explicit = _compile(_team(tmp_path / "none", 3, "steps: 1  record_credit: none"), tmp_path / "none")
    assert explicit.train.record_credit == "none"
