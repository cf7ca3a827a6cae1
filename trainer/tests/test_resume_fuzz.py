"""Hostile run directories for --resume (issue 14): seeded mutants of a real run's run.json and metrics.jsonl
(truncation at every offset, byte flips, NaN / Infinity / 1e999, 5 000-deep nesting, huge lines, wrong types,
`__proto__`-style keys). The readers either accept a mutant or refuse it with the documented error (exit 8 for
run.json, a skipped line with file:line for metrics); nothing else escapes, and no kept record is lost."""

import json
import os
import random
import shutil

import pytest
from test_json_policy import strict_parse, tiny_run_data

from mas_trainer import errors
from mas_trainer.__main__ import main
from mas_trainer.errors import MasError
from mas_trainer.jsonl_records import metrics_problem, parse_jsonl
from mas_trainer.rundir import truncate_records
from mas_trainer.rundir.run_json import FIELDS, parse_run_json

SEED = 14
DEEP = 5000
KEPT_STEP = 2  # the run stops after step 3; its newest checkpoint is step 2


@pytest.fixture(scope="module")
def stopped_run(tmp_path_factory):
    """A real run directory: 4 steps planned, stopped after 3, checkpoint at 2 (what --resume meets)."""
    root = tmp_path_factory.mktemp("stopped")
    spec = root / "spec.json"
    spec.write_text(json.dumps(tiny_run_data(steps=4)))
    assert main(["run", "--spec", str(spec), "--run-dir", str(root / "run"), "--max-steps", "3"]) == 0
    return root


def _number_spans(text: str) -> list[tuple[int, int]]:
    import re

    return [m.span() for m in re.finditer(r"(?<![\w.\"])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w\"])", text)]


def run_json_mutants(text: str, rng: random.Random) -> list[str]:
    data = text.encode()
    mutants = [data[:cut].decode("utf-8", "replace") for cut in range(len(data))]  # every truncation
    for _ in range(300):  # byte flips
        at = rng.randrange(len(data))
        mutants.append((data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]).decode("latin-1"))
    spans = _number_spans(text)
    for token in ("NaN", "Infinity", "-Infinity", "1e999"):
        for start, end in rng.sample(spans, 10):
            mutants.append(text[:start] + token + text[end:])
    for start, end in rng.sample(spans, 10):  # a value nested far too deep
        mutants.append(text[:start] + "[" * DEEP + "]" * DEEP + text[end:])
    value = json.loads(text)
    for field in FIELDS:
        for wrong in ("x", -1, 1.5, True, None, [], {}, {"__proto__": {"polluted": 1}}):
            mutants.append(json.dumps({**value, field: wrong}))
        mutants.append(json.dumps({k: v for k, v in value.items() if k != field}))
    mutants.append(json.dumps({**value, "__proto__": {"status": "failed"}, "constructor": 1}))
    return mutants


def test_run_json_mutants_are_accepted_or_refused_with_exit_8(stopped_run):
    run_dir = stopped_run / "run"
    original = (run_dir / "run.json").read_text()
    mutants = run_json_mutants(original, random.Random(SEED))
    outcomes = {"accepted": 0, "refused": 0}
    for text in mutants:
        try:
            value = parse_run_json(text.encode("utf-8", "surrogateescape"), "run.json")
        except MasError as err:
            assert err.exit_code == errors.EXIT_RESUME_FAILED and "run.json" in str(err)
            outcomes["refused"] += 1
            continue
        assert all(check(value[name]) for name, (check, _) in FIELDS.items())
        outcomes["accepted"] += 1
    assert outcomes["refused"] > len(mutants) * 0.9 and outcomes["accepted"] > 0, outcomes
    print(f"run.json mutants: {len(mutants)}, {outcomes}")


def metrics_mutants(data: bytes, rng: random.Random) -> list[bytes]:
    mutants = [data[:cut] for cut in range(len(data))]
    for _ in range(300):
        at = rng.randrange(len(data))
        mutants.append(data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :])
    lines = data.splitlines(keepends=True)
    hostile = [
        b'{"step": 1, "loss": NaN}\n',
        b'{"step": 2, "x": ' + b"[" * DEEP + b"]" * DEEP + b"}\n",
        b'{"step": 2, "pad": "' + b"x" * (1 << 20) + b'"}\n',
        b'{"step": "2"}\n',
        b"\xff\xfe\n",
        b'{"__proto__": {"step": 1}}\n',
        b'{"step": 1e999}\n',
        b"\n\r\n",
        b'{"step": true}\n',
        b"[]\n",
    ]
    for line in hostile:
        for at in range(len(lines) + 1):
            mutants.append(b"".join(lines[:at]) + line + b"".join(lines[at:]))
    mutants.append(data.replace(b"\n", b"\r\n"))
    return mutants


def _valid_steps(data: bytes) -> list[int]:
    return [line.record["step"] for line in parse_jsonl(data, metrics_problem) if line.problem is None]


def test_metrics_mutants_never_escape_and_keep_every_kept_record(stopped_run, tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fsync", lambda fd: None)  # thousands of rewrites; durability is not what is tested
    original = (stopped_run / "run" / "metrics.jsonl").read_bytes()
    mutants = metrics_mutants(original, random.Random(SEED))
    path = tmp_path / "metrics.jsonl"
    warnings = []
    for data in mutants:
        path.write_bytes(data)
        before = _valid_steps(data)
        dropped = truncate_records(str(path), lambda r: r["step"] <= KEPT_STEP, warnings.append, metrics_problem)
        after = path.read_bytes()
        assert _valid_steps(after) == [s for s in before if s <= KEPT_STEP]
        assert dropped == len(before) - len(_valid_steps(after))
        for line in parse_jsonl(after):  # what stays is byte for byte what was there (nothing rewritten)
            assert line.raw in data
    assert all(".jsonl:" in w and "the line is skipped" in w for w in warnings)
    print(f"metrics.jsonl mutants: {len(mutants)}, corrupt lines reported: {len(warnings)}")


@pytest.mark.parametrize("which", range(12))
def test_resume_of_a_hostile_run_directory_exits_0_or_8(stopped_run, tmp_path, capsys, which):
    """End to end, through the command line: a sample of both mutant kinds, resumed."""
    rng = random.Random(SEED * 100 + which)
    run_dir = tmp_path / "run"
    shutil.copytree(stopped_run / "run", run_dir)
    if which % 2 == 0:
        text = rng.choice(run_json_mutants((run_dir / "run.json").read_text(), rng)[-200:])
        (run_dir / "run.json").write_text(text, encoding="utf-8", errors="surrogateescape")
    else:
        data = rng.choice(metrics_mutants((run_dir / "metrics.jsonl").read_bytes(), rng)[-60:])
        (run_dir / "metrics.jsonl").write_bytes(data)
    capsys.readouterr()
    code = main(["run", "--spec", str(stopped_run / "spec.json"), "--run-dir", str(run_dir), "--resume"])
    err = capsys.readouterr().err
    assert code in (0, errors.EXIT_RESUME_FAILED) and "Traceback" not in err, (code, err)
    if code == 0:
        steps = _valid_steps((run_dir / "metrics.jsonl").read_bytes())
        assert steps[-2:] == [3, 4] and sorted(set(steps)) == steps
        strict_parse((run_dir / "run.json").read_text())
