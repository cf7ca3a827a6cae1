"""Tree rollouts (counterfactual), nulled re-runs (difference / Shapley), Shapley's efficiency, and a short training
run with each of the three estimators on the lazy-team fixture."""

import itertools
import json
import math
import random

import pytest
from helpers import lazy_team, lazy_team_data

from mas_trainer.credit import CreditGroup, MissingRuns, compute_credit
from mas_trainer.credit.counterfactual import tree_parent
from mas_trainer.credit.shapley import exact_shapley, sampled_shapley
from mas_trainer.credit.types import Decision, Rollout
from mas_trainer.credit_reruns import run_nulled, tree_rollouts
from mas_trainer.credit_step import build_group
from mas_trainer.errors import MasError
from mas_trainer.expr import Evaluator
from mas_trainer.rewards import score_rollout
from mas_trainer.rollout import GraphWalker
from mas_trainer.spec import parse_spec
from mas_trainer.trainer import RunOptions, Trainer


def keyed_generate(log):
    """Outputs name the sampling key and turn, so a test can see which rollout key produced each message."""

    def generate(agent, prompts, keys):
        log.extend(keys)
        return [([1], [1], [0.0], f"{agent.name[0]}{key}.{turn}") for key, turn in keys]

    return generate


def test_tree_parents_and_branch_turns():
    assert [tree_parent(i, [2, 4]) for i in range(8)] == [
        (None, 0),
        (0, 1),
        (0, 1),
        (0, 1),
        (0, 0),
        (4, 1),
        (4, 1),
        (4, 1),
    ]
    assert [tree_parent(i, [2, 2, 2])[0] for i in range(8)] == [None, 0, 0, 2, 0, 4, 4, 6]


