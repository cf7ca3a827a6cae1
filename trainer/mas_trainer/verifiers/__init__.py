"""Verifiers: Python functions that score rubric criteria (issue 16). The built-in library, the worker pool that runs
every call (builtins and user files alike) out of the trainer's process, and the sandbox of `code_tests`."""

from .builtins import BUILTINS, Builtin
from .pool import VerifierPool
from .types import VerifierDecl, VerifierResult

__all__ = ["BUILTINS", "Builtin", "VerifierDecl", "VerifierPool", "VerifierResult"]
