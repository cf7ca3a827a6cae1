"""Value-assisted C3 credit in the trainer: the critic's Q of each decision's prefix (its output included) fills
Decision.q before `counterfactual(variant: value_assisted)` credits the step, then the critic is fitted on those
prefixes with the leaf rewards; without `critic: <model>` the spec is refused (exit 3)."""

import json

import pytest
from helpers import lazy_team_data

from mas_trainer.credit import CreditGroup, compute_credit
from mas_trainer.credit_step import build_group, step_credit
from mas_trainer.critic.q_values import q_prefixes
from mas_trainer.errors import EXIT_BAD_SPEC, MasError
from mas_trainer.rewards import Score
from mas_trainer.rollout import RolloutState, Turn
from mas_trainer.spec import parse_spec
from mas_trainer.trainer import RunOptions, Trainer

VALUE_ASSISTED = {"fanout": [2], "variant": "value_assisted", "normalize": "none"}


def _turn(i, agent, output, nulled=False):
    return Turn(i, agent, agent, "tiny", f"p{i} ", output, [1], [2], [0.0], 0.0, 0.0, nulled)


def _leaf(first_output, reward):
    """A two-turn rollout: `a` branches (its output differs per leaf), then `b`."""
    state = RolloutState(task={}, turns=[_turn(0, "a", first_output), _turn(1, "b", "ok")])
    return state, Score(reward, {}, [None, None], reward >= 1, {})


class ListedCritic:
    """Values by prefix text; records what it was fitted on."""

    def __init__(self, values):
        self.table, self.fitted, self.calls = values, [], []

    def values(self, texts):
        self.calls.append("values")
        return [self.table(t) for t in texts]

    def fit_with_replay(self, texts, targets):
        self.calls.append("fit")
        self.fitted.append((texts, targets))
        return 0.0


def test_q_prefixes_end_with_the_decisions_output_and_keep_nulled_turns():
    turns = [_turn(0, "a", "x"), _turn(1, "n", "", nulled=True), _turn(2, "b", "y")]
    assert q_prefixes(turns) == ["a> p0 x\n", "a> p0 x\nn> p1 \nb> p2 y\n"]


def test_step_credit_reads_the_critics_q_of_each_decision_then_fits_it():
    pairs = [_leaf("left", 1.0), _leaf("right", 0.0)]
    states, scores = [p[0] for p in pairs], [p[1] for p in pairs]
    critic = ListedCritic(lambda t: 0.75 if "left" in t else 0.25)
    credit = step_credit("counterfactual", states, scores, 2, VALUE_ASSISTED, critic=critic)
    # alpha 1, leave-one-out: A(n) = V(n) - Q(sibling) on the branching turn; `b` has no siblings (fan-out 1)
    assert credit == [[1.0 - 0.25, 0.0], [0.0 - 0.75, 0.0]]
    group = build_group(states, scores)
    for rollout, q in zip(group.rollouts, (0.75, 0.25)):
        rollout.decisions[0].q = rollout.decisions[1].q = q
    assert credit == compute_credit("counterfactual", group, VALUE_ASSISTED)
    assert [s.decision_q for s in states] == [[0.75, 0.75], [0.25, 0.25]]  # for the trajectory records
    assert critic.calls == ["values", "fit"]  # credit from the critic before it sees this step, as in C3
    [(texts, targets)] = critic.fitted  # on every leaf's prefixes
    assert texts == [t for s in states for t in q_prefixes(s.turns)] and targets == [1.0, 1.0, 0.0, 0.0]


def test_step_credit_without_a_critic_is_a_spec_error():
    pairs = [_leaf("left", 1.0), _leaf("right", 0.0)]
    with pytest.raises(MasError, match=r"add `critic: <model>`") as err:
        step_credit("counterfactual", [p[0] for p in pairs], [p[1] for p in pairs], 2, VALUE_ASSISTED)
    assert err.value.exit_code == EXIT_BAD_SPEC


def _spec(critic="value", **train):
    data = lazy_team_data()
    data["models"].append(
        {
            "name": "value",
            "source": {"kind": "scratch", "layers": 1, "hidden": 16, "heads": 2, "context": 48, "vocab": "chars"},
            "adapter": None,
        }
    )
    data["train"].update(
        {
            "steps": 1,
            "batch": 1,
            "critic": critic,
            "algorithm": {"name": "grpo", "group": 4, "clip": 0.2, "kl": 0.0},
            "credit": {"method": "counterfactual", "params": {"fanout": [2, 2], "variant": "value_assisted"}},
            **train,
        }
    )
    return parse_spec(data)


def test_value_assisted_without_a_critic_model_says_what_to_add(tmp_path):
    with pytest.raises(MasError, match=r"value_assisted.*add `critic: <model>`.*variant: reward_only") as err:
        Trainer(_spec(critic=None), RunOptions(str(tmp_path / "run")))
    assert err.value.exit_code == EXIT_BAD_SPEC
    assert not (tmp_path / "run").exists()  # refused before the run directory is made


def test_one_value_assisted_training_step_fits_the_critic_on_c3_prefixes(tmp_path):
    trainer = Trainer(_spec(), RunOptions(str(tmp_path)))
    assert trainer.methods == ["counterfactual"]  # no `critic` credit beside it: the critic serves Q only
    trainer.run()
    [(texts, targets)] = trainer.critic.history
    records = [json.loads(line) for line in (tmp_path / "trajectories" / "1.jsonl").read_text().splitlines()]
    assert len(records) == 4
    # every decision of every leaf, its output included, regresses the leaf's reward (C3's Q-critic targets)
    assert targets == [r["reward"] for r in records for _ in r["decision_turns"]]
    assert all(t.endswith("\n") for t in texts)
    assert texts[0] == texts[len(records[0]["decision_turns"])]  # leaves 0 and 1 share the first turn
    # the records carry the Q each decision was credited with: the credit is recomputable from them
    group = CreditGroup.from_json(
        {
            "rollouts": [
                {
                    "decisions": [
                        {
                            "agent": next(x["agent"] for x in r["turns"] if x["index"] == t),
                            "turn": t,
                            "reward": w,
                            "q": q,
                        }
                        for t, w, q in zip(r["decision_turns"], r["decision_rewards"], r["decision_q"])
                    ],
                    "reward": r["reward"],
                }
                for r in sorted(records, key=lambda r: r["sample"])
            ]
        }
    )
    params = trainer.spec.train.credit.params
    assert compute_credit("counterfactual", group, params) == [
        r["credit"]["counterfactual"] for r in sorted(records, key=lambda r: r["sample"])
    ]
