"""The pool of worker processes that runs every verifier call (issue 16 item 1): user files are imported only in the
workers, never in the trainer; each call has a timeout (the hung worker's whole process group is killed and a new
worker takes its place) and each worker a memory limit (RLIMIT_AS). A call never raises: an exception, a timeout, a
memory error, a crashed worker or a wrong return type is a VerifierResult with value None and an error kind, counted
per verifier (metrics `verifier_errors`)."""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import shutil
import signal
import tempfile
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Optional

from ..errors import SpecError
from .builtins import BUILTINS
from .types import PARAM_TYPES, RETURN_TYPES, VerifierDecl, VerifierResult, short_detail
from .worker import worker_main

STARTUP_TIMEOUT_S = 120.0  # a worker imports sympy and the user's files before it is ready
MAX_REPLY_BYTES = 1 << 20  # a worker's replies are short (details are cut to 300 characters); more is a broken worker


# How often call_many returns to the interpreter while it waits, so a signal handler runs promptly (see there).
SIGNAL_CHECK_S = 0.2


def check_decls(decls: list[VerifierDecl]) -> None:
    """SpecError (exit 3) for a declaration the pool cannot run; files are only looked at, never imported here."""
    names = [d.name for d in decls]
    if len(set(names)) != len(names):
        raise SpecError(f"verifiers: duplicate names in {names}")
    for d in decls:
        if d.returns not in RETURN_TYPES or any(t not in PARAM_TYPES for _, t in d.params):
            raise SpecError(f"verifier {d.name}: types must be {PARAM_TYPES} -> {RETURN_TYPES}")
        if d.file is None and d.function not in BUILTINS:
            raise SpecError(f"verifier {d.name}: {d.function} is not a built-in verifier ({', '.join(BUILTINS)})")
        if d.file is not None and not (os.path.isabs(d.file) and os.path.isfile(d.file)):
            raise SpecError(f"verifier {d.name}: the file {d.file} does not exist (check the path in the .mas file)")


class _Worker:
    """One worker process and the trainer's end of its pipe; used by one thread at a time."""

    def __init__(self, context, decls: list[VerifierDecl], memory_mb: int):
        # The worker's temporary files (code_tests' sandbox directories included) go here, removed with the worker:
        # a worker killed mid-call leaves nothing in /tmp.
        self.tmp = tempfile.mkdtemp(prefix="mas-verifier-worker-")
        self.conn, child = context.Pipe(duplex=True)
        self.process = context.Process(target=worker_main, args=(child, decls, memory_mb, self.tmp), daemon=True)
        self.process.start()
        child.close()
        # The call's thread and a cancel (pool.close(kill=True), on the main thread) may both end this worker: the
        # pipe is closed once, under this lock, never while the other is inside close (that close failed with EBADF).
        self._close_lock = threading.Lock()

    def wait_ready(self) -> Optional[str]:
        """None once the worker has loaded every function, else why it could not."""
        if not self.conn.poll(STARTUP_TIMEOUT_S):
            return f"a verifier worker did not start within {STARTUP_TIMEOUT_S:.0f} s"
        try:
            message = json.loads(self.conn.recv_bytes(MAX_REPLY_BYTES))
        except (EOFError, OSError, ValueError):
            return f"a verifier worker exited while loading the verifiers (exit code {self.process.exitcode})"
        return None if message.get("ready") is True else str(message.get("detail"))

    def call(self, name: str, args: tuple, returns: str, timeout_s: float) -> tuple[VerifierResult, bool]:
        """The call's result and whether this worker can take another call."""
        try:
            self.conn.send_bytes(json.dumps({"name": name, "args": list(args)}, allow_nan=False).encode())
        except (TypeError, ValueError) as err:
            return VerifierResult(None, "exception", short_detail(f"arguments are not JSON values: {err}")), True
        except OSError:
            return VerifierResult(None, "crashed", self.exit_detail()), False
        if not self.conn.poll(timeout_s):
            self.kill()
            return VerifierResult(None, "timeout", f"no result within {timeout_s:g} s; the worker was replaced"), False
        try:
            reply = json.loads(self.conn.recv_bytes(MAX_REPLY_BYTES))
        except (EOFError, OSError, ValueError):
            self.kill()
            return VerifierResult(None, "crashed", self.exit_detail()), False
        return VerifierResult(reply["value"], reply["error"], reply["detail"]), True

    def exit_detail(self) -> str:
        self.process.join(1.0)
        code = self.process.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        return f"the worker died ({how}); it was replaced"

    def signal_kill(self) -> None:
        """Kills the process group and touches nothing else: a call in flight sees EOF and its thread cleans up."""
        # The worker leads its own session: its group holds whatever it started (a verifier's subprocesses).
        if self.process.exitcode is not None:
            return  # reaped: its pid may belong to another process now
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, TypeError):
            pass

    def kill(self) -> None:
        self.signal_kill()
        self.process.join(5.0)
        self._close_pipe()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def close(self) -> None:
        self._close_pipe()  # the worker's recv sees EOF and returns
        self.process.join(2.0)
        if self.process.is_alive():
            self.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _close_pipe(self) -> None:
        with self._close_lock:
            self.conn.close()  # a no-op once closed


