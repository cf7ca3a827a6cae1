"""Hand-picked cases of EXPRESSIONS.md beside the shared vectors: JS number formatting and regex dialect."""

import pytest

from mas_trainer.expr import EvalContext, EvalError, Evaluator, criterion_score
from mas_trainer.expr.values import js_number_to_string


@pytest.mark.parametrize(
    "value, text",
    [
        (0.0, "0"),
        (-0.0, "0"),
        (1.0, "1"),
        (-12.0, "-12"),
        (0.1, "0.1"),
        (1.5e-7, "1.5e-7"),
        (1e21, "1e+21"),
        (123456789012345680000.0, "123456789012345680000"),
        (0.000001, "0.000001"),
        (1 / 3, "0.3333333333333333"),
        (2.5e-5, "0.000025"),
        (-1.25e22, "-1.25e+22"),
    ],
)
def test_js_number_to_string(value, text):
    assert js_number_to_string(value) == text


def _eval(expr, outputs=None):
    return Evaluator().evaluate(expr, EvalContext(task={"n": 3}, outputs=outputs or {}))


def test_dollar_means_end_of_input_without_m_flag():
    expr = {
        "op": "matches",
        "left": {"op": "output", "agent": "a"},
        "right": {"op": "regex", "source": "ok$", "flags": ""},
    }
    assert _eval(expr, {"a": "ok"}) is True
    assert _eval(expr, {"a": "ok\n"}) is False  # Python's bare `$` would say True


def test_criterion_scores_and_string_is_rejected():
    assert [criterion_score(v) for v in (True, False, None, 0.25)] == [1.0, 0.0, 0.0, 0.25]
    with pytest.raises(EvalError):
        criterion_score("yes")


def test_empty_character_class_is_outside_the_dialect():
    expr = {
        "op": "matches",
        "left": {"op": "str", "value": "a]"},
        "right": {"op": "regex", "source": "[]a]", "flags": ""},
    }
    with pytest.raises(EvalError) as caught:
        _eval(expr)
    assert caught.value.kind == "bad_regex"
