"""The built-in verifier library (issue 16 item 2): each function on a table of cases, and builtins.json current."""

import json

import pytest

from mas_trainer.verifiers import BUILTINS
from mas_trainer.verifiers.builtins import JSON_PATH, render_json
from mas_trainer.verifiers.json_checks import json_schema, json_valid
from mas_trainer.verifiers.math_equal import last_boxed, math_equal, parse_value
from mas_trainer.verifiers.text import exact, f1

MATH_CASES = [
    # (got, want, equal)
    ("\\boxed{\\frac{1}{2}}", 0.5, True),
    ("\\boxed{\\frac{1}{2}}", "0.5", True),
    ("The answer is \\boxed{0.5}.", "\\dfrac{1}{2}", True),
    ("\\boxed{\\tfrac12}", "1/2", True),
    ("\\boxed{1} wait, no: \\boxed{2}", 2, True),  # the last box wins
    ("\\boxed{1} wait, no: \\boxed{2}", 1, False),
    ("\\boxed{\\frac{3}{4}", "3/4", False),  # unbalanced: no box, the whole text does not parse
    ("1,234,567", 1234567, True),
    ("1{,}000", "1000", True),
    ("12,34", 1234, False),  # not a thousands grouping
    ("-3", -3, True),
    ("+3", 3, True),
    ("-\\frac{1}{2}", "\\frac{-1}{2}", True),
    ("$-0.25$", -0.25, True),
    ("50\\%", 50, True),  # percent signs are dropped, not divided by 100
    ("50%", 0.5, False),
    ("x = 7", 7, True),
    ("7.", 7, True),
    ("2\\sqrt{2}", "\\sqrt{8}", True),
    ("\\sqrt[3]{27}", 3, True),
    ("1.41421356237", "\\sqrt{2}", True),  # irrational: relative 1e-9
    ("1.4142", "\\sqrt{2}", False),
    ("0.333", "1/3", False),  # rationals compare exactly
    ("2\\pi", "6.28318530718", True),
    ("1e-3", 0.001, True),
    ("1e-05", 1e-05, True),
    ("2^{10}", 1024, True),
    ("10^{10^{10}}", 1, False),  # refused, not computed
    ("(9^{1000})^{1000}", 1, False),
    ("1e999999999", 1, False),
    ("\\frac{1}{0}", 1, False),
    ("1\\frac{1}{2}", 1.5, False),  # mixed numbers do not parse
    ("\\text{(B)}", "(B)", True),  # not numbers: compared as text
    ("\\textbf{5}", 5, True),
    ("90^\\circ", 90, True),
    ("\\left( 3 \\right)", 3, True),
    ("", "", False),
    ("__import__('os').system('true')", "0", False),  # never evaluated
    ("3 apples", 3, False),
]


@pytest.mark.parametrize("got,want,equal", MATH_CASES)
def test_math_equal_table(got, want, equal):
    assert math_equal(got, want) is equal


def test_math_equal_rejects_bool_and_non_finite_references():
    with pytest.raises(TypeError):
        math_equal("1", True)
    with pytest.raises(ValueError):
        math_equal("1", float("nan"))


def test_math_equal_long_output_is_bounded():
    noise = "x" * 500_000 + "\\boxed{42}"
    assert math_equal(noise, 42)
    assert parse_value("1+" * 150 + "1") is None  # over MAX_ANSWER_CHARS: not parsed


def test_last_boxed_balances_braces():
    assert last_boxed("\\boxed{\\frac{1}{2}} and \\fbox{3}") == "3"
    assert last_boxed("\\boxed{a{b}c}") == "a{b}c"
    assert last_boxed("no box") is None


@pytest.mark.parametrize(
    "got,want,equal",
    [
        ("hello world", "hello world", True),
        ("  hello \n\t world ", "hello world", True),
        ("Hello world", "hello world", False),
        ("hello world.", "hello world", False),
        ("", "", True),
        ("a b", "ab", False),
    ],
)
def test_exact_table(got, want, equal):
    assert exact(got, want) is equal


@pytest.mark.parametrize(
    "got,want,score",
    [
        ("the cat sat", "The cat sat!", 1.0),
        ("cat", "the cat sat", 2 * (1.0 * 0.5) / 1.5),  # precision 1, recall 1/2
        ("dog", "cat", 0.0),
        ("", "", 1.0),
        ("", "cat", 0.0),
        ("the", "a", 1.0),  # only articles on both sides: no tokens
        ("cat cat", "cat", 2 * (0.5 * 1.0) / 1.5),  # multiplicity counts
    ],
)
def test_f1_table(got, want, score):
    assert f1(got, want) == pytest.approx(score)


@pytest.mark.parametrize(
    "got,valid",
    [
        ('{"a": [1, 2.5, null, true]}', True),
        ("  [1]\n", True),
        ('"text"', True),
        ("NaN", False),
        ('{"a": Infinity}', False),
        ("1e999", False),
        ("{'a': 1}", False),
        ('```json\n{"a": 1}\n```', False),
        ("[" * 2000 + "]" * 2000, False),  # deeper than 1000: refused without RecursionError
        ("", False),
    ],
)
def test_json_valid_table(got, valid):
    assert json_valid(got) is valid


PERSON = json.dumps(
    {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
        "required": ["name"],
        "additionalProperties": False,
    }
)


@pytest.mark.parametrize(
    "got,valid",
    [
        ('{"name": "Ada", "age": 36}', True),
        ('{"name": "Ada"}', True),
        ('{"age": 36}', False),
        ('{"name": "Ada", "age": -1}', False),
        ('{"name": "Ada", "extra": 1}', False),
        ("not json", False),
        ('{"name": "Ada", "age": NaN}', False),
    ],
)
def test_json_schema_table(got, valid):
    assert json_schema(got, PERSON) is valid


def test_json_schema_internal_refs_resolve_and_remote_ones_are_refused():
    schema = json.dumps({"$defs": {"n": {"type": "number"}}, "type": "array", "items": {"$ref": "#/$defs/n"}})
    assert json_schema("[1, 2]", schema) is True and json_schema('[1, "x"]', schema) is False
    remote = json.dumps({"$ref": "http://127.0.0.1:9/schema.json"})
    with pytest.raises(ValueError, match="cannot be resolved"):
        json_schema("{}", remote)


@pytest.mark.parametrize("schema", ["not json", '{"type": 5}', '{"minimum": "zero"}'])
def test_json_schema_bad_schema_raises_value_error(schema):
    with pytest.raises(ValueError, match="json_schema"):
        json_schema("{}", schema)


def test_builtins_json_is_current():
    with open(JSON_PATH, encoding="utf-8") as f:
        assert f.read() == render_json(), "run trainer/tools/make_builtins_json.py"


def test_builtins_table_shape():
    for name, b in BUILTINS.items():
        assert b.returns in ("number", "bool"), name
        assert all(t in ("string", "number", "bool") for _, t in b.params), name
        assert b.doc and callable(b.fn), name
    entries = json.loads(render_json())
    assert [e["name"] for e in entries] == list(BUILTINS)
    assert set(entries[0]) == {"name", "params", "returns", "doc"}
    assert entries[0]["params"][0] == {"name": "got", "type": "string"}