class VerifierPool:
    """Runs verifier calls in `workers` processes (multiprocessing, spawn). A context manager."""

    def __init__(self, decls: list[VerifierDecl], workers: int = 2, timeout_s: float = 10.0, memory_mb: int = 1024):
        check_decls(decls)
        if workers < 1 or not timeout_s > 0 or memory_mb < 64:
            raise SpecError(
                f"verifier settings: workers must be >= 1, the timeout > 0 s and the memory limit >= 64 MB "
                f"(got {workers}, {timeout_s}, {memory_mb})"
            )
        self.decls = {d.name: d for d in decls}
        self.workers, self.timeout_s, self.memory_mb = workers, timeout_s, memory_mb
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[Optional[_Worker]] = queue.Queue()
        self._errors: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        self._closed = False
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="verifier-call")
        started = [self._start_worker() for _ in range(workers)]
        for worker in started:
            problem = worker.wait_ready()
            if problem is not None:
                self.close()
                raise SpecError(problem)
            self._idle.put(worker)

    def _start_worker(self) -> _Worker:
        worker = _Worker(self._context, list(self.decls.values()), self.memory_mb)
        with self._lock:
            self._all.append(worker)
        return worker

    def _replace(self, old: _Worker) -> Optional[_Worker]:
        with self._lock:
            if old in self._all:
                self._all.remove(old)
            if self._closed:
                return None
        new = self._start_worker()
        if new.wait_ready() is not None:
            new.kill()
            return None
        return new

    def call(self, name: str, args: tuple) -> VerifierResult:
        decl = self.decls.get(name)
        if decl is None:
            return self._count(name, VerifierResult(None, "exception", f"no verifier named {name}"))
        worker = self._idle.get()
        if worker is None:  # every worker failed to restart, or the pool is closed
            self._idle.put(None)
            return self._count(name, VerifierResult(None, "crashed", "no verifier worker is running"))
        try:
            result, reusable = worker.call(name, args, decl.returns, self.timeout_s)
        except BaseException:
            worker.kill()
            self._idle.put(self._replace(worker))
            raise
        self._idle.put(worker if reusable else self._replace(worker))
        return self._count(name, result)

    def call_many(self, calls: list[tuple[str, tuple]]) -> list[VerifierResult]:
        """The results in the order of `calls`, run on all workers at once."""
        futures = [self._executor.submit(self.call, name, args) for name, args in calls]
        try:
            # Timed waits, not one untimed wait: the kernel may deliver a process signal (rescore's SIGTERM cancel,
            # Ctrl-C) to a call's thread, and then only a wait that returns to the interpreter lets the main thread's
            # Python handler run; an untimed wait held it until every call had ended (up to the verifier timeout).
            while wait(futures, timeout=SIGNAL_CHECK_S).not_done:
                pass
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        return [future.result() for future in futures]

    def _count(self, name: str, result: VerifierResult) -> VerifierResult:
        if result.error is not None:
            with self._lock:
                self._errors[name] += 1
        return result

    def error_counts(self) -> dict[str, int]:
        """Verifier name -> errors so far (metrics `verifier_errors`): every declared verifier, 0 when it had none."""
        with self._lock:
            return {name: self._errors.get(name, 0) for name in [*self.decls, *self._errors]}

    def close(self, kill: bool = False) -> None:
        """Ends the workers once their calls are done; `kill` (a cancel: Ctrl-C, SIGTERM) kills them first, so that
        a call in flight ends now (as a crash nobody reads) instead of at its timeout, and queued calls never start."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            workers = list(self._all)
        if kill:
            for worker in workers:
                worker.signal_kill()  # the calls' threads see EOF now and end their workers themselves
        self._executor.shutdown(wait=True, cancel_futures=kill)
        for worker in workers:
            worker.close()
        self._idle.put(None)

    def __enter__(self) -> VerifierPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
