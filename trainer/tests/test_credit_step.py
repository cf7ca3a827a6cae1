"""The trainer's step credit (credit_step.py): every group of a step goes to compute_credit_batch (MARS's turn_level
pools over the step batch, across data-parallel processes too); bad credit settings stop the run before any model is
built."""

import pytest
from helpers import lazy_team

from mas_trainer.credit import CreditGroup, compute_credit, compute_credit_batch
from mas_trainer.credit_step import build_group, check_credit, step_credit
from mas_trainer.errors import EXIT_BAD_SPEC, MasError
from mas_trainer.rewards import Score
from mas_trainer.rollout import RolloutState, Turn
from mas_trainer.trainer import RunOptions, Trainer

GROUP = 2


def _rollout(agents, reward, turn_rewards=None):
    turns = [Turn(i, a, a, "tiny", "", "x", [1], [2], [0.0], 0.0, 0.0) for i, a in enumerate(agents)]
    rewards = turn_rewards or [None] * len(agents)
    return RolloutState(task={}, turns=turns), Score(reward, {}, rewards, reward >= 1, {})


def _step():
    """Two tasks x GROUP rollouts whose reward scales differ, so pooling over the batch changes the credit."""
    pairs = [
        _rollout(["a", "b"], 1.0),
        _rollout(["a", "b", "a"], 0.0),
        _rollout(["a", "b"], 10.0),
        _rollout(["b", "a"], 4.0),
    ]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _groups(states, scores):
    return [build_group(states[i : i + GROUP], scores[i : i + GROUP]) for i in range(0, len(states), GROUP)]


def _flat(per_group):
    return [rollout for group in per_group for rollout in group]


def test_turn_level_pools_over_the_whole_step_batch():
    states, scores = _step()
    groups = _groups(states, scores)
    credit = step_credit("turn_level", states, scores, GROUP, {})
    assert credit == _flat(compute_credit_batch("turn_level", groups, {}))
    per_task = _flat([compute_credit("turn_level", g, {}) for g in groups])
    assert credit != per_task  # the fixture really tells pooled from per-task normalisation apart


@pytest.mark.parametrize("method", ["outcome", "agent_normalized"])
def test_group_estimators_normalise_within_each_task(method):
    states, scores = _step()
    credit = step_credit(method, states, scores, GROUP, {})
    assert credit == _flat([compute_credit(method, g, {}) for g in _groups(states, scores)])
    assert [len(c) for c in credit] == [2, 3, 2, 2]


def test_build_group_keeps_turn_indices_and_per_turn_rewards():
    state, score = _rollout(["a", "b"], 0.5, [0.25, None])
    group = build_group([state], [score])
    assert group.to_json() == CreditGroup.from_rollouts([([("a", 0, 0.25), ("b", 1, None)], 0.5)]).to_json()


@pytest.mark.parametrize("method", ["turn_level", "outcome"])
def test_two_processes_get_what_one_process_computes(method):
    states, scores = _step()
    whole = step_credit(method, states, scores, GROUP, {})
    halves = [(states[:GROUP], scores[:GROUP]), (states[GROUP:], scores[GROUP:])]

    def gather(items):  # DistContext.gather: every rank's list in rank order
        gathered.append(True)
        return _groups(states, scores)

    gathered = []
    split = [step_credit(method, s, sc, GROUP, {}, gather, rank) for rank, (s, sc) in enumerate(halves)]
    assert split[0] + split[1] == whole
    assert bool(gathered) == (method == "turn_level")  # only the pooled estimator communicates
    alone = [step_credit(method, s, sc, GROUP, {}) for s, sc in halves]  # each process on its own half
    assert (alone[0] + alone[1] != whole) == (method == "turn_level")  # so gathering is what makes them agree


@pytest.mark.parametrize(
    "method,params,words",
    [
        ("turn_level", {"advantage_pool": "sideways"}, "advantage_pool"),
        ("outcome", {"epsilonn": 1}, "epsilonn"),
        ("shapley", {"samples": 0}, "samples"),
        ("counterfactual", {}, "needs `fanout`"),
    ],
)
def test_bad_credit_settings_stop_before_any_model_is_built(tmp_path, method, params, words):
    spec = lazy_team()
    spec.train.credit.method, spec.train.credit.params = method, params
    with pytest.raises(MasError) as caught:
        Trainer(spec, RunOptions(str(tmp_path / "run")))
    assert caught.value.exit_code == EXIT_BAD_SPEC and words in str(caught.value)
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "run").exists()  # refused before the run directory is made


def test_check_credit_accepts_the_authors_defaults():
    for method in ("outcome", "agent_normalized", "turn_level"):
        check_credit(method, {})


def test_a_training_step_records_batch_pooled_turn_level_credit(tmp_path):
    from mas_trainer.rundir import read_records

    spec = lazy_team(steps=1, batch=3, checkpoint_every=1, record_credit="all")
    spec.train.algorithm.group = GROUP
    spec.train.credit.method = "turn_level"
    Trainer(spec, RunOptions(str(tmp_path))).run()
    records = read_records(str(tmp_path / "trajectories" / "1.jsonl"))
    groups = [
        CreditGroup.from_rollouts(
            [
                (
                    [(r["turns"][t]["agent"], t, rw) for t, rw in zip(r["decision_turns"], r["decision_rewards"])],
                    r["reward"],
                )
                for r in records
                if r["group"] == g
            ]
        )
        for g in range(3)
    ]
    for method in ("turn_level", "outcome", "agent_normalized"):
        assert [r["credit"][method] for r in records] == _flat(compute_credit_batch(method, groups, {})), method
    # this seeded step's rewards are spread enough that pooling matters (else the check above could not fail)
    assert _flat(compute_credit_batch("turn_level", groups, {})) != _flat(
        [compute_credit("turn_level", g, {}) for g in groups]
    )
