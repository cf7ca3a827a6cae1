"""Shared builders for the trainer tests (tiny specs, fake generation)."""

import copy
import json
import os

from conftest import FIXTURES

from mas_trainer.spec import parse_spec

LAZY_TEAM = os.path.join(FIXTURES, "lazy-team.spec.json")


def lazy_team_data() -> dict:
    with open(LAZY_TEAM, encoding="utf-8") as f:
        data = json.load(f)
    data["datasets"][0]["path"] = os.path.join(FIXTURES, "lazy-team.jsonl")
    return data


def lazy_team(**train):
    data = lazy_team_data()
    data["train"].update(train)
    return parse_spec(data)


def scripted_generate(script):
    """A GenerateFn whose outputs come from script(agent_name, prompt, call_count) -> str."""
    calls = {}

    def generate(agent, prompts, keys):
        out = []
        for p in prompts:
            n = calls.get(agent.name, 0)
            calls[agent.name] = n + 1
            text = script(agent.name, p, n)
            out.append(([1], [ord(c) for c in text], [0.0] * len(text), text))
        return out

    generate.calls = calls
    return generate


def with_graph(data: dict, edges: list, agents=None) -> dict:
    data = copy.deepcopy(data)
    if agents is not None:
        data["agents"] = agents
    data["graph"]["edges"] = edges
    return data
