import pytest
from helpers import lazy_team_data, scripted_generate, with_graph

from mas_trainer.rollout import GraphWalker
from mas_trainer.spec import parse_spec


def _contains(agent, text):
    return {"op": "contains", "left": {"op": "output", "agent": agent}, "right": {"op": "str", "value": text}}


def _loop_spec(max_loop, max_turns=20):
    data = lazy_team_data()
    # first -> second; second -> first while "AGAIN" (bounded), else end
    edges = [
        {"from": "start", "to": "first", "condition": None, "max": None},
        {"from": "first", "to": "second", "condition": None, "max": None},
        {"from": "second", "to": "first", "condition": _contains("second", "AGAIN"), "max": max_loop},
        {"from": "second", "to": "end", "condition": None, "max": None},
    ]
    data = with_graph(data, edges, [a for a in data["agents"] if a["name"] != "idle"])
    data["train"]["max_turns"] = max_turns
    return parse_spec(data)


def test_walk_renders_templates_and_records_every_turn():
    spec = parse_spec(lazy_team_data())
    gen = scripted_generate(lambda agent, prompt, n: prompt.upper())
    states = GraphWalker(spec).run([{"a": "l", "b": "u"}, {"a": "u", "b": "u"}], gen)
    assert [t.agent for t in states[0].turns] == ["first", "idle", "second"]
    assert [t.prompt for t in states[0].turns] == ["Al>", "Clu>", "Bu>"]
    assert states[1].outputs["second"] == "BU>"
    assert states[0].turns[1].role == "Idle" and states[0].stop_reason == "end"
    # batched per agent: one call per agent for both rollouts
    assert gen.calls == {"first": 2, "idle": 2, "second": 2}


def test_loop_bound_is_respected():
    spec = _loop_spec(max_loop=2)
    states = GraphWalker(spec).run([{"a": "l", "b": "l"}], scripted_generate(lambda a, p, n: "AGAIN"))
    assert [t.agent for t in states[0].turns] == ["first", "second"] * 3
    assert states[0].stop_reason == "end"


def test_conditional_edge_exits_the_loop():
    spec = _loop_spec(max_loop=5)
    gen = scripted_generate(lambda a, p, n: "AGAIN" if (a == "second" and n == 0) else "ok")
    states = GraphWalker(spec).run([{"a": "l", "b": "l"}], gen)
    assert [t.agent for t in states[0].turns] == ["first", "second", "first", "second"]


def test_global_turn_limit():
    spec = _loop_spec(max_loop=100, max_turns=5)
    states = GraphWalker(spec).run([{"a": "l", "b": "l"}], scripted_generate(lambda a, p, n: "AGAIN"))
    assert len(states[0].turns) == 5 and states[0].stop_reason == "max_turns"


def test_nulled_agent_uses_its_null_behaviour_and_is_not_a_decision():
    data = lazy_team_data()
    data["agents"][1]["null_behaviour"] = {"kind": "text", "text": "zz"}
    spec = parse_spec(data)
    gen = scripted_generate(lambda a, p, n: "x")
    states = GraphWalker(spec).run([{"a": "l", "b": "u"}], gen, nulled=frozenset({"idle"}))
    idle = states[0].turns[1]
    assert idle.nulled and idle.output == "zz" and "idle" not in gen.calls


def test_replay_from_frozen_context_resamples_only_downstream():
    spec = parse_spec(lazy_team_data())
    walker = GraphWalker(spec)
    first = walker.run([{"a": "l", "b": "u"}], scripted_generate(lambda a, p, n: f"{a}-1"))[0]
    frozen = walker.rewind(first, 1)  # after `first` spoke
    assert frozen.outputs == {"first": "first-1"} and frozen.next_agent == "idle"
    replayed = walker.resume([frozen], scripted_generate(lambda a, p, n: f"{a}-2"))[0]
    assert [t.output for t in replayed.turns] == ["first-1", "idle-2", "second-2"]
    assert [t.output for t in first.turns] == ["first-1", "idle-1", "second-1"]  # the original is untouched


def test_step_does_not_mutate_its_input():
    spec = parse_spec(lazy_team_data())
    walker = GraphWalker(spec)
    start = walker.start({"a": "l", "b": "u"})
    after = walker.step([start], scripted_generate(lambda a, p, n: "q"))[0]
    assert start.turns == [] and len(after.turns) == 1


@pytest.mark.parametrize("level", ["trajectory", "turn", "agent"])
def test_reward_levels(level):
    from mas_trainer.expr import Evaluator
    from mas_trainer.rewards import score_rollout

    spec = parse_spec(lazy_team_data())
    state = GraphWalker(spec).run(
        [{"a": "l", "b": "u"}], scripted_generate(lambda a, p, n: {"first": "q", "idle": "??", "second": "Z"}[a])
    )[0]
    score = score_rollout(state, spec.rubrics[0], level, Evaluator())
    assert score.criteria == {"first_case": 1.0, "second_case": 1.0} and score.success
    if level == "trajectory":
        assert score.reward == 1.0 and score.decision_rewards == [None] * 3
    elif level == "turn":
        # after `first` only the first part holds; from `second` on both do
        assert score.decision_rewards == [0.5, 0.5, 1.0] and score.reward == 2.0
    else:
        assert score.decision_rewards == [1.0, 1.0, 1.0] and score.reward == 1.0


def test_rewind_replays_past_a_skipped_agent():
    data = lazy_team_data()
    data["agents"][1]["null_behaviour"] = {"kind": "skip"}
    spec = parse_spec(data)
    walker = GraphWalker(spec)
    done = walker.run([{"a": "l", "b": "u"}], scripted_generate(lambda a, p, n: f"{a}-1"), nulled=frozenset({"idle"}))[
        0
    ]
    assert [t.agent for t in done.turns] == ["first", "second"] and done.visits == ["first", "idle", "second"]
    frozen = walker.rewind(done, 1)
    assert frozen.next_agent == "idle" and frozen.outputs == {"first": "first-1"}
    replayed = walker.resume([frozen], scripted_generate(lambda a, p, n: f"{a}-2"))[0]
    assert [t.output for t in replayed.turns] == ["first-1", "second-2"]


def test_a_criterion_that_raises_scores_zero_and_records_its_error():
    from mas_trainer.expr import Evaluator
    from mas_trainer.rewards import score_rollout

    data = lazy_team_data()
    data["rubrics"][0]["criteria"][1]["expr"] = {
        "op": "<",
        "left": {"op": "num", "value": 1},
        "right": {"op": "str", "value": "x"},
    }
    spec = parse_spec(data)
    state = GraphWalker(spec).run([{"a": "l", "b": "u"}], scripted_generate(lambda a, p, n: "q"))[0]
    score = score_rollout(state, spec.rubrics[0], "trajectory", Evaluator())
    assert score.criteria == {"first_case": 1.0, "second_case": 0.0} and score.reward == 0.5
    assert score.errors == {"second_case": "type_error"}
