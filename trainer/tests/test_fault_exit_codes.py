"""Issue 14, F8: every fault ends with its documented exit code (trainer/README.md) and run.json status, through
the real entry point on a tiny run: a full disk (10, `failed`, no `.tmp-*` left), out of memory on CPU or GPU,
including torch's allocator errors that are plain RuntimeErrors (9, `failed`), corrupt metrics.jsonl lines on
--resume (skipped with file:line, as the editor's reader does), and a run.json of the wrong shape (8, naming the
field, nothing changed)."""

import errno
import json
import os

import pytest
from test_json_policy import run_cli, strict_parse, tiny_run_data

from mas_trainer import errors
from mas_trainer.__main__ import main


def _temp_leftovers(run_dir) -> list[str]:
    return [
        os.path.join(root, name)
        for root, dirs, files in os.walk(run_dir)
        for name in dirs + files
        if name.startswith(".tmp-")
    ]


def _run_json(tmp_path) -> dict:
    return json.loads((tmp_path / "run" / "run.json").read_text())


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_while_saving_a_checkpoint(tmp_path, capsys, monkeypatch):
    import mas_trainer.checkpoint as checkpoint_module

    def half_written(obj, f, *args, **kwargs):  # the disk fills up in the middle of a checkpoint file
        f.write(b"PK\x03\x04 partial")
        _disk_full()

    monkeypatch.setattr(checkpoint_module.torch, "save", half_written)
    assert run_cli(tmp_path, tiny_run_data()) == errors.EXIT_DISK_FULL
    err = capsys.readouterr().err
    assert (
        err.splitlines()[-1].startswith("error: the disk holding the run directory is full")
        and "--resume" in err
        and "Traceback" not in err
    ), err
    run = _run_json(tmp_path)
    assert run["status"] == "failed" and "disk" in run["error"]
    assert _temp_leftovers(tmp_path / "run") == []
    assert not (tmp_path / "run" / "checkpoints" / "global_step_2").exists()


def test_disk_full_while_appending_a_metrics_line(tmp_path, monkeypatch):
    import mas_trainer.rundir.steps as step_files

    monkeypatch.setattr(step_files, "append_line", _disk_full)
    assert run_cli(tmp_path, tiny_run_data()) == errors.EXIT_DISK_FULL
    assert _run_json(tmp_path)["status"] == "failed"
    assert _temp_leftovers(tmp_path / "run") == []


def test_disk_full_before_training_starts(tmp_path, capsys, monkeypatch):
    import mas_trainer.trainer as trainer_module

    monkeypatch.setattr(trainer_module, "open_logger", _disk_full)  # trainer.log cannot be created
    assert run_cli(tmp_path, tiny_run_data()) == errors.EXIT_DISK_FULL
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "raised,where",
    [
        (
            RuntimeError(
                "[enforce fail at alloc_cpu.cpp:117] data. DefaultCPUAllocator: can't allocate memory: you tried "
                "to allocate 68719476736 bytes. Error code 12 (Cannot allocate memory)"
            ),
            "the machine",
        ),
        (MemoryError(), "the machine"),
        (RuntimeError("CUDA error: out of memory"), "the GPU"),
    ],
)
def test_out_of_memory_in_the_update(tmp_path, capsys, monkeypatch, raised, where):
    import mas_trainer.trainer as trainer_module

    def update(*args, **kwargs):
        raise raised

    monkeypatch.setattr(trainer_module, "update", update)
    assert run_cli(tmp_path, tiny_run_data()) == errors.EXIT_OUT_OF_MEMORY
    err = capsys.readouterr().err
    assert f"error: {where} ran out of memory" in err and "Traceback" not in err, err
    # the advice: the update's token budget (with the value this run used), activation checkpointing, less work
    assert "lower `micro_batch_tokens` in the train block (this run used 2048)" in err, err
    assert "`gradient_checkpointing: true`" in err and "smaller `group`, `batch`" in err, err
    run = _run_json(tmp_path)
    assert run["status"] == "failed" and "out of memory" in run["error"]
    assert _temp_leftovers(tmp_path / "run") == []


def test_a_runtime_error_that_is_not_a_fault_stays_a_traceback(tmp_path, monkeypatch):
    import mas_trainer.trainer as trainer_module

    def update(*args, **kwargs):
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied")

    monkeypatch.setattr(trainer_module, "update", update)
    with pytest.raises(RuntimeError, match="shapes"):  # a bug: exit 1 with the traceback (README: report it)
        run_cli(tmp_path, tiny_run_data())
    run = _run_json(tmp_path)  # and the editor does not show a crashed run as still running
    assert run["status"] == "failed" and "RuntimeError: mat1 and mat2 shapes" in run["error"]


def _stopped_after_three_of_four_steps(tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(tiny_run_data(steps=4)))
    assert main(["run", "--spec", str(spec), "--run-dir", str(tmp_path / "run"), "--max-steps", "3"]) == 0
    return tmp_path / "run" / "metrics.jsonl"


