"""The linear-time regex engine (mas_trainer/regex/) beyond the shared vectors: its own limits and caches.

Answers below were checked against re2js, the TypeScript engine the shared vectors are produced with.
"""

import pytest

from mas_trainer.regex import MAX_INPUT_CODE_POINTS, Regex, RegexSyntaxError, dfa


@pytest.mark.parametrize(
    "source,flags,text,expected",
    [
        ("(a|ab)(c|bcd)(d*)", "", "abcd", "a"),  # leftmost-first: the first alternative wins, then bcd
        ("(a*)+$", "", "aab", ""),
        ("(a*)+", "", "aab", "aa"),
        ("(\u03c3+)", "i", "x\u03a3\u03c2\u03c3", "\u03a3\u03c2\u03c3"),  # the sigma orbit folds as in RE2
        ("k", "i", "\u212a", "\u212a"),  # the Kelvin sign is in k's orbit
        ("\\W", "i", "\u212a", None),  # RE2 folds \w before negating it
        ("\\W", "", "\u212a", "\u212a"),
    ],
)
def test_answers_match_re2(source, flags, text, expected):
    assert Regex(source, flags).extract(text) == expected


def test_a_small_state_cache_starts_again_and_gives_the_same_answers(monkeypatch):
    text = "ab1 " * 300 + "aab"
    patterns = [("(a|b)*?b1", 2), ("\\b\\w+\\b", 1), ("(?:a|b){2,4}", 0), ("a+b$", 2)]
    expected = [(Regex(p, "").count(text), Regex(p, "").extract(text)) for p, _ in patterns]
    monkeypatch.setattr(dfa, "MAX_STATES", 3)
    assert [(Regex(p, "").count(text), Regex(p, "").extract(text)) for p, _ in patterns] == expected


def test_long_unrolled_repetitions_and_deep_nesting_compile_without_recursion_errors():
    assert Regex("a{0,1000}", "").extract("a" * 1500) == "a" * 1000
    assert Regex("(" * 100 + "a" + ")" * 100, "").extract("ba") == "a"
    with pytest.raises(RegexSyntaxError, match="nest"):
        Regex("(" * 101 + "a" + ")" * 101, "")


def test_inputs_are_cut_at_the_cap():
    assert Regex("a$", "").search("a" * MAX_INPUT_CODE_POINTS + "b")
    assert Regex("a", "").count("a" * (MAX_INPUT_CODE_POINTS + 7)) == MAX_INPUT_CODE_POINTS


def _count_by_searching_again(regex, text):
    """count() as re2js's find loop does it: one search per match (quadratic in the worst case)."""
    n, pos = 0, 0
    while pos <= len(text):
        span = regex.find(text, pos)
        if span is None:
            return n
        n += 1
        pos = span[1] + 1 if span[0] == span[1] else span[1]
    return n


@pytest.mark.parametrize(
    "source", ["\\d+\\.|\\d", "a*b|a", "\\b\\w", "|a", "(a|ab)(c|bcd)?", "x*", "^|$", "a(?:b|$)", "(?:a{2})+"]
)
def test_count_without_rescanning_gives_the_answers_of_searching_again(source):
    regex = Regex(source, "m")
    for text in ["", "a", "11.1 1.", "aab ab\nabab", "a" * 50 + "b", "\n\n a1_ b"]:
        assert regex.count(text) == _count_by_searching_again(regex, text), (source, text)
