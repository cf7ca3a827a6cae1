"""The sandbox of `code_tests`: generated code and a test snippet run in a separate, limited Python process.

What contains the child (docs/security.md, "Generated code runs in a sandbox"):
- its own interpreter, `python -I -S -B`: no PYTHON* variables, no site-packages, no user site, the working
  directory not on sys.path; its own fresh temporary directory (mode 700) as the working directory, deleted after;
- a minimal environment (PATH, HOME, TMPDIR, LC_ALL only): nothing of the trainer's, so no API key; opening
  anything under /proc or /sys is refused (another process's environ is there);
- kernel limits: a wall-clock timeout, after which its whole process group (it leads its own session) is killed;
  RLIMIT_CPU, RLIMIT_AS (memory), RLIMIT_FSIZE, RLIMIT_NOFILE, RLIMIT_NPROC = 0 (binding for every user but root),
  no core files; it is killed when its parent dies (PR_SET_PDEATHSIG);
- a seccomp filter (x86-64 and AArch64; root included): fork, clone (processes and threads), exec, socket, kill,
  tkill/tgkill, pidfd_send_signal and ptrace fail with EPERM;
- a fresh user and network namespace where unshare(2) allows it (no network interface but a down loopback; in the
  user namespace not even root can raise a hard limit); root where user namespaces are off gets the network one;
  SandboxOutcome says which of these layers a run had;
- an audit hook (PEP 578) installed before the generated code runs: no socket, subprocess, fork, exec, ctypes,
  os.kill, setrlimit or setuid; no write, rename or delete outside its directory.
What does not: writes outside the directory are refused only by the audit hook, which is not a security boundary on
its own (PEP 578 says so: code that finds a route it does not see, e.g. a descriptor opened relative to another
directory, gets past it); the kernel's file permissions are the user's (or root's). Reading files the process may
read is allowed (it has no network or channel to send them on). The generated code runs in the same interpreter as
the test loop, so it can tamper with how its own tests are counted: the score is a reward signal, not a proof.
"""

from __future__ import annotations

import ast
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from typing import Optional

_CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sandbox_child.py")

MAX_SOURCE_CHARS = 200_000  # code and tests each; longer inputs are refused (ValueError), not run
MAX_RESULT_BYTES = 64 * 1024  # the child's report; more is read and dropped (a flood cannot grow the parent)


@dataclass(frozen=True)
class SandboxLimits:
    timeout_s: float = 5.0  # wall clock, from start to the last result
    cpu_s: int = 5  # RLIMIT_CPU (SIGXCPU at this, SIGKILL a second later)
    memory_mb: int = 512  # RLIMIT_AS
    file_mb: int = 16  # RLIMIT_FSIZE: the largest file it may write
    open_files: int = 64  # RLIMIT_NOFILE


@dataclass(frozen=True)
class SandboxOutcome:
    total: int  # top-level assert statements in the tests
    passed: int
    started: bool  # setup finished and the generated code began
    finished: bool  # every test ran (no timeout, crash or exit on the way)
    timed_out: bool
    network_namespace: bool  # this run had its own, empty network namespace
    seccomp: bool  # this run had the seccomp filter (no fork, thread, exec, socket, kill: root included)
    user_namespace: bool  # this run had its own user namespace (no raising a hard limit: root included)
    code_failed: bool  # the generated code raised or did not compile: every test fails


def split_tests(tests: str) -> list[tuple[str, bool]]:
    """The test snippet's top-level statements in order, each with whether it is an `assert` (one counted test).
    Other statements (imports, helpers, setup) run in order too but are not counted. ValueError when the snippet
    does not parse or holds no top-level assert."""
    if len(tests) > MAX_SOURCE_CHARS:
        raise ValueError(f"code_tests: the tests are longer than {MAX_SOURCE_CHARS} characters")
    try:
        module = ast.parse(tests)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as err:
        raise ValueError(f"code_tests: the tests do not parse: {err}") from None
    statements = []
    for node in module.body:
        source = ast.get_source_segment(tests, node) or ast.unparse(node)
        statements.append((source, isinstance(node, ast.Assert)))
    if not any(is_assert for _, is_assert in statements):
        raise ValueError("code_tests: the tests hold no top-level assert statement")
    return statements


