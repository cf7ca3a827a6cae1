"""`python -m mas_trainer rescore` (issue 16 item 6): recorded rollouts scored with a spec's reward exactly as training
scored them (the same scoring_setup, the real verifier pool), several runs, a step range, a cancel that ends the
pool at once, and hostile trajectory lines skipped with file:line while the others are still scored."""

import io
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
from contextlib import redirect_stdout

import pytest
from test_verifier_wiring import InProcessPool, verifier_spec_data

from mas_trainer.__main__ import main
from mas_trainer.errors import EXIT_BAD_ARGS, EXIT_RUN_DIR
from mas_trainer.rescore import parse_steps
from mas_trainer.rescore.stream import RESCORE_STREAM_VERSION
from mas_trainer.spec import parse_spec
from mas_trainer.trainer import RunOptions, Trainer

TRAINER_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A 2-step scratch run whose first criterion calls a Python verifier in a file (raising on some outputs)."""
    tmp = tmp_path_factory.mktemp("rescore")
    data = verifier_spec_data(tmp)
    data["train"].update(verifier_workers=1, verifier_timeout=20)
    run_dir = tmp / "run"
    pool = InProcessPool(data["verifiers"][0]["file"], "starts_upper")
    Trainer(parse_spec(data), RunOptions(str(run_dir)), verifier_pool=pool).run()
    spec_file = tmp / "spec.json"
    spec_file.write_text(json.dumps(data), encoding="utf-8")
    return tmp, run_dir, spec_file


def recorded(run_dir, step):
    return [json.loads(line) for line in (run_dir / "trajectories" / f"{step}.jsonl").read_text().splitlines()]


def rescore_lines(argv, capsys=None) -> tuple[int, list[dict]]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["rescore", *argv])
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def snapshot(folder) -> dict:
    return {
        os.path.relpath(os.path.join(root, name), folder): os.stat(os.path.join(root, name)).st_mtime_ns
        for root, _dirs, files in os.walk(folder)
        for name in files
    }


def test_rescoring_with_the_training_spec_gives_the_recorded_scores_through_the_real_pool(trained):
    _tmp, run_dir, spec_file = trained
    before = snapshot(run_dir)
    code, lines = rescore_lines([str(run_dir), "--spec", str(spec_file)])
    assert code == 0
    assert lines[0] == {"type": "start", "version": 1, "runs": [str(run_dir)], "rollouts": 16}
    assert lines[1] == {"type": "progress", "done": 0, "total": 16}
    rollouts = [line for line in lines if line["type"] == "rollout"]
    expected = {(r["step"], r["rollout"]): r for step in (1, 2) for r in recorded(run_dir, step)}
    assert sorted((r["step"], r["rollout"]) for r in rollouts) == sorted(expected)
    for line in rollouts:
        record = expected[(line["step"], line["rollout"])]
        assert line["run"] == 0
        assert line["reward"] == record["reward"]
        assert line["criteria"] == record["criteria"]
        assert line["errors"] == record["criteria_errors"]
        assert line["decision_rewards"] == record["decision_rewards"]
    progress = [line for line in lines if line["type"] == "progress"]
    assert [p["done"] for p in progress] == [0, 8, 16]
    failing = sum(1 for r in expected.values() if r["criteria_errors"])
    assert failing > 0, "the random outputs should include texts on which the verifier raises"
    assert lines[-1]["type"] == "done" and lines[-1]["rollouts"] == 16 and lines[-1]["skipped_lines"] == 0
    assert lines[-1]["verifier_errors"]["upper"] >= 1
    assert snapshot(run_dir) == before  # nothing written into the run directory


def test_a_changed_rubric_rescores_several_runs_in_a_step_range(trained):
    tmp, run_dir, spec_file = trained
    other = tmp / "other-checkpoint-run"
    if not other.exists():
        shutil.copytree(run_dir, other)
    data = json.loads(spec_file.read_text())
    # A rubric that only the verifier scores: the reward is 1 where the first agent's output starts upper case.
    data["rubrics"][0]["criteria"] = [dict(data["rubrics"][0]["criteria"][0], weight=1.0)]
    changed = tmp / "changed.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    code, lines = rescore_lines([str(run_dir), str(other), "--spec", str(changed), "--steps", "2..2"])
    assert code == 0
    rollouts = [line for line in lines if line["type"] == "rollout"]
    assert {line["step"] for line in rollouts} == {2}
    assert sorted({line["run"] for line in rollouts}) == [0, 1]
    assert len(rollouts) == 16 and lines[0]["rollouts"] == 16
    for line in rollouts:
        first = next(t["output"] for t in recorded(run_dir, 2)[line["rollout"]]["turns"] if t["agent"] == "first")
        raises = not first or ord(first[0]) % 2 == 0
        assert line["criteria"] == {"first_case": 0.0 if raises else float(first[:1].isupper())}
        assert line["reward"] == line["criteria"]["first_case"]
        assert line["errors"] == ({"first_case": "verifier_error"} if raises else {})


def test_step_ranges_and_bad_arguments(trained):
    assert parse_steps("3..7") == (3, 7) and parse_steps("..2") == (None, 2) and parse_steps("4..") == (4, None)
    assert parse_steps("5") == (5, 5) and parse_steps(None) == (None, None)
    _tmp, run_dir, spec_file = trained
    for bad in ("2..1", "a..b", "-1", "1...2"):
        assert rescore_lines([str(run_dir), "--spec", str(spec_file), "--steps", bad])[0] == EXIT_BAD_ARGS
    assert rescore_lines([str(run_dir), "--spec", str(spec_file), "--steps", "40..50"]) == (EXIT_RUN_DIR, [])
    assert rescore_lines([str(run_dir / "nothing"), "--spec", str(spec_file)]) == (EXIT_RUN_DIR, [])


def test_hostile_trajectory_lines_are_skipped_with_file_and_line_and_the_rest_is_scored(trained, tmp_path, capsys):
    _tmp, run_dir, spec_file = trained
    hostile = tmp_path / "hostile"
    shutil.copytree(run_dir, hostile)
    path = hostile / "trajectories" / "1.jsonl"
    lines = path.read_text().splitlines()
    broken = json.loads(lines[1])
    broken["turns"][0]["output"] = {"__class__": "os.system"}  # not a string: not scored
    wrong_step = json.loads(lines[2])
    wrong_step["step"] = 9
    lines[1], lines[2] = json.dumps(broken), json.dumps(wrong_step)
    lines.insert(3, "[" * 5000)  # nesting deeper than the parser accepts
    lines.append(lines[0])  # rollout 0 again
    path.write_text("\n".join(lines) + "\n" + '{"torn": ', encoding="utf-8")  # and a torn last line
    code, out = rescore_lines([str(hostile), "--spec", str(spec_file), "--steps", "1"])
    assert code == 0
    scored = sorted(line["rollout"] for line in out if line["type"] == "rollout")
    assert scored == [0, 3, 4, 5, 6, 7]
    assert out[-1]["skipped_lines"] == 4
    err = capsys.readouterr().err
    assert f"{path}:2:" in err and f"{path}:3:" in err and f"{path}:4:" in err and f"{path}:10:" in err


def test_a_linked_trajectories_folder_is_refused(trained, tmp_path):
    _tmp, run_dir, spec_file = trained
    linked = tmp_path / "linked"
    linked.mkdir()
    os.symlink(run_dir / "trajectories", linked / "trajectories")
    assert rescore_lines([str(linked), "--spec", str(spec_file)]) == (EXIT_RUN_DIR, [])


def test_the_verifier_s_folder_gets_no_bytecode_cache(trained, tmp_path):
    """The workspace holding a verifier file stays as it was (a process that may write bytecode, as a user's is)."""
    _tmp, run_dir, spec_file = trained
    data = json.loads(spec_file.read_text())
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    shutil.copy(data["verifiers"][0]["file"], workspace / "checks.py")
    data["verifiers"][0]["file"] = str(workspace / "checks.py")
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(data), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        [sys.executable, "-m", "mas_trainer", "rescore", str(run_dir), "--spec", str(spec), "--steps", "1"],
        cwd=TRAINER_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(os.listdir(workspace)) == ["checks.py"]


HANGING_VERIFIER = """
import os, time

def starts_upper(text):
    with open({pids!r}, "a") as f:
        f.write(str(os.getpid()) + "\\n")
    time.sleep(600)
    return True
"""


def test_sigterm_cancels_at_once_and_ends_the_workers(trained, tmp_path):
    _tmp, run_dir, spec_file = trained
    pids = tmp_path / "pids"
    os.mkfifo(pids)
    fifo = os.open(pids, os.O_RDWR)  # read and write: the workers' closes never give EOF
    data = json.loads(spec_file.read_text())
    verifier = tmp_path / "hang.py"
    verifier.write_text(HANGING_VERIFIER.format(pids=str(pids)), encoding="utf-8")
    data["verifiers"][0]["file"] = str(verifier)
    data["train"].update(verifier_timeout=600, verifier_workers=2)
    spec = tmp_path / "hang.json"
    spec.write_text(json.dumps(data), encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-m", "mas_trainer", "rescore", str(run_dir), "--spec", str(spec)],
        cwd=TRAINER_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert json.loads(child.stdout.readline())["type"] == "start"
        assert json.loads(child.stdout.readline()) == {"type": "progress", "done": 0, "total": 16}
        seen = b""
        while seen.count(b"\n") < 2:  # both workers inside a call (each writes its pid to the FIFO first)
            assert select.select([fifo], [], [], 120)[0], "the workers never started their calls"
            seen += os.read(fifo, 1024)
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=60) == 130  # far below the calls' 600 s timeout
    finally:
        os.close(fifo)
        if child.poll() is None:
            child.kill()
    assert "stopped" in child.stderr.read()
    for pid in map(int, seen.split()):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_the_stream_version_and_line_types_match_the_typescript_twin():
    text = open(os.path.join(TRAINER_ROOT, "..", "protocol", "rescore-stream.ts"), encoding="utf-8").read()
    assert re.search(rf"export const RESCORE_STREAM_VERSION = {RESCORE_STREAM_VERSION} as const;", text)
    for kind, fields in {
        "start": ("version", "runs", "rollouts"),
        "progress": ("done", "total"),
        "rollout": ("run", "step", "rollout", "reward", "criteria", "errors", "decision_rewards"),
        "done": ("rollouts", "verifier_errors", "skipped_lines"),
    }.items():
        block = re.search(rf"type: '{kind}';(.*?)\n}}", text, re.S)
        assert block, kind
        assert [f for f in fields if not re.search(rf"\n    {f}: ", block.group(1))] == [], kind
