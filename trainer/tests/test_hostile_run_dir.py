"""Issue 14 F3: the trainer touches nothing outside its run directory. Each probe plants a link (or a hard link, or
a FIFO) where the trainer writes; the run is refused (exit 7) and the file or folder outside is unchanged. The
low-level writers refuse links too, for a link planted after the start-up check."""

import json
import os

import pytest
from helpers import lazy_team

from mas_trainer.checkpoint import save_checkpoint
from mas_trainer.errors import EXIT_RUN_DIR, MasError
from mas_trainer.rundir import append_line, open_logger, remove_temp_files
from mas_trainer.trainer import RunOptions, Trainer


def _trainer(run_dir, steps=6, max_steps=None, resume=False):
    spec = lazy_team(steps=steps, checkpoint_every=1, batch=2)
    spec.train.algorithm.group = 4
    return Trainer(spec, RunOptions(str(run_dir), resume=resume, max_steps=max_steps))


def _refused(run_dir, word, **kw):
    with pytest.raises(MasError) as caught:
        _trainer(run_dir, **kw).run()
    assert caught.value.exit_code == EXIT_RUN_DIR
    assert word in str(caught.value)
    return str(caught.value)


@pytest.fixture
def outside(tmp_path):
    """A file outside the run directory, standing for a shell rc file."""
    path = tmp_path / "outside" / "bashrc"
    path.parent.mkdir()
    path.write_text("# user's file\n")
    return path


@pytest.mark.parametrize("name", ["metrics.jsonl", "trainer.log"])
def test_a_linked_log_is_refused_and_the_outside_file_is_unchanged(tmp_path, outside, name):
    run = tmp_path / "run"
    run.mkdir()
    os.symlink(outside, run / name)
    message = _refused(run, "symbolic link", resume=True)
    assert name in message
    assert outside.read_text() == "# user's file\n"


@pytest.mark.parametrize("name", ["metrics.jsonl", "trainer.log", "run.json"])
def test_a_dangling_link_creates_nothing_outside(tmp_path, name):
    run = tmp_path / "run"
    run.mkdir()
    target = tmp_path / "outside-created"
    os.symlink(target, run / name)
    _refused(run, "symbolic link")
    assert not os.path.lexists(target)


def _foreign_checkpoints(tmp_path):
    foreign = tmp_path / "someone-elses"
    for step in (1, 2, 3, 4):
        (foreign / f"global_step_{step}").mkdir(parents=True)
        (foreign / f"global_step_{step}" / "weights.bin").write_text("theirs")
    return foreign


