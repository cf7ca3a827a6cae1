import json

import pytest
import torch
from helpers import lazy_team

from mas_trainer.errors import EXIT_RESUME_FAILED, EXIT_RUN_DIR, MasError
from mas_trainer.rundir import read_records
from mas_trainer.trainer import RunOptions, Trainer

STABLE_KEYS = (
    "step",
    "reward_mean",
    "reward_std",
    "success",
    "criteria",
    "credit_mean",
    "loss",
    "kl",
    "grad_norm",
    "rollout_tokens",
    "lr",
)


def _train(run_dir, steps=6, max_steps=None, resume=False):
    spec = lazy_team(steps=steps, checkpoint_every=2, batch=2)
    spec.train.algorithm.group = 4
    trainer = Trainer(spec, RunOptions(str(run_dir), resume=resume, max_steps=max_steps))
    trainer.run()
    return trainer


def _stable(records):
    return [{k: r[k] for k in STABLE_KEYS} for r in records]


def _weights(trainer):
    return {n: p.detach().clone() for n, p in trainer.units[0].module.named_parameters()}


def test_run_directory_layout_and_records(tmp_path):
    _train(tmp_path, steps=2)
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["status"] == "finished" and run["steps_completed"] == 2 and run["spec"]["version"] == 1
    metrics = read_records(str(tmp_path / "metrics.jsonl"))
    assert [m["step"] for m in metrics] == [1, 2]
    assert set(metrics[0]["criteria"]) == {"first_case", "second_case"}
    assert set(metrics[0]["grad_norm"]) == {"first", "idle", "second"}
    trajectories = read_records(str(tmp_path / "trajectories" / "2.jsonl"))
    assert len(trajectories) == 2 * 4
    assert [t["agent"] for t in trajectories[0]["turns"]] == ["first", "idle", "second"]
    assert len(trajectories[0]["credit"]["outcome"]) == 3
    assert (tmp_path / "latest_checkpointed_iteration.txt").read_text().strip() == "2"
    assert (tmp_path / "checkpoints" / "global_step_2" / "COMPLETE.json").exists()
    assert (tmp_path / "trainer.log").stat().st_size > 0


def test_existing_run_without_resume_is_refused(tmp_path):
    _train(tmp_path, steps=1)
    with pytest.raises(MasError) as caught:
        _train(tmp_path, steps=1)
    assert caught.value.exit_code == EXIT_RUN_DIR


def test_resume_matches_an_uninterrupted_run(tmp_path):
    straight = _train(tmp_path / "straight")
    _train(tmp_path / "split", max_steps=3)  # stops after step 3; newest checkpoint is step 2
    # step 3's record is in metrics.jsonl but not in any checkpoint: resume must drop and redo it
    # and a kill inside the next append would leave a torn line: resume must not glue step 4's record onto it
    metrics = tmp_path / "split" / "metrics.jsonl"
    last = metrics.read_bytes().splitlines()[-1]
    with open(metrics, "ab") as f:
        f.write(last[: len(last) // 2])
    resumed = _train(tmp_path / "split", resume=True)
    a = read_records(str(tmp_path / "straight" / "metrics.jsonl"))
    b = read_records(str(tmp_path / "split" / "metrics.jsonl"))
    assert [r["step"] for r in b] == [1, 2, 3, 4, 5, 6]
    assert _stable(a) == _stable(b)
    wa, wb = _weights(straight), _weights(resumed)
    assert all(torch.equal(wa[n], wb[n]) for n in wa)


def test_corrupt_newest_checkpoint_falls_back_with_a_warning(tmp_path):
    _train(tmp_path / "straight")
    _train(tmp_path / "split", max_steps=4)
    bad = tmp_path / "split" / "checkpoints" / "global_step_4" / "trainer_state.json"
    bad.write_bytes(b"garbage")
    trainer_log = tmp_path / "split" / "trainer.log"
    _train(tmp_path / "split", resume=True)
    log_lines = trainer_log.read_text()
    assert "global_step_4 is unusable" in log_lines and str(bad) in log_lines
    a = read_records(str(tmp_path / "straight" / "metrics.jsonl"))
    b = read_records(str(tmp_path / "split" / "metrics.jsonl"))
    assert _stable(a) == _stable(b)


def test_no_loadable_checkpoint_is_an_error_not_a_restart(tmp_path):
    _train(tmp_path, max_steps=4)
    for step in (2, 4):
        (tmp_path / "checkpoints" / f"global_step_{step}" / "COMPLETE.json").unlink()
    with pytest.raises(MasError) as caught:
        _train(tmp_path, resume=True)
    assert caught.value.exit_code == EXIT_RESUME_FAILED
    assert [r["step"] for r in read_records(str(tmp_path / "metrics.jsonl"))] == [1, 2, 3, 4]


def test_torn_last_line_is_dropped(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_text('{"step": 1}\n{"step": 2')
    assert read_records(str(path)) == [{"step": 1}]


def test_resume_with_per_agent_adapters_and_own_weights(tmp_path):
    from helpers import lazy_team_data

    from mas_trainer.spec import parse_spec

    def train(run_dir, max_steps=None, resume=False):
        data = lazy_team_data()
        data["models"][0]["adapter"] = {"kind": "lora", "rank": 4, "alpha": 8, "dropout": 0.0}
        for agent, mode in zip(data["agents"], ["adapter", "weights", "shared"]):
            agent["sharing"] = mode
        data["train"].update(steps=4, checkpoint_every=2, batch=2)
        data["train"]["algorithm"].update(group=4, kl=0.05)
        trainer = Trainer(parse_spec(data), RunOptions(str(run_dir), resume=resume, max_steps=max_steps))
        trainer.run()
        return trainer

    straight = train(tmp_path / "straight")
    assert sorted(u.name for u in straight.units) == ["tiny", "tiny/idle"]
    train(tmp_path / "split", max_steps=3)
    resumed = train(tmp_path / "split", resume=True)
    a = read_records(str(tmp_path / "straight" / "metrics.jsonl"))
    b = read_records(str(tmp_path / "split" / "metrics.jsonl"))
    assert _stable(a) == _stable(b)
    assert any(r["kl"] > 0 for r in a)
    for ua, ub in zip(straight.units, resumed.units):
        wa = dict(ua.module.named_parameters())
        assert all(torch.equal(wa[n], p) for n, p in ub.module.named_parameters())


def test_tensorboard_events_when_installed(tmp_path):
    pytest.importorskip("tensorboard")
    _train(tmp_path, steps=1)
    events = list((tmp_path / "tensorboard").glob("events.out.tfevents.*"))
    assert events and events[0].stat().st_size > 0
