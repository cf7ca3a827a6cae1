"""Every golden credit vector (test/fixtures/credit/*.json, shared with the TypeScript twin) within 1e-6."""

import json
import math
from pathlib import Path

import pytest

from mas_trainer.credit import KNOWN_METHODS, CreditGroup, compute_credit, compute_credit_batch

FIXTURES = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "credit"
TOLERANCE = 1e-6


def _load(name: str) -> list[dict]:
    return json.loads((FIXTURES / name).read_text())


GROUP_VECTORS = [v for method in KNOWN_METHODS for v in _load(f"{method}.json")]
# MAGRPO's baselines (`baseline: group_mean | rloo`, `epsilon_form: in_sqrt`), computed by C3's own code
# (trainer/tools/make_magrpo_vectors.py).
MAGRPO_VECTORS = _load("magrpo.json")
BATCH_VECTORS = _load("batch.json")
# MARS's switches (`preset: mars_paper`, whiten_rewards, whiten_advantages, gamma), computed by MARS's own code
# (trainer/tools/make_mars_vectors.py).
MARS_VECTORS = _load("mars.json")
# C3's counterfactual switches (`variant: value_assisted`, alpha, no_replay), computed by C3's own credit code on
# prefix trees with given Q per node (trainer/tools/make_c3_vectors.py).
C3_VECTORS = _load("c3.json")
MARS_BATCH_VECTORS = _load("mars-batch.json")


def _assert_close(actual, expected, path="credit"):
    if isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: shape {actual!r} vs {expected!r}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            _assert_close(a, e, f"{path}[{i}]")
    else:
        assert math.isfinite(actual) and abs(actual - expected) <= TOLERANCE, f"{path}: {actual} != {expected}"


def test_every_method_has_vectors():
    assert {v["method"] for v in GROUP_VECTORS} == set(KNOWN_METHODS)


@pytest.mark.parametrize("vector", GROUP_VECTORS, ids=lambda v: f"{v['method']}:{v['name']}")
def test_group_vector(vector):
    credit = compute_credit(vector["method"], CreditGroup.from_json(vector["group"]), vector["params"])
    _assert_close(credit, vector["expected"])


@pytest.mark.parametrize("vector", MAGRPO_VECTORS, ids=lambda v: f"magrpo {v['method']}:{v['name']}")
def test_magrpo_vector(vector):
    credit = compute_credit(vector["method"], CreditGroup.from_json(vector["group"]), vector["params"])
    _assert_close(credit, vector["expected"])


def test_magrpo_vectors_cover_both_baselines_and_methods():
    assert {(v["method"], v["params"]["baseline"]) for v in MAGRPO_VECTORS} == {
        (m, b) for m in ("outcome", "agent_normalized") for b in ("group_mean", "rloo")
    }


@pytest.mark.parametrize("vector", C3_VECTORS, ids=lambda v: f"c3 {v['method']}:{v['name']}")
def test_c3_vector(vector):
    credit = compute_credit(vector["method"], CreditGroup.from_json(vector["group"]), vector["params"])
    _assert_close(credit, vector["expected"])


def test_c3_vectors_cover_value_assisted():
    assisted = [v for v in C3_VECTORS if v["params"].get("variant") == "value_assisted"]
    assert len(assisted) >= 20
    assert {0.0, 1.0} <= {v["params"]["alpha"] for v in assisted}
    fanouts = [v["params"]["fanout"] for v in assisted]
    assert {n for f in fanouts for n in f} >= {1, 2, 3, 4}  # lone nodes (fan-out 1) and several sibling counts
    assert {"no_replay", "baseline", "normalize"} <= {k for v in C3_VECTORS for k in v["params"]}


@pytest.mark.parametrize("vector", MARS_VECTORS, ids=lambda v: f"mars {v['method']}:{v['name']}")
def test_mars_vector(vector):
    credit = compute_credit(vector["method"], CreditGroup.from_json(vector["group"]), vector["params"])
    _assert_close(credit, vector["expected"])


@pytest.mark.parametrize("vector", MARS_BATCH_VECTORS, ids=lambda v: f"mars batch {v['method']}:{v['name']}")
def test_mars_batch_vector(vector):
    groups = [CreditGroup.from_json(g) for g in vector["groups"]]
    _assert_close(compute_credit_batch(vector["method"], groups, vector["params"]), vector["expected"])


def test_mars_vectors_cover_every_switch():
    switched = {key for v in MARS_VECTORS for key in v["params"]}
    assert switched == {"preset", "gamma", "advantage_norm", "whiten_rewards", "whiten_advantages"}
    assert any(v["name"] == "tictactoe_win/preset=mars_paper" for v in MARS_VECTORS)


@pytest.mark.parametrize("vector", BATCH_VECTORS, ids=lambda v: f"{v['method']}:{v['name']}")
def test_batch_vector(vector):
    groups = [CreditGroup.from_json(g) for g in vector["groups"]]
    _assert_close(compute_credit_batch(vector["method"], groups, vector["params"]), vector["expected"])
