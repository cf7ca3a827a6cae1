"""Agents on an API model in a real scratch training (issue 16 item 5): they act through the endpoint, are frozen,
and the key never reaches the run directory or the trainer's output; a failing endpoint is exit 11."""

import json
import os
import subprocess
import sys
from pathlib import Path

from fake_openai_server import FakeOpenAi
from helpers import lazy_team_data

from mas_trainer.errors import EXIT_API_MODEL

SECRET = "sk-live-TOPSECRET-5b1e0d77"


def _spec_file(tmp_path: Path, url: str) -> Path:
    """The lazy team, 2 steps, with `idle` on an API model (its spec says frozen: false; the trainer freezes it)."""
    data = lazy_team_data()
    data["models"].append(
        {
            **data["models"][0],
            "name": "gpt",
            "adapter": None,
            "source": {
                "kind": "openai",
                "url": url,
                "model": "qwen3-8b",
                "key_env": "MAS_TEST_API_KEY",
                "timeout": 2,
                "retries": 0,
                "concurrency": 2,
            },
        }
    )
    for agent in data["agents"]:
        agent["frozen"] = False
        if agent["name"] == "idle":
            agent["model"] = "gpt"
    data["train"].update({"steps": 2, "batch": 2, "checkpoint_every": 1})
    data["train"]["algorithm"]["group"] = 2
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(data))
    return path


def _run(tmp_path: Path, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MAS_TEST_API_KEY": SECRET, "PYTHONPATH": str(Path(__file__).parents[1])}
    cmd = [sys.executable, "-m", "mas_trainer", "run", "--spec", str(_spec_file(tmp_path, url))]
    return subprocess.run(
        [*cmd, "--run-dir", str(tmp_path / "run")], env=env, capture_output=True, text=True, timeout=300
    )


def _files_holding(folder: Path, needle: bytes) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_a_two_step_training_with_an_api_agent_keeps_the_key_secret(tmp_path):
    with FakeOpenAi("ok") as fake:
        done = _run(tmp_path, fake.url)
    assert done.returncode == 0, done.stderr[-2000:]
    run = tmp_path / "run"
    # the API agent acted through the endpoint, with the key, on every rollout of both steps (2 tasks x group 2)
    assert fake.calls == 2 * 2 * 2 and set(fake.auth) == {f"Bearer {SECRET}"}
    turns = [
        t
        for p in sorted((run / "trajectories").rglob("*.jsonl"))
        for line in p.read_text().splitlines()
        for t in json.loads(line).get("turns", [])
    ]
    idle = [t for t in turns if t["agent"] == "idle"]
    assert idle and all(t.get("frozen") is True for t in idle)
    assert all(t["output"].startswith("echo: ") for t in idle)
    assert all(t["messages"][-1]["role"] == "user" for t in idle)
    # the key is nowhere: not in any file of the run directory, not in stdout or stderr
    assert _files_holding(run, SECRET.encode()) == []
    assert SECRET not in done.stdout and SECRET not in done.stderr
    spec_in_run = json.loads((run / "run.json").read_text())
    assert "MAS_TEST_API_KEY" in json.dumps(spec_in_run)  # the variable's name is recorded, its value is not


def test_a_failing_endpoint_stops_the_run_with_exit_11_naming_model_and_url(tmp_path):
    with FakeOpenAi("always-500") as fake:
        done = _run(tmp_path, fake.url)
    assert done.returncode == EXIT_API_MODEL, done.stderr[-2000:]
    assert "API model `gpt`" in done.stderr and fake.url in done.stderr
    assert SECRET not in done.stderr + done.stdout
    assert _files_holding(tmp_path / "run", SECRET.encode()) == []
