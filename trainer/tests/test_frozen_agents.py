"""Frozen agents (`model: m frozen`): they act in rollouts, are never trained, get no training credit and no
optimizer state; their turns are recorded with `frozen: true` (issue 16, item 4)."""

import copy
import json

import pytest
import torch
from helpers import lazy_team_data
from test_run_dir_schemas import _schema, _validator

from mas_trainer.errors import MasError
from mas_trainer.export import export_run
from mas_trainer.models import build_policies
from mas_trainer.spec import parse_spec
from mas_trainer.trainer import RunOptions, Trainer

LORA = {"kind": "lora", "rank": 4, "alpha": 8, "dropout": 0.0}


def _team(frozen=("idle",), own_model=(), adapter=None, **train):
    """The lazy team with some agents frozen; agents in `own_model` act on a second scratch model of their own."""
    data = lazy_team_data()
    data["models"][0]["adapter"] = adapter
    if own_model:
        other = copy.deepcopy(data["models"][0])
        other["name"] = "other"
        data["models"].append(other)
    for agent in data["agents"]:
        agent["frozen"] = agent["name"] in frozen
        if agent["name"] in own_model:
            agent["model"] = "other"
    data["train"].update({"steps": 2, "batch": 2, "group": 2, **train})
    data["train"]["algorithm"]["group"] = 2
    return parse_spec(data)