@pytest.mark.parametrize("fanout", [[2, 4], [2, 2, 2], [3, 1, 2], [8]])
def test_tree_rollouts_share_prefixes_and_own_each_node_once(fanout):
    spec = lazy_team()
    log = []
    leaves = tree_rollouts(
        GraphWalker(spec), [{"a": "l", "b": "u"}, {"a": "u", "b": "l"}], fanout, keyed_generate(log), first_key=100
    )
    group = math.prod(fanout)
    assert len(leaves) == 2 * group
    for i, leaf in enumerate(leaves):
        base = (i // group) * group
        assert len(leaf.turns) == 3 and leaf.done
        if leaf.parent is None:
            assert i % group == 0 and leaf.shared_turns == 0
            continue
        parent = leaves[base + leaf.parent]
        shared = leaf.shared_turns
        assert [t.output for t in leaf.turns[:shared]] == [t.output for t in parent.turns[:shared]]
        assert leaf.turns[shared].output != parent.turns[shared].output  # the branch point resampled
    # one generation per tree node: fanout[0] + fanout[0]*fanout[1] + ... (+ the leaves' later turns)
    nodes = sum(math.prod(fanout[: d + 1]) for d in range(3))
    assert len(log) == 2 * nodes
    owned = sum(len(leaf.turns) - leaf.shared_turns for leaf in leaves)
    assert owned == 2 * nodes
    # leaf 0 of each group is the ordinary rollout with its key (same key on every turn)
    assert [t.output for t in leaves[0].turns] == ["f100.0", "i100.1", "s100.2"]


def _case_script(first_ok, second_ok):
    """first / second answer in the right case (or not); idle says anything: keyed by the agent only."""

    def generate(agent, prompts, keys):
        out = []
        for prompt, _ in zip(prompts, keys):
            wanted_upper = prompt[1] == "u"
            ok = {"first": first_ok, "second": second_ok}.get(agent.name, True)
            letter = "x" if wanted_upper != ok else "X"
            out.append(([1], [1], [0.0], letter))
        return out

    return generate


def _rerun(spec, methods, params, generate):
    walker, evaluator, rubric = GraphWalker(spec), Evaluator(), spec.rubric(spec.reward.rubric)
    states = walker.run([{"a": "l", "b": "u"}] * 2, generate)
    scores = [score_rollout(s, rubric, spec.reward.level, evaluator) for s in states]
    n = run_nulled(
        walker,
        states,
        methods,
        params,
        generate,
        lambda s: score_rollout(s, rubric, spec.reward.level, evaluator).reward,
        seed=1,
        step=0,
    )
    return states, scores, n


def test_difference_gives_the_lazy_agent_nothing():
    spec = lazy_team()
    states, scores, n = _rerun(spec, ["difference"], {}, _case_script(first_ok=True, second_ok=False))
    assert n == 2 * 3 and scores[0].reward == 0.5
    credit = compute_credit("difference", build_group(states, scores), {})
    agents = [t.agent for t in states[0].turns]
    assert dict(zip(agents, credit[0])) == {"first": 0.5, "idle": 0.0, "second": 0.0}


@pytest.mark.parametrize("kind,expected_turns", [("empty", 3), ("skip", 2), ("text", 3)])
def test_reruns_apply_the_declared_null_behaviour(kind, expected_turns):
    data = lazy_team_data()
    data["agents"][0]["null_behaviour"] = {"kind": "text", "text": "Q"} if kind == "text" else {"kind": kind}
    spec = parse_spec(data)
    walker, seen = GraphWalker(spec), []
    gen = _case_script(True, True)
    state = walker.run([{"a": "u", "b": "u"}], gen)[0]
    run_nulled(
        walker,
        [state],
        ["difference"],
        {},
        gen,
        lambda s: (seen.append(s), score_rollout(s, spec.rubric("cases"), "trajectory", Evaluator()).reward)[1],
        seed=0,
        step=0,
    )
    nulled_first = next(s for s in seen if s.nulled == frozenset({"first"}))
    assert len(nulled_first.turns) == expected_turns
    # "Q" is upper case, so the fixed text still earns first's criterion; empty and skip do not
    assert state.counterfactuals[("first",)] == (1.0 if kind == "text" else 0.5)


def test_shapley_exact_reruns_sum_to_v_n_minus_v_empty():
    spec = lazy_team()
    states, scores, n = _rerun(spec, ["shapley", "difference"], {}, _case_script(True, True))
    assert n == 2 * 7  # every proper coalition; difference's singletons are among them
    group = build_group(states, scores)
    credit = compute_credit("shapley", group, {})
    per_agent = dict(zip([t.agent for t in states[0].turns], credit[0]))
    assert per_agent["idle"] == pytest.approx(0.0)
    assert sum(per_agent.values()) == pytest.approx(
        scores[0].reward - states[0].counterfactuals[("first", "idle", "second")]
    )
    assert compute_credit("difference", group, {})[0] == pytest.approx([0.5, 0.0, 0.5])


def _random_game(team, rng):
    values = {frozenset(s): rng.uniform(-1, 1) for k in range(len(team) + 1) for s in itertools.combinations(team, k)}
    return lambda included: values[frozenset(included)]


@pytest.mark.parametrize("n", [1, 2, 3, 5, 6])
def test_exact_shapley_efficiency_on_random_games(n):
    rng = random.Random(n)
    team = [f"a{i}" for i in range(n)]
    for _ in range(20):
        v = _random_game(team, rng)
        assert sum(exact_shapley(team, v).values()) == pytest.approx(v(team) - v([]), abs=1e-12)


def test_sampled_shapley_efficiency_and_convergence():
    rng = random.Random(7)
    team = [f"a{i}" for i in range(5)]
    v = _random_game(team, rng)
    orders = [rng.sample(team, len(team)) for _ in range(4000)]
    sampled = sampled_shapley(team, orders, v)
    assert sum(sampled.values()) == pytest.approx(v(team) - v([]), abs=1e-9)
    exact = exact_shapley(team, v)
    assert max(abs(sampled[k] - exact[k]) for k in team) < 0.05  # 4000 orders: error ~ 1/sqrt(4000) scale


def test_sampled_shapley_through_the_estimator_sums_per_rollout():
    team = [f"a{i}" for i in range(8)]
    rng = random.Random(3)
    v = _random_game(team, rng)
    orders = [rng.sample(team, 8) for _ in range(10)]
    needed = {tuple(sorted(o[c:])) for o in orders for c in range(8)}
    rollout = Rollout(
        [Decision(a, j) for j, a in enumerate(team)], v(team), {k: v(set(team) - set(k)) for k in needed}, orders
    )
    credit = compute_credit("shapley", CreditGroup([rollout]), {})[0]
    assert sum(credit) == pytest.approx(v(team) - v([]), abs=1e-9)
    with pytest.raises(MissingRuns, match="no re-run with"):
        compute_credit("shapley", CreditGroup([rollout]), {"mode": "exact"})


def test_counterfactual_refuses_a_group_that_is_not_the_tree():
    group = CreditGroup.from_rollouts([([("a", 0, None)], 1.0)] * 4)
    with pytest.raises(ValueError, match="fan-out product"):
        compute_credit("counterfactual", group, {"fanout": [2, 4]})
    with pytest.raises(ValueError, match="needs `fanout`"):
        compute_credit("counterfactual", group, {})


@pytest.mark.parametrize("method,params", [("counterfactual", {"fanout": [2, 2]}), ("difference", {}), ("shapley", {})])
def test_one_training_step_with_each_estimator(tmp_path, method, params):
    spec = lazy_team(
        steps=1,
        batch=2,
        record_credit="all",
        credit={"method": method, "params": params},
        algorithm={"name": "grpo", "group": 4, "clip": 0.2, "kl": 0.0},
    )
    Trainer(spec, RunOptions(str(tmp_path))).run()
    records = [json.loads(line) for line in (tmp_path / "trajectories" / "1.jsonl").read_text().splitlines()]
    assert len(records) == 8
    for r in records:
        assert method in r["credit"] and "outcome" in r["credit"]
        assert all(len(c) == len(r["decision_turns"]) for c in r["credit"].values())
    if method == "counterfactual":
        assert [r["parent"] for r in records] == [None, 0, 0, 2, None, 4, 4, 6]
        assert [r["branch_turn"] for r in records[:4]] == [0, 1, 0, 1]
    else:
        assert all(len(r["counterfactuals"]) == (3 if method == "difference" else 7) for r in records)
    if method == "shapley":
        assert "difference" in r["credit"]


def test_fanout_that_does_not_make_the_group_is_an_error(tmp_path):
    with pytest.raises(MasError, match=r"makes 4 leaves but the GRPO group is 8; set `group: 4`"):
        lazy_team(steps=1, batch=1, credit={"method": "counterfactual", "params": {"fanout": [2, 2]}})
    spec = lazy_team(
        steps=1,
        batch=1,
        credit={"method": "counterfactual", "params": {"fanout": [2, 2]}},
        algorithm={"name": "grpo", "group": 4, "clip": 0.2, "kl": 0.0},
    )
    spec.train.algorithm.group = 8  # changed after the spec was read: the step still refuses it
    with pytest.raises(MasError, match="product is the GRPO group"):
        Trainer(spec, RunOptions(str(tmp_path))).run()