def _minimal_env(directory: str) -> dict[str, str]:
    return {"PATH": os.defpath, "HOME": directory, "TMPDIR": directory, "LC_ALL": "C.UTF-8"}


def _read_report(proc: subprocess.Popen, deadline: float) -> tuple[bytes, bool]:
    """The child's report until it closes it or the deadline passes (then True); bounded to MAX_RESULT_BYTES."""
    assert proc.stdout is not None
    data = bytearray()
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return bytes(data), True
            if not selector.select(left):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                return bytes(data), False
            if len(data) < MAX_RESULT_BYTES:
                data += chunk[: MAX_RESULT_BYTES - len(data)]


def _kill_group(proc: subprocess.Popen) -> None:
    # The child leads its own session, so its group id is its pid; it is not yet reaped, so the id is still its own.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _killed_by_cpu_limit(proc: subprocess.Popen) -> bool:
    try:
        code = proc.wait(timeout=1.0)  # its output has ended: it is exiting
    except subprocess.TimeoutExpired:
        return False
    return code == -signal.SIGXCPU


def _parse_report(data: bytes, total: int, timed_out: bool) -> SandboxOutcome:
    lines = data.decode("ascii", "replace").splitlines()
    started = bool(lines) and lines[0].startswith("S ")
    flags = lines[0].split()[1:] if started else []
    passed: set[int] = set()
    for line in lines[1:]:
        kind, _, index = line.partition(" ")
        if kind == "P" and index.isdigit() and int(index) < total:
            passed.add(int(index))
    return SandboxOutcome(
        total=total,
        passed=len(passed),
        started=started,
        finished="D" in lines,
        timed_out=timed_out,
        network_namespace=flags[:1] == ["1"],
        seccomp=flags[1:2] == ["1"],
        user_namespace=flags[2:3] == ["1"],
        code_failed="C" in lines,
    )


def run_tests(
    code: str, tests: str, limits: Optional[SandboxLimits] = None, hooks: bool = True, seccomp: bool = True
) -> SandboxOutcome:
    """Runs `code`, then each statement of `tests`, in a new sandboxed interpreter; see the module doc. `hooks=False`
    / `seccomp=False` leave the audit hook / the seccomp filter out (only the tests of the other layers do).
    RuntimeError when the sandbox itself
    could not start (no interpreter, no temporary directory), never for anything the code does."""
    limits = limits or SandboxLimits()
    if len(code) > MAX_SOURCE_CHARS:
        raise ValueError(f"code_tests: the code is longer than {MAX_SOURCE_CHARS} characters")
    statements = split_tests(tests)
    total = sum(1 for _, is_assert in statements if is_assert)
    with open(_CHILD, encoding="utf-8") as f:
        child_source = f.read()
    directory = tempfile.mkdtemp(prefix="mas-sandbox-")
    try:
        os.chmod(directory, 0o700)
        job = {
            "parent": os.getpid(),
            "limits": asdict(limits),
            "hooks": hooks,
            "seccomp": seccomp,
            "code": code,
            "tests": statements,
        }
        proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-B", "-c", child_source],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=directory,
            env=_minimal_env(directory),
            start_new_session=True,
            close_fds=True,
        )
        deadline = time.monotonic() + limits.timeout_s
        try:
            assert proc.stdin is not None
            try:
                proc.stdin.write(json.dumps(job).encode("utf-8"))
                proc.stdin.close()
            except BrokenPipeError:
                pass
            data, timed_out = _read_report(proc, deadline)
            # Out of CPU time (RLIMIT_CPU's SIGXCPU) is the same budget as the wall clock, reached first on an idle
            # machine: report it as a timeout too.
            timed_out = timed_out or _killed_by_cpu_limit(proc)
        finally:
            _kill_group(proc)
            if proc.stdout is not None:
                proc.stdout.close()
    except OSError as err:
        raise RuntimeError(f"code_tests: the sandbox could not start: {err}") from None
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    outcome = _parse_report(data, total, timed_out)
    if not outcome.started and not timed_out:
        raise RuntimeError(f"code_tests: the sandbox exited before the code started (exit {proc.returncode})")
    return outcome
