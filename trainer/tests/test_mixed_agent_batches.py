"""Turns of several agents ready at the same time: the walker hands them to a BatchedGenerate in one call, and the
Trainer samples agents with their own adapters on one base in one forward, with the tokens of separate calls."""

import torch
from helpers import lazy_team_data, scripted_generate

from mas_trainer.rollout import BatchedGenerate, GraphWalker
from mas_trainer.spec import parse_spec
from mas_trainer.trainer import RunOptions, Trainer

LORA = {"kind": "lora", "rank": 4, "alpha": 8, "dropout": 0.0}


def test_the_walker_hands_every_ready_agent_to_one_batched_call():
    spec = parse_spec(lazy_team_data())
    walker = GraphWalker(spec)
    script = scripted_generate(lambda agent, prompt, n: f"{agent}:{prompt}")
    calls = []

    def many(requests):
        calls.append([agent.name for agent, _, _ in requests])
        return [script(agent, prompts, keys) for agent, prompts, keys in requests]

    task = {"a": "l", "b": "u"}
    at_first = walker.start(task, key=0)
    at_idle = walker.step([walker.start(task, key=1)], scripted_generate(lambda a, p, n: "x"))[0]
    stepped = walker.step([at_first, at_idle], BatchedGenerate(script, many))
    assert calls == [["first", "idle"]]
    assert [t.output for t in stepped[0].turns] == ["first:Al>"]
    assert [t.agent for t in stepped[1].turns] == ["first", "idle"] and stepped[1].turns[1].output == "idle:Clu>"


def _adapter_trainer(tmp_path):
    data = lazy_team_data()
    data["models"][0]["adapter"] = LORA
    for agent in data["agents"]:
        agent.update(sharing="adapter", max_tokens=4)
    data["agents"][2]["temperature"] = 0.5
    torch.manual_seed(0)
    trainer = Trainer(parse_spec(data), RunOptions(str(tmp_path / "run")))
    module = trainer.units[0].module
    torch.manual_seed(1)
    with torch.no_grad():
        for name, p in module.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.5)
    return trainer, module


def test_agents_with_own_adapters_share_a_forward_and_keep_their_tokens(tmp_path):
    trainer, module = _adapter_trainer(tmp_path)
    agents = {a.name: a for a in trainer.spec.agents}
    requests = [
        (agents["first"], ["Al>", "Au>", "Al>"], [(0, 0), (1, 0), (2, 0)]),
        (agents["second"], ["Bu>", "Bl>"], [(3, 1), (4, 1)]),
        (agents["idle"], ["Clu>"], [(5, 1)]),
    ]
    prefills = []
    head = module.get_output_embeddings()
    handle = head.register_forward_hook(lambda m, args, out: prefills.append(args[0].shape[0]))
    try:
        together = trainer._generate_many(requests)
        first_calls = list(prefills)
        apart = [trainer._generate(*request) for request in requests]
    finally:
        handle.remove()
    assert first_calls[0] == 6  # one prefill over the rows of all three agents
    for joint, alone in zip(together, apart):
        assert [r[1] for r in joint] == [r[1] for r in alone]
        for a, b in zip(joint, alone):
            assert torch.allclose(torch.tensor(a[2]), torch.tensor(b[2]), atol=1e-5)
    outputs = {tuple(r[1]) for joint in together for r in joint}
    assert len(outputs) > 1


def test_agents_sharing_one_model_share_a_forward(tmp_path):
    data = lazy_team_data()  # every agent `shared` on one scratch model, no adapter
    torch.manual_seed(0)
    trainer = Trainer(parse_spec(data), RunOptions(str(tmp_path / "run")))
    agents = {a.name: a for a in trainer.spec.agents}
    requests = [(agents["first"], ["Al>", "Au>"], [(0, 0), (1, 0)]), (agents["second"], ["Bu>"], [(2, 1)])]
    rows_seen = []
    head = trainer.units[0].module.get_output_embeddings()
    handle = head.register_forward_hook(lambda m, args, out: rows_seen.append(args[0].shape[0]))
    try:
        together = trainer._generate_many(requests)
        apart = [trainer._generate(*request) for request in requests]
    finally:
        handle.remove()
    assert rows_seen[0] == 3 and [[r[1] for r in x] for x in together] == [[r[1] for r in x] for x in apart]
