"""The lazy-team example learns with outcome credit on CPU (the figure's claim, in a small deterministic form)."""

from helpers import lazy_team

from mas_trainer.rundir import read_records
from mas_trainer.trainer import RunOptions, Trainer


def test_lazy_team_goes_from_chance_to_90_percent(tmp_path):
    spec = lazy_team(steps=120, checkpoint_every=120, seed=1)
    Trainer(spec, RunOptions(str(tmp_path))).run()
    success = [r["success"] for r in read_records(str(tmp_path / "metrics.jsonl"))]
    assert sum(success[:5]) / 5 < 0.2  # starts near chance (about 1/4 * 1/4)
    assert sum(success[-10:]) / 10 >= 0.9