def _state(module: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {n: p.detach().clone() for n, p in module.state_dict().items()}


def test_an_older_spec_without_the_field_reads_every_agent_as_trained():
    data = lazy_team_data()
    assert all("frozen" not in a for a in data["agents"])
    assert [a.frozen for a in parse_spec(data).agents] == [False, False, False]


def test_a_frozen_field_that_is_not_a_boolean_is_refused():
    data = lazy_team_data()
    data["agents"][1]["frozen"] = "yes"
    with pytest.raises(MasError, match="frozen must be true or false"):
        parse_spec(data)


def test_a_frozen_agent_on_its_own_model_keeps_bit_identical_weights_and_gets_no_optimizer(tmp_path):
    torch.manual_seed(0)
    trainer = Trainer(_team(frozen=("idle",), own_model=("idle",)), RunOptions(str(tmp_path / "run")))
    frozen_module = trainer.policies["idle"].unit.module
    trained_module = trainer.policies["first"].unit.module
    frozen_before, trained_before = _state(frozen_module), _state(trained_module)
    trainer.run()
    assert trainer.step == 2
    # no unit, optimizer, scheduler or checkpoint file for the model only the frozen agent uses
    assert [u.name for u in trainer.units] == ["tiny"] and set(trainer.optimizers) == {"tiny"}
    assert not any(p.requires_grad for p in frozen_module.parameters())
    after = _state(frozen_module)
    assert all(torch.equal(frozen_before[n], after[n]) for n in frozen_before)
    # the others trained: their weights moved
    assert any(not torch.equal(trained_before[n], t) for n, t in _state(trained_module).items())
    checkpoint = tmp_path / "run" / "checkpoints" / "global_step_2"
    assert not any("other" in str(p.relative_to(checkpoint)) for p in checkpoint.rglob("*"))
    metrics = [json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()]
    assert all(set(m["grad_norm"]) == {"first", "second"} for m in metrics)
    assert all("idle" not in m["credit_mean"] for m in metrics)
    # export writes the trained agents only: a frozen agent has no weights of its own in a checkpoint
    step, exported = export_run(str(tmp_path / "run"), str(tmp_path / "out"))
    assert step == 2 and sorted(e.agent for e in exported) == ["first", "second"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["first", "second"]


def test_a_frozen_agent_sharing_full_weights_acts_with_an_untrained_copy(tmp_path):
    torch.manual_seed(0)
    trainer = Trainer(_team(frozen=("idle",)), RunOptions(str(tmp_path / "run")))
    frozen_module = trainer.policies["idle"].unit.module
    assert frozen_module is not trainer.policies["first"].unit.module
    before = _state(frozen_module)
    assert all(torch.equal(before[n], t) for n, t in _state(trainer.policies["first"].unit.module).items())
    trainer.run()
    assert [u.agents for u in trainer.units] == [["first", "second"]]
    assert all(torch.equal(before[n], t) for n, t in _state(frozen_module).items())
    records = [json.loads(line) for line in (tmp_path / "run" / "trajectories" / "2.jsonl").read_text().splitlines()]
    trajectory_schema = _validator(_schema("run-dir", "trajectory-record.schema.json"))
    _validator(_schema("run-dir", "run.schema.json")).validate(json.loads((tmp_path / "run" / "run.json").read_text()))
    for record in records:
        trajectory_schema.validate(record)
        turns = record["turns"]
        assert [t.get("frozen", False) for t in turns] == [t["agent"] == "idle" for t in turns]
        assert any(t["agent"] == "idle" for t in turns)


def test_a_frozen_agent_on_a_lora_model_acts_with_the_adapter_disabled():
    torch.manual_seed(0)
    policies, units = build_policies(_team(frozen=("idle",), adapter=LORA), torch.device("cpu"), False)
    assert len(units) == 1 and units[0].agents == ["first", "second"]
    frozen = policies["idle"]
    assert frozen.unit is units[0] and frozen.adapter is None and frozen.frozen
    assert set(units[0].module.peft_config) == {"default"}  # no adapter is made for the frozen agent


def test_frozen_agent_samples_match_the_base_with_adapters_disabled(tmp_path):
    torch.manual_seed(0)
    trainer = Trainer(_team(frozen=("idle",), adapter=LORA), RunOptions(str(tmp_path / "run")))
    module = trainer.units[0].module
    with torch.no_grad():  # a non-trivial adapter: acting through it would change the samples
        for n, p in module.named_parameters():
            if "lora_B" in n:
                p.normal_(0, 2.0)
    idle, first = trainer.spec.agent("idle"), trainer.spec.agent("first")
    prompts, keys = ["Cll>", "Cuu>"], [(0, 1), (1, 1)]
    acted = trainer._generate_many([(idle, prompts, keys)])[0]
    mixed = trainer._generate_many([(idle, prompts, keys), (first, prompts, keys)])[0]
    trainer.policies["idle"].frozen = False  # as if it acted through the shared adapter
    trainer.policies["idle"].adapter = "default"
    adapted = trainer._generate_many([(idle, prompts, keys)])[0]
    with module.disable_adapter():
        trainer.policies["idle"].adapter = None
        base = trainer._generate_many([(idle, prompts, keys)])[0]
    assert [r[1] for r in acted] == [r[1] for r in base] == [r[1] for r in mixed]
    assert [r[2] for r in acted] != [r[2] for r in adapted]


def test_difference_credit_still_nulls_the_frozen_agent_and_records_the_rerun(tmp_path):
    torch.manual_seed(0)
    spec = _team(frozen=("idle",), steps=1, record_credit="all")
    spec.train.credit.method = "difference"
    trainer = Trainer(spec, RunOptions(str(tmp_path / "run")))
    trainer.run()
    records = [json.loads(line) for line in (tmp_path / "run" / "trajectories" / "1.jsonl").read_text().splitlines()]
    for record in records:
        nulled = [run["nulled"] for run in record["counterfactuals"]]
        assert ["idle"] in nulled and ["first"] in nulled and ["second"] in nulled
        # the frozen agent's turn is a decision the estimators see (it is part of the team) ...
        idle_turn = next(t["index"] for t in record["turns"] if t["agent"] == "idle")
        assert idle_turn in record["decision_turns"]
        assert len(record["credit"]["difference"]) == len(record["decision_turns"])
    # ... but never trained on: no unit, no grad norm, no mean credit for it
    metrics = json.loads((tmp_path / "run" / "metrics.jsonl").read_text().splitlines()[0])
    assert set(metrics["grad_norm"]) == {"first", "second"} and "idle" not in metrics["credit_mean"]


def test_the_update_gets_no_decision_of_a_frozen_agent(tmp_path, monkeypatch):
    import mas_trainer.trainer as trainer_module

    seen = []
    real_update = trainer_module.update

    def spy(units, policies, optimizers, schedulers, decisions, *args, **kwargs):
        seen.append([d.agent for d in decisions])
        return real_update(units, policies, optimizers, schedulers, decisions, *args, **kwargs)

    monkeypatch.setattr(trainer_module, "update", spy)
    torch.manual_seed(0)
    Trainer(_team(frozen=("idle",), steps=1, adapter=LORA), RunOptions(str(tmp_path / "run"))).run()
    # the token count that normalises the loss is that of the trained agents' decisions only
    assert seen and all(agents and set(agents) <= {"first", "second"} for agents in seen)


@pytest.mark.parametrize("sharing", ["adapter", "weights"])
def test_a_frozen_agents_separate_sharing_is_ignored(sharing):
    """The editor only warns about `adapter separate` on a frozen agent (even on a model without LoRA): the spec loads
    and the agent acts like any frozen agent."""
    data = lazy_team_data()
    data["agents"][1].update(frozen=True, sharing=sharing)
    torch.manual_seed(0)
    policies, units = build_policies(parse_spec(data), torch.device("cpu"), False)
    assert [u.agents for u in units] == [["first", "second"]]
    assert policies["idle"].frozen and policies["idle"].unit not in units


def test_a_run_with_a_frozen_agent_resumes_to_the_same_weights(tmp_path):
    def team():
        return _team(frozen=("idle",), own_model=("idle",), checkpoint_every=1)

    torch.manual_seed(0)
    straight = Trainer(team(), RunOptions(str(tmp_path / "straight")))
    straight.run()
    torch.manual_seed(0)
    Trainer(team(), RunOptions(str(tmp_path / "resumed"), max_steps=1)).run()
    torch.manual_seed(0)
    resumed = Trainer(team(), RunOptions(str(tmp_path / "resumed"), resume=True))
    resumed.run()
    assert resumed.step == straight.step == 2
    for agent in ("first", "idle"):
        a, b = _state(straight.policies[agent].unit.module), _state(resumed.policies[agent].unit.module)
        assert all(torch.equal(a[n], b[n]) for n in a), agent


def test_a_model_only_frozen_agents_use_loads_as_a_frozen_base(monkeypatch):
    """`dtype: auto` gives a frozen base bf16 on a capable GPU: a full-weights model that no agent trains is one."""
    import mas_trainer.models as models

    seen = {}
    scratch = parse_spec(lazy_team_data()).models[0]

    def fake_load(name, model_id, dtype="auto", attention=None, device=None, frozen_base=True):
        seen[name] = frozen_base
        return models.build_base(scratch)

    monkeypatch.setattr(models, "_load_hf", fake_load)
    data = lazy_team_data()
    judge = copy.deepcopy(data["models"][0])
    judge.update(name="judge", source={"kind": "hf", "id": "some/judge"}, adapter=None)
    trained = copy.deepcopy(judge)
    trained.update(name="trained", source={"kind": "hf", "id": "some/policy"})
    data["models"] = [judge, trained]
    for agent in data["agents"]:
        agent.update(model="judge" if agent["name"] == "idle" else "trained", frozen=agent["name"] == "idle")
    build_policies(parse_spec(data), torch.device("cpu"), False)
    assert seen == {"judge": True, "trained": False}
