"""The verifier figures' script (bench/verifier_overhead.py) runs end to end on a few calls, so it cannot rot unseen;
its answers through the pool are checked against the in-process ones inside the script."""

import importlib.util
import json
import os

from conftest import REPO_ROOT


def _load():
    path = os.path.join(REPO_ROOT, "trainer", "bench", "verifier_overhead.py")
    spec = importlib.util.spec_from_file_location("bench_verifier_overhead", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_math_inputs_are_equal_pairs():
    bench = _load()
    from mas_trainer.verifiers.math_equal import math_equal

    assert all(math_equal(got, want) for got, want in bench.math_inputs(40))


def test_verifier_overhead_runs_small(capsys):
    bench = _load()
    assert bench.main(["--calls", "4", "--sandbox-runs", "2", "--workers", "1"]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["math_equal"]["calls"] == 4 and figures["math_equal"]["in_process_us"] > 0
    assert figures["math_equal"]["pool_call_us"] > 0 and figures["code_tests"]["runs"] == 2
    assert figures["code_tests"]["runs_per_s"] > 0 and "load average" in figures["load_before"]
