"""The declarations and results of verifier calls (issue 16): what the RunSpec declares, what a call gives back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

# The value types a verifier's parameters and result may have (the expression language's, EXPRESSIONS.md).
PARAM_TYPES = ("string", "number", "bool")
RETURN_TYPES = ("number", "bool")

# Why a call gave no score; each counts once in `verifier_errors`.
ERROR_KINDS = ("exception", "timeout", "memory", "bad_return", "crashed")

# A result's detail (an exception line, what was returned) is cut to this many characters for the log.
MAX_DETAIL_CHARS = 300


@dataclass(frozen=True)
class VerifierDecl:
    """One RunSpec.verifiers[i]. TS twin: VerifierSpec in protocol/run-spec.ts."""

    name: str  # the name used in the .mas file
    params: list[tuple[str, str]]  # (name, type), type in PARAM_TYPES
    returns: str  # "number" | "bool" (bool scores 1/0; a number must be finite)
    file: Optional[str]  # absolute path of the user's .py file; None for a builtin
    function: str  # the Python function's name (for a builtin: a key of BUILTINS)


@dataclass(frozen=True)
class VerifierResult:
    value: Optional[float]  # None = a null score (error, timeout, wrong type)
    error: Optional[str]  # None, or one of ERROR_KINDS
    detail: str = ""  # short, bounded text for the log: the exception line, what was returned


def short_detail(text: str) -> str:
    """`text` on one line, cut to MAX_DETAIL_CHARS (an exception message can hold a whole model output)."""
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_DETAIL_CHARS else line[: MAX_DETAIL_CHARS - 1] + "…"
