"""A small kill test (SIGKILL at random moments, resume): no lost or repeated step, same final weights.
The full figure (>= 50 kills) is trainer/bench/kill_test.py."""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def test_sigkill_and_resume_loses_and_repeats_no_step():
    script = os.path.join(HERE, "..", "bench", "kill_test.py")
    proc = subprocess.run(
        [
            sys.executable,
            script,
            "--kills",
            "3",
            "--steps",
            "20",
            "--seed",
            "1",
            "--example",
            "lazy-team",
            "--tear-every",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["kills"] == 3 and result["restarts"] == 4, result
    assert result["lost_steps"] == [] and result["repeated_steps"] == [] and result["final_weights_equal"], result