def test_a_linked_checkpoints_folder_deletes_nothing_outside(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    foreign = _foreign_checkpoints(tmp_path)
    os.symlink(foreign, run / "checkpoints")
    _refused(run, "symbolic link", max_steps=1)
    assert sorted(os.listdir(foreign)) == [f"global_step_{s}" for s in (1, 2, 3, 4)]


def test_a_linked_global_step_folder_is_refused_not_followed(tmp_path):
    run = tmp_path / "run"
    (run / "checkpoints").mkdir(parents=True)
    foreign = _foreign_checkpoints(tmp_path)
    os.symlink(foreign / "global_step_1", run / "checkpoints" / "global_step_1")
    _refused(run, "global_step_1", max_steps=4)
    assert (foreign / "global_step_1" / "weights.bin").read_text() == "theirs"


@pytest.mark.parametrize("name", ["trajectories", "tensorboard"])
def test_a_linked_output_folder_is_refused(tmp_path, name):
    run = tmp_path / "run"
    run.mkdir()
    foreign = tmp_path / "elsewhere"
    foreign.mkdir()
    os.symlink(foreign, run / name)
    _refused(run, "symbolic link")
    assert os.listdir(foreign) == []


def test_a_hard_linked_metrics_file_is_refused(tmp_path, outside):
    run = tmp_path / "run"
    run.mkdir()
    os.link(outside, run / "metrics.jsonl")
    _refused(run, "hard links", resume=True)
    assert outside.read_text() == "# user's file\n"


def test_a_fifo_where_a_log_goes_is_refused_by_type(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    os.mkfifo(run / "metrics.jsonl")  # opening it to append or to read would block: the type check comes first
    _refused(run, "not a regular file", resume=True)


# ---- links planted after the start-up check: the writers themselves refuse them ---------------------------------


def test_append_line_does_not_follow_a_link(tmp_path, outside):
    os.symlink(outside, tmp_path / "metrics.jsonl")
    with pytest.raises(MasError) as caught:
        append_line(str(tmp_path / "metrics.jsonl"), {"step": 1})
    assert caught.value.exit_code == EXIT_RUN_DIR
    assert outside.read_text() == "# user's file\n"


def test_the_log_file_does_not_follow_a_dangling_link(tmp_path):
    os.symlink(tmp_path / "created-outside", tmp_path / "trainer.log")
    with pytest.raises(MasError):
        open_logger(str(tmp_path), "t")
    assert not os.path.lexists(tmp_path / "created-outside")


def test_pruning_deletes_nothing_through_a_linked_checkpoints_folder(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    foreign = _foreign_checkpoints(tmp_path)
    os.symlink(foreign, run / "checkpoints")
    with pytest.raises(MasError) as caught:
        save_checkpoint(str(run), 5, {"trainer_state.json": {"step": 5}})
    assert caught.value.exit_code == EXIT_RUN_DIR
    assert sorted(os.listdir(foreign)) == [f"global_step_{s}" for s in (1, 2, 3, 4)]


def test_pruning_refuses_a_linked_old_checkpoint(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    foreign = _foreign_checkpoints(tmp_path)
    for step in (2, 3, 4):
        save_checkpoint(str(run), step, {"trainer_state.json": {"step": step}})
    os.symlink(foreign / "global_step_1", run / "checkpoints" / "global_step_1")
    with pytest.raises(MasError) as caught:  # keeping the 3 newest of 1-5: global_step_2 goes, the link is refused
        save_checkpoint(str(run), 5, {"trainer_state.json": {"step": 5}})
    assert caught.value.exit_code == EXIT_RUN_DIR and "global_step_1" in str(caught.value)
    assert (foreign / "global_step_1" / "weights.bin").read_text() == "theirs"


def test_a_clean_run_directory_still_trains(tmp_path):
    run = tmp_path / "run"
    _trainer(run, steps=2).run()
    assert json.loads((run / "run.json").read_text())["status"] == "finished"
    assert sorted(os.listdir(run / "checkpoints")) == ["global_step_1", "global_step_2"]


def test_temp_file_cleanup_does_not_follow_a_linked_trajectories_folder(tmp_path):
    foreign = tmp_path / "elsewhere"
    foreign.mkdir()
    (foreign / ".tmp-theirs").write_text("theirs")
    run = tmp_path / "run"
    run.mkdir()
    os.symlink(foreign, run / "trajectories")
    (run / ".tmp-ours").write_text("torn")
    assert remove_temp_files(str(run)) == 1
    assert (foreign / ".tmp-theirs").read_text() == "theirs" and not (run / ".tmp-ours").exists()


def test_append_line_does_not_write_through_a_hard_link(tmp_path, outside):
    os.link(outside, tmp_path / "metrics.jsonl")  # planted after the start-up check
    with pytest.raises(MasError):
        append_line(str(tmp_path / "metrics.jsonl"), {"step": 1})
    assert outside.read_text() == "# user's file\n"


def test_the_run_directory_itself_may_be_a_link_chosen_by_the_user(tmp_path):
    """Only links inside the run directory are refused: --run-dir pointing at a link (runs/x -> a bigger disk) is the
    user's own choice."""
    real = tmp_path / "big-disk" / "run"
    real.mkdir(parents=True)
    os.symlink(real, tmp_path / "run")
    _trainer(tmp_path / "run", steps=1).run()
    assert json.loads((real / "run.json").read_text())["status"] == "finished"
