"""The expression language of rubrics and edge conditions (protocol/EXPRESSIONS.md; TS twin: analysis/expression/).

evaluator.py walks the compiled expression tree, values.py converts values as JavaScript does, regexes.py runs the
language's regexes on the linear-time engine (mas_trainer.regex, a package of its own: it knows nothing of the
expression language and has its own vectors), errors.py holds EvalError and the runtime type helpers. Must agree with
the TypeScript evaluator on every vector in test/fixtures/expressions/.
"""

from .errors import EvalError, Value
from .evaluator import EvalContext, Evaluator, VerifierHook, criterion_score
from .values import js_number_to_string, to_number, to_string

__all__ = [
    "EvalContext",
    "EvalError",
    "Evaluator",
    "Value",
    "VerifierHook",
    "criterion_score",
    "js_number_to_string",
    "to_number",
    "to_string",
]
