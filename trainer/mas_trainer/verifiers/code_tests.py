"""`code_tests(code, tests)`: the fraction of a test snippet's asserts that pass against generated code."""

from __future__ import annotations

from .sandbox import run_tests


def code_tests(code: str, tests: str) -> float:
    """Runs `code` and then `tests` in the sandbox (sandbox.py) and returns passed / total, where the tests are the
    snippet's top-level `assert` statements (each one test; other top-level statements run in order as setup).

    The code runs as a module named `solution` (an `if __name__ == "__main__":` block does not run) and the tests
    in the same namespace, so they call its functions by name. Code that raises or does not compile fails every
    test (0); a test that raises fails; a run cut short (timeout, memory, crash, exit) fails the tests that had not
    passed yet. Tests that do not parse or hold no top-level assert raise ValueError: a null score, counted as an
    error, since the data is wrong rather than the code."""
    outcome = run_tests(code, tests)
    return outcome.passed / outcome.total
