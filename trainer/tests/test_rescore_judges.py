"""`rescore` with a judge criterion: a recorded lazy-team run re-scored with a scratch judge added to its rubric;
the answers land in the run's judge-cache/, and a second re-score gives the same scores from the cache alone."""

import io
import json
from contextlib import redirect_stdout

from helpers import lazy_team_data
from test_judges import JUDGE, judged_data

from mas_trainer.__main__ import main
from mas_trainer.judge_cache import CACHE_DIR, CACHE_FILE, JudgeCache
from mas_trainer.spec import parse_spec
from mas_trainer.trainer import RunOptions, Trainer


def _rescore(argv):
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["rescore", *argv])
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def test_rescore_with_a_judge_fills_the_cache_and_the_second_pass_agrees(tmp_path):
    data = lazy_team_data()
    data["train"].update(steps=1, batch=2, checkpoint_every=1)
    data["train"]["algorithm"]["group"] = 2
    run_dir = tmp_path / "run"
    Trainer(parse_spec(data), RunOptions(str(run_dir))).run()
    judged = judged_data(dict(JUDGE))
    judged["train"] = data["train"]
    spec_file = tmp_path / "judged.json"
    spec_file.write_text(json.dumps(judged), encoding="utf-8")

    code, first = _rescore([str(run_dir), "--spec", str(spec_file)])
    assert code == 0
    cache = JudgeCache(str(run_dir))
    assert (run_dir / CACHE_DIR / CACHE_FILE).is_file() and cache.answers
    code, second = _rescore([str(run_dir), "--spec", str(spec_file)])
    assert code == 0 and JudgeCache(str(run_dir)).answers == cache.answers  # nothing new asked
    rows = lambda lines: [(r["step"], r["rollout"], r["criteria"]) for r in lines if r["type"] == "rollout"]  # noqa: E731
    assert rows(first) == rows(second) and all("style" in c for _, _, c in rows(first))
