"""Text verifiers: `exact` (whitespace-normalised equality) and `f1` (SQuAD-style token overlap)."""

from __future__ import annotations

import re
import string
from collections import Counter

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans("", "", string.punctuation)


def _collapse(text: str) -> str:
    return " ".join(text.split())


def exact(got: str, want: str) -> bool:
    """True when the texts are equal after trimming both ends and collapsing every run of whitespace (spaces, tabs,
    newlines) to one space. Case and punctuation count: `exact("A", "a")` is false."""
    return _collapse(got) == _collapse(want)


def squad_tokens(text: str) -> list[str]:
    """SQuAD's answer normalisation: lower case, ASCII punctuation removed, the articles a/an/the removed, split on
    whitespace."""
    return _ARTICLES.sub(" ", text.lower().translate(_PUNCTUATION)).split()


def f1(got: str, want: str) -> float:
    """The harmonic mean of token precision and recall between `got` and `want` (SQuAD's F1, tokens counted with
    multiplicity). Two texts with no tokens score 1, one of them empty scores 0."""
    a, b = squad_tokens(got), squad_tokens(want)
    if not a or not b:
        return float(a == b)
    common = sum((Counter(a) & Counter(b)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)
