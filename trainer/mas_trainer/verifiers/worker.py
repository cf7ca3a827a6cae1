"""The verifier worker process: loads the declared functions (user files by path, builtins from BUILTINS) and answers
one call at a time. Runs only in a process the pool spawned, never in the trainer's own.

Messages are JSON bytes both ways (Connection.send_bytes / recv_bytes): nothing a verifier returns is ever
unpickled by the trainer. A call's reply is {"value": float|null, "error": kind|null, "detail": str}; the first
message is {"ready": true} or {"ready": false, "detail": why the functions could not be loaded}.
"""

from __future__ import annotations

import importlib.util
import io
import json
import math
import numbers
import os
import reprlib
import resource
import shutil
import sys
import tempfile
import threading
import time
from typing import Callable

from .types import VerifierDecl, short_detail

MAX_CAPTURED_CHARS = 4096  # what a verifier prints is kept up to here (for the detail of its error) and dropped after
_SHORT = reprlib.Repr()  # repr of a wrong return value, cut while it is built (a 1 GB string is not copied)
_SHORT.maxstring = _SHORT.maxother = 120


class BoundedText(io.TextIOBase):
    """A text sink that keeps the first `limit` characters written to it and drops the rest: a verifier that prints
    megabytes costs nothing and floods nothing."""

    def __init__(self, limit: int = MAX_CAPTURED_CHARS):
        self.limit, self.parts, self.size = limit, [], 0

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        if self.size < self.limit:
            piece = s[: self.limit - self.size]
            self.parts.append(piece)
            self.size += len(piece)
        return len(s)

    def take(self) -> str:
        text, self.parts, self.size = "".join(self.parts), [], 0
        return text


def silence_stdio() -> BoundedText:
    """fds 1 and 2 to /dev/null (C code and subprocesses print nowhere), sys.stdout/sys.stderr to one bounded sink."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)
    sink = BoundedText()
    sys.stdout = sys.stderr = sink
    return sink


def load_function(decl: VerifierDecl, index: int) -> Callable[..., object]:
    """The declared function: BUILTINS[decl.function], or `decl.function` of the file at `decl.file`, imported by
    path under a private module name (the file's folder is not put on sys.path). Raises with a message that names
    the resolved path."""
    if decl.file is None:
        from .builtins import BUILTINS

        if decl.function not in BUILTINS:
            raise LookupError(f"verifier {decl.name}: {decl.function} is not a built-in verifier")
        return BUILTINS[decl.function].fn
    spec = importlib.util.spec_from_file_location(f"mas_user_verifier_{index}", decl.file)
    if spec is None or spec.loader is None:
        raise LookupError(f"verifier {decl.name}: {decl.file} cannot be imported (is it a .py file?)")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except FileNotFoundError:
        raise LookupError(f"verifier {decl.name}: {decl.file} does not exist") from None
    except MemoryError:
        raise
    except BaseException as err:  # noqa: BLE001 — the user's module body may raise anything, SystemExit included
        raise LookupError(f"verifier {decl.name}: importing {decl.file} raised {type(err).__name__}: {err}") from None
    fn = getattr(module, decl.function, None)
    if not callable(fn):
        raise LookupError(f"verifier {decl.name}: {decl.file} has no function {decl.function}")
    return fn


def score(value: object, returns: str) -> tuple[float | None, str | None, str]:
    """A returned value as a score: a bool declared → 1/0 (only a bool); a number declared → a finite real (a bool
    counts as 1/0). Anything else is ("bad_return", what was returned)."""
    if returns == "bool":
        if type(value).__name__ in ("bool", "bool_"):  # Python's bool or numpy's
            return (1.0 if value else 0.0), None, ""
        return None, "bad_return", short_detail(f"returned {type(value).__name__} {_SHORT.repr(value)} (bool declared)")
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isfinite(number):
            return number, None, ""
    return (
        None,
        "bad_return",
        short_detail(f"returned {type(value).__name__} {value!r:.120} (a finite number declared)"),
    )


def run_call(fn: Callable[..., object], returns: str, args: list, sink: BoundedText) -> dict:
    sink.take()
    try:
        value = fn(*args)
    except MemoryError:
        return {"value": None, "error": "memory", "detail": "MemoryError (the worker's memory limit)"}
    except BaseException as err:  # noqa: BLE001 — SystemExit and KeyboardInterrupt from a verifier are its errors
        printed = sink.take().strip()
        tail = f" | printed: {printed[-200:]}" if printed else ""
        return {"value": None, "error": "exception", "detail": short_detail(f"{type(err).__name__}: {err}{tail}")}
    number, error, detail = score(value, returns)
    return {"value": number, "error": error, "detail": detail}


def exit_with_parent(tmp: str, period_s: float = 0.5) -> None:
    """A daemon thread that ends the worker once the trainer is gone (reparented: a SIGKILLed trainer closes no
    pipe a spinning verifier would notice). A thread rather than PR_SET_PDEATHSIG, which fires when the *thread*
    that started the worker exits, and the pool starts replacements from its callers' threads. Removes `tmp` first:
    the pool that would have is gone."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(period_s)
        shutil.rmtree(tmp, ignore_errors=True)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def worker_main(conn, decls: list[VerifierDecl], memory_mb: int, tmp: str) -> None:
    """The worker's loop: own session (the pool kills its whole group on a timeout), ends with the trainer, quiet
    stdio, the memory limit, the functions loaded, then one call per message until the pool closes the connection."""
    os.setsid()
    exit_with_parent(tmp)
    tempfile.tempdir = os.environ["TMPDIR"] = tmp  # the pool removes it with the worker
    sys.dont_write_bytecode = True  # importing a user's verifier file leaves no __pycache__/ in their workspace
    sink = silence_stdio()
    limit = memory_mb << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    functions: dict[str, tuple[Callable[..., object], str]] = {}
    try:
        for index, decl in enumerate(decls):
            functions[decl.name] = (load_function(decl, index), decl.returns)
    except LookupError as err:
        conn.send_bytes(json.dumps({"ready": False, "detail": str(err)[:2000]}).encode())
        return
    except MemoryError:
        why = f"loading the verifiers ran out of memory under the worker's limit ({memory_mb} MB); raise it"
        conn.send_bytes(json.dumps({"ready": False, "detail": why}).encode())
        return
    conn.send_bytes(json.dumps({"ready": True}).encode())
    while True:
        try:
            request = json.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return  # the pool closed, or the trainer is gone
        fn, returns = functions[request["name"]]
        reply = run_call(fn, returns, request["args"], sink)
        conn.send_bytes(json.dumps(reply, allow_nan=False).encode())
