"""The trainer's side of verifier calls (issue 16 item 1): the expression evaluator's verifier hook, backed by the
worker pool of mas_trainer.verifiers (VerifierPool), with the bookkeeping the run records.

A failed call (an exception, a timeout, the memory limit, a wrong return type: the pool's VerifierResult with value
None) gives `null` to the expression, so the null rules of protocol/EXPRESSIONS.md score the criterion; it is
counted per verifier for the step's `verifier_errors` metric and logged once per distinct failure with the input
that caused it (cut to MAX_LOGGED_INPUT characters). Nothing here stops the run.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from typing import Any, Mapping, Optional, Protocol

from .errors import SpecError
from .expr import EvalContext, EvalError, Evaluator, Value
from .verifier_spec import check_verifiers, used_verifiers, verifier_calls

MAX_LOGGED_INPUT = 500  # characters of a failing call's arguments written to trainer.log
MAX_LOGGED_FAILURES = 200  # distinct failures logged per run; later ones are only counted


class Pool(Protocol):
    """What the trainer needs of a verifier pool (mas_trainer.verifiers.VerifierPool; tests pass a fake)."""

    def call(self, name: str, args: tuple) -> Any: ...
    def call_many(self, calls: list[tuple[str, tuple]]) -> list: ...
    def error_counts(self) -> dict[str, int]: ...
    def close(self, kill: bool = False) -> None: ...


def _library():
    """mas_trainer.verifiers (the built-in library and the pool), imported only when a spec calls a verifier."""
    try:
        return importlib.import_module("mas_trainer.verifiers")
    except ImportError as err:
        raise SpecError(f"the spec calls verifiers, but this trainer has no verifier library ({err})") from None


def builtin_signatures() -> dict[str, tuple[list[tuple[str, str]], str]]:
    """Built-in verifier name -> (params, returns), from the library's BUILTINS."""
    return {name: (list(b.params), b.returns) for name, b in _library().BUILTINS.items()}


def open_pool(spec, builtins: Mapping[str, tuple[list[tuple[str, str]], str]]) -> Pool:
    """A VerifierPool for the spec's declared verifiers and the built-ins it calls, with the train block's limits."""
    library = _library()
    declared = {v.name for v in spec.verifiers}
    decls = [
        library.VerifierDecl(v.name, [(p.name, p.type) for p in v.params], v.returns, v.file, v.function)
        for v in spec.verifiers
    ]
    for name in used_verifiers(spec):
        if name not in declared and name in builtins:
            params, returns = builtins[name]
            decls.append(library.VerifierDecl(name, params, returns, None, name))
    train = spec.train
    return library.VerifierPool(
        decls, workers=train.verifier_workers, timeout_s=train.verifier_timeout, memory_mb=train.verifier_memory
    )


class VerifierCalls:
    """The evaluator's verifier hook: calls through the pool, converts the value to the declared type, remembers the
    step's prefetched results, counts and logs failures."""

    def __init__(self, pool: Pool, returns: Mapping[str, str], log) -> None:
        self.pool, self.returns, self.log = pool, dict(returns), log
        self._cache: dict[tuple[str, str], Any] = {}
        self._counted: dict[str, int] = {}
        self._logged: set[tuple[str, str, str]] = set()

    def __call__(self, name: str, args: list) -> Value:
        key = (name, _key(args))
        result = self._cache.get(key)
        if result is None:
            result = self.pool.call(name, tuple(args))
            self._note(name, args, result)
        if result.value is None:
            return None
        return bool(result.value) if self.returns.get(name) == "bool" else float(result.value)

    def prefetch(self, evaluator: Evaluator, exprs: list, contexts: list[EvalContext]) -> None:
        """Runs, on all workers at once, the calls of `exprs` whose arguments hold no verifier call, for each context
        (the step's final transcripts); evaluation then finds their results. A call that short-circuiting would skip
        may run here too: it costs time, never a different score."""
        calls: list[tuple[str, tuple]] = []
        for context in contexts:
            for expr in exprs:
                for node in verifier_calls(expr):
                    if any(True for arg in node.get("args", []) for _ in verifier_calls(arg)):
                        continue
                    try:
                        args = [evaluator.evaluate(arg, context) for arg in node.get("args", [])]
                    except EvalError:
                        continue
                    if any(arg is None for arg in args):
                        continue  # a null argument gives null without a call
                    calls.append((str(node.get("name")), tuple(args)))
        unique = list(dict.fromkeys((name, _key(list(args))) for name, args in calls))
        by_key = {(name, _key(list(args))): args for name, args in calls}
        results = self.pool.call_many([(name, by_key[(name, key)]) for name, key in unique]) if unique else []
        for (name, key), result in zip(unique, results):
            self._note(name, list(by_key[(name, key)]), result)
            self._cache[(name, key)] = result

    def end_step(self) -> dict[str, int]:
        """The step's failures per verifier (metrics `verifier_errors`); forgets the step's prefetched results."""
        self._cache.clear()
        counts = self.pool.error_counts()
        step = {name: n - self._counted.get(name, 0) for name, n in counts.items()}
        self._counted = dict(counts)
        return step

    def close(self, kill: bool = False) -> None:
        """`kill`: a cancel, calls in flight are not waited for (VerifierPool.close)."""
        if kill:
            self.pool.close(kill=True)
        else:
            self.pool.close()  # injected test pools take no argument

    def _note(self, name: str, args: list, result: Any) -> None:
        if result.value is not None or result.error is None:
            return
        signature = (name, str(result.error), str(result.detail))
        if signature in self._logged or len(self._logged) >= MAX_LOGGED_FAILURES:
            return
        self._logged.add(signature)
        shown = json.dumps(args, ensure_ascii=False)
        if len(shown) > MAX_LOGGED_INPUT:
            shown = shown[: MAX_LOGGED_INPUT - 1] + "…"
        self.log.warning(
            "verifier %s failed (%s: %s) on the input %s; the criterion scores null (logged once per failure)",
            name,
            result.error,
            result.detail,
            shown,
        )
        if len(self._logged) == MAX_LOGGED_FAILURES:
            self.log.warning("verifiers: %d distinct failures logged; later ones are only counted", MAX_LOGGED_FAILURES)


def _key(args: list) -> str:
    return json.dumps(args, sort_keys=True, ensure_ascii=False)


def verifier_calls_for(spec, log, pool: Optional[Pool] = None) -> Optional[VerifierCalls]:
    """The hook for a spec that calls verifiers (None when it calls none): checks the spec first (exit 3 for an
    unknown verifier or a missing file), then opens the pool unless one is given (tests inject a fake)."""
    used = used_verifiers(spec)
    if not used:
        return None
    declared = {v.name for v in spec.verifiers}
    # The library is needed for built-ins and for the real pool; an injected pool with declared verifiers only does
    # without it (and a call of an unknown name is then reported as such, not as a missing library).
    needs_library = pool is None or any(name not in declared for name in used)
    builtins = builtin_signatures() if needs_library and _has_library() else {}
    check_verifiers(spec, builtins)
    returns = {name: sig[1] for name, sig in builtins.items()}
    returns.update({v.name: v.returns for v in spec.verifiers})
    return VerifierCalls(pool if pool is not None else open_pool(spec, builtins), returns, log)


def _has_library() -> bool:
    return importlib.util.find_spec("mas_trainer.verifiers") is not None
