"""Verifier figures (issue 16): what running verifiers in the worker pool costs per rollout, and how many `code_tests`
sandbox runs the pool does per second.

1. math_equal overhead: the same inputs scored in this process (a direct call: the peer) and through VerifierPool
   (one call at a time, as a rollout scored alone; and call_many, as a batch of rollouts). Per-call µs and ratios.
2. code_tests throughput: sandboxed runs (each a fresh interpreter running a solution and its asserts) per second
   through a pool of --workers workers, and the asserts checked per second.

Usage: trainer/.venv/bin/python trainer/bench/verifier_overhead.py [--calls 300] [--sandbox-runs 24] [--workers 2]
Prints a report, the machine's load (uptime) before and after, and a last line of JSON with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from mas_trainer.verifiers import VerifierDecl, VerifierPool  # noqa: E402
from mas_trainer.verifiers.math_equal import math_equal  # noqa: E402

SOLUTION = "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n"
TESTS = "\n".join(f"assert fib({n}) == {v}" for n, v in [(0, 0), (1, 1), (2, 1), (10, 55), (20, 6765)])
ASSERTS_PER_RUN = 5


def math_inputs(count: int, seed: int = 0) -> list[tuple[str, str]]:
    """Model-like outputs with a boxed answer (fractions, decimals, thousands, LaTeX) and their references."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        p, q = rng.randint(1, 999), rng.randint(1, 99)
        shape = rng.randrange(4)
        got = [f"\\frac{{{p}}}{{{q}}}", f"{p / q:.6f}", f"{p * 1000:,}", f"\\dfrac{{{p}}}{{{q}}}"][shape]
        want = [f"{p}/{q}", f"{p / q:.6f}", str(p * 1000), f"{p}/{q}"][shape]
        out.append((f"Step 1: reduce. Step 2: so the answer is \\boxed{{{got}}}.", want))
    return out


def load() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def math_overhead(calls: int, workers: int) -> dict:
    inputs = math_inputs(calls)
    start = time.perf_counter()
    direct = [math_equal(g, w) for g, w in inputs]
    in_process_us = (time.perf_counter() - start) / calls * 1e6
    decl = VerifierDecl("equal", [("got", "string"), ("want", "string")], "bool", None, "math_equal")
    with VerifierPool([decl], workers=workers) as pool:
        pool.call("equal", inputs[0])  # warm: the first call imports nothing new, but touches the worker's caches
        start = time.perf_counter()
        one_by_one = [pool.call("equal", args) for args in inputs]
        pool_call_us = (time.perf_counter() - start) / calls * 1e6
        start = time.perf_counter()
        batched = pool.call_many([("equal", args) for args in inputs])
        pool_many_us = (time.perf_counter() - start) / calls * 1e6
    expected = [float(x) for x in direct]
    if [r.value for r in one_by_one] != expected or [r.value for r in batched] != expected:
        raise SystemExit("the pool's answers differ from the in-process ones")
    return {
        "calls": calls,
        "in_process_us": round(in_process_us, 1),
        "pool_call_us": round(pool_call_us, 1),
        "pool_call_many_us": round(pool_many_us, 1),
        "pool_call_ratio": round(pool_call_us / in_process_us, 2),
        "pool_call_many_ratio": round(pool_many_us / in_process_us, 2),
        "overhead_per_rollout_us": round(pool_call_us - in_process_us, 1),
    }


def sandbox_throughput(runs: int, workers: int) -> dict:
    decl = VerifierDecl("tests", [("code", "string"), ("tests", "string")], "number", None, "code_tests")
    with VerifierPool([decl], workers=workers, timeout_s=30.0) as pool:
        pool.call("tests", (SOLUTION, TESTS))  # warm
        start = time.perf_counter()
        results = pool.call_many([("tests", (SOLUTION, TESTS))] * runs)
        seconds = time.perf_counter() - start
    if any(r.value != 1.0 for r in results):
        raise SystemExit(f"a sandbox run failed: {[r for r in results if r.value != 1.0][:1]}")
    return {
        "runs": runs,
        "workers": workers,
        "runs_per_s": round(runs / seconds, 2),
        "asserts_per_s": round(runs * ASSERTS_PER_RUN / seconds, 1),
        "ms_per_run": round(seconds / runs * 1e3, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--sandbox-runs", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    before = load()
    print(f"load before: {before}")
    math = math_overhead(args.calls, args.workers)
    print(
        f"math_equal, {math['calls']} calls: in-process {math['in_process_us']} µs/call; pool.call "
        f"{math['pool_call_us']} µs/call (x{math['pool_call_ratio']}); pool.call_many {math['pool_call_many_us']} "
        f"µs/call (x{math['pool_call_many_ratio']}); overhead per rollout {math['overhead_per_rollout_us']} µs"
    )
    sandbox = sandbox_throughput(args.sandbox_runs, args.workers)
    print(
        f"code_tests, {sandbox['runs']} sandbox runs on {sandbox['workers']} workers: {sandbox['runs_per_s']} runs/s "
        f"({sandbox['ms_per_run']} ms/run), {sandbox['asserts_per_s']} asserts/s"
    )
    after = load()
    print(f"load after: {after}")
    print(json.dumps({"math_equal": math, "code_tests": sandbox, "load_before": before, "load_after": after}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
