"""Every conformance vector in test/fixtures/expressions/*.json must pass (shared with the TS evaluator)."""

import glob
import json
import os

import pytest
from conftest import REPO_ROOT

from mas_trainer.expr import EvalContext, EvalError, Evaluator

VECTOR_FILES = sorted(glob.glob(os.path.join(REPO_ROOT, "test", "fixtures", "expressions", "*.json")))


def _vectors():
    for path in VECTOR_FILES:
        with open(path, encoding="utf-8") as f:
            for vector in json.load(f):
                yield pytest.param(vector, id=f"{os.path.basename(path)}::{vector['name']}")


def test_vector_files_exist():
    assert VECTOR_FILES, "test/fixtures/expressions/*.json is empty"


@pytest.mark.parametrize("vector", list(_vectors()))
def test_conformance_vector(vector):
    ctx = vector.get("context", {})
    task = dict(ctx.get("task", {}))
    for field, text in vector.get("generated", {}).items():  # long inputs described by their parts
        task[field] = text["repeat"] * text["times"] + text.get("suffix", "")
    context = EvalContext(task=task, outputs=ctx.get("outputs", {}), ctx=ctx.get("ctx", {}) or {})
    evaluator = Evaluator()
    if "error" in vector:
        with pytest.raises(EvalError) as caught:
            evaluator.evaluate(vector["expr"], context)
        assert caught.value.kind == vector["error"]
    else:
        result = evaluator.evaluate(vector["expr"], context)
        expected = vector["expected"]
        if isinstance(expected, (int, float)) and not isinstance(expected, bool):
            assert isinstance(result, float) and result == pytest.approx(expected, rel=0, abs=0)
        else:
            assert result == expected and type(result) is type(expected)