CORRUPT_LINES = [
    b"{not json",
    b'{"step": 2, "loss": NaN}',
    b"\xff\xfe{}",
    b'{"step": "2"}',
    b"[1, 2]",
    b'{"no_step": true}',
]


def test_corrupt_metrics_lines_are_skipped_with_a_warning_on_resume(tmp_path, capsys):
    metrics = _stopped_after_three_of_four_steps(tmp_path)
    lines = metrics.read_bytes().splitlines(keepends=True)  # steps 1, 2, 3; the checkpoint is at step 2
    # corrupt lines among the kept steps (after line 1) and among the redone ones (after step 3's line)
    metrics.write_bytes(lines[0] + b"\n".join(CORRUPT_LINES) + b"\n" + b"".join(lines[1:]) + b"{torn\n")
    capsys.readouterr()
    assert run_cli(tmp_path, resume=True) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for number in range(2, 2 + len(CORRUPT_LINES)):
        assert f"{metrics}:{number}: " in err and "the line is skipped" in err, (number, err)
    assert f"{metrics}:{3 + len(CORRUPT_LINES) + 1}: " in err  # "{torn", after step 3
    kept = metrics.read_bytes().splitlines()
    assert kept[1 : 1 + len(CORRUPT_LINES)] == CORRUPT_LINES  # the kept history is not rewritten: nothing lost
    steps = [strict_parse(line.decode())["step"] for line in kept if line not in CORRUPT_LINES]
    assert steps == [1, 2, 3, 4] and _run_json(tmp_path)["status"] == "finished"


RUN_JSON_MUTANTS = [
    ("steps_completed", "abc"),
    ("started_at", "yesterday"),
    ("status", "exploded"),
    ("version", 2),
    ("error", 5),
    ("units", {}),
    ("trainer", None),
    ("spec", []),
    ("workflow", None),
    ("steps_total", -1),
    ("updated_at", True),
]


@pytest.mark.parametrize("field,value", RUN_JSON_MUTANTS)
def test_run_json_with_a_field_of_the_wrong_type_is_exit_8_naming_it(tmp_path, capsys, field, value):
    metrics = _stopped_after_three_of_four_steps(tmp_path)
    run = _run_json(tmp_path)
    run[field] = value
    (tmp_path / "run" / "run.json").write_text(json.dumps(run))
    before = metrics.read_bytes(), sorted(os.listdir(tmp_path / "run" / "trajectories"))
    capsys.readouterr()
    assert run_cli(tmp_path, resume=True) == errors.EXIT_RESUME_FAILED
    err = capsys.readouterr().err
    assert f"field `{field}` must be" in err and "Traceback" not in err, err
    assert (metrics.read_bytes(), sorted(os.listdir(tmp_path / "run" / "trajectories"))) == before


@pytest.mark.parametrize(
    "text,words",
    [
        ("[1]", "not a JSON object"),
        ('{"version": 1}', "field `status` is missing"),
        ('{"version": 1, "started_at": NaN}', "NaN is not a JSON value"),
    ],
)
def test_run_json_that_is_not_a_run_record_is_exit_8(tmp_path, capsys, text, words):
    _stopped_after_three_of_four_steps(tmp_path)
    (tmp_path / "run" / "run.json").write_text(text)
    capsys.readouterr()
    assert run_cli(tmp_path, resume=True) == errors.EXIT_RESUME_FAILED
    assert words in capsys.readouterr().err


def test_resume_keeps_the_first_start_time(tmp_path):
    _stopped_after_three_of_four_steps(tmp_path)
    first = _run_json(tmp_path)["started_at"]
    assert run_cli(tmp_path, resume=True) == 0
    assert _run_json(tmp_path)["started_at"] == first


def test_the_json_schema_refuses_every_run_json_mutant_refused_on_resume(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    from test_run_dir_schemas import _schema, _validator

    _stopped_after_three_of_four_steps(tmp_path)
    run = _run_json(tmp_path)
    validator = _validator(_schema("run-dir", "run.schema.json"))
    assert validator.is_valid(run) and jsonschema
    for field, value in RUN_JSON_MUTANTS:
        assert not validator.is_valid({**run, field: value}), field


def test_cleanup_after_a_fault_follows_no_link(tmp_path):
    from mas_trainer.faults import remove_partial_writes

    outside = tmp_path / "outside"
    (outside / ".tmp-keep").mkdir(parents=True)
    run_dir = tmp_path / "run"
    (run_dir / "trajectories").mkdir(parents=True)
    (run_dir / "checkpoints").symlink_to(outside)  # planted after the start-up check
    (run_dir / ".tmp-partial").write_bytes(b"half")
    remove_partial_writes(str(run_dir))
    assert (outside / ".tmp-keep").is_dir() and not (run_dir / ".tmp-partial").exists()
