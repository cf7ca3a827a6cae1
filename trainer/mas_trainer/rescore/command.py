"""Re-scores recorded rollouts with a spec's reward, exactly as training scores them: the scoring objects come from
scoring_setup.make_scoring (the trainer's own), each step's rollouts are scored as one batch (their verifier calls
on all workers at once), and one line per rollout goes to stdout (stream.py). Nothing is written to the run
directories; warnings (skipped lines, failing verifier calls with their input) go to stderr."""

from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass
from typing import Optional

from ..errors import EXIT_BAD_ARGS, EXIT_RUN_DIR, MasError
from ..judges import make_judge_runner
from ..scoring_setup import make_scoring
from ..spec import RunSpec
from .records import read_step, recorded_steps
from .stream import Stream

STEPS = re.compile(r"([0-9]{1,18})?\.\.([0-9]{1,18})?|([0-9]{1,18})", re.ASCII)


@dataclass
class RescoreOptions:
    run_dirs: list[str]
    steps: tuple[Optional[int], Optional[int]] = (None, None)  # inclusive bounds; None: open


def parse_steps(text: Optional[str]) -> tuple[Optional[int], Optional[int]]:
    """`A..B`, `A..`, `..B` or `N` (inclusive); exit 2 for anything else."""
    if text is None:
        return None, None
    match = STEPS.fullmatch(text.strip())
    if not match:
        raise MasError(f"--steps {text!r} is not a step range; write A..B, A.., ..B or a single step N", EXIT_BAD_ARGS)
    if match.group(3) is not None:
        return int(match.group(3)), int(match.group(3))
    low, high = (int(g) if g is not None else None for g in match.group(1, 2))
    if low is not None and high is not None and low > high:
        raise MasError(f"--steps {text!r} is empty: its first step is after its last", EXIT_BAD_ARGS)
    return low, high


class _StderrHandler(logging.Handler):
    """Writes to the sys.stderr of the moment (a test's captured one too), never into a run directory."""

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write(self.format(record) + "\n")


def _stderr_logger() -> logging.Logger:
    log = logging.getLogger("mas_trainer.rescore")
    if not any(isinstance(h, _StderrHandler) for h in log.handlers):  # one, however often the command runs
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        log.addHandler(handler)
        log.propagate = False
    log.setLevel(logging.INFO)
    return log


def _selected(run_dir: str, bounds: tuple[Optional[int], Optional[int]]) -> list[int]:
    steps = recorded_steps(run_dir)
    low, high = bounds
    chosen = [s for s in steps if (low is None or s >= low) and (high is None or s <= high)]
    if not chosen:
        have = f"steps {steps[0]}..{steps[-1]}" if steps else "no recorded step"
        raise MasError(f"{run_dir} has no recorded trajectories in the steps asked for (it has {have})", EXIT_RUN_DIR)
    return chosen


def rescore(spec: RunSpec, options: RescoreOptions, stream: Stream, verifier_pool=None) -> dict[str, int]:
    """Scores every recorded rollout of the runs' selected steps; returns the failed verifier calls per verifier.
    A KeyboardInterrupt (Ctrl-C, SIGTERM: __main__) ends it at once, the worker pool shut down."""
    log = _stderr_logger()
    plan = [(i, run_dir, _selected(run_dir, options.steps)) for i, run_dir in enumerate(options.run_dirs)]
    batches, skipped = [], 0
    for i, run_dir, steps in plan:  # every file read and checked before any verifier runs: a total for progress
        for step in steps:
            records, bad = read_step(run_dir, step, log.warning)
            skipped += bad
            if records:
                batches.append((i, records))
    total = sum(len(records) for _, records in batches)
    scoring = make_scoring(spec, log, verifier_pool)  # exit 3 for an unknown verifier or a missing file
    import torch

    device = "cuda" if spec.train.device != "cpu" and torch.cuda.is_available() else "cpu"
    scoring.judges = make_judge_runner(spec, None, device, log)  # models load on first use; answers cached per run
    errors: dict[str, int] = {}
    done = 0
    try:
        stream.start(list(options.run_dirs), total)
        stream.progress(0, total)
        for run, records in batches:
            if scoring.judges is not None and scoring.judges.cache_run_dir != options.run_dirs[run]:
                scoring.judges.use_run_dir(options.run_dirs[run])  # that run's judge-cache/
            scores = scoring.score([r.state for r in records])
            for record, score in zip(records, scores):
                stream.rollout(run, record.step, record.rollout, score)
            for name, n in (scoring.end_batch() or {}).items():
                errors[name] = errors.get(name, 0) + n
            done += len(records)
            stream.progress(done, total)
    except BaseException:
        scoring.close(kill=True)  # cancelled (KeyboardInterrupt) or failed: no call in flight is waited for
        raise
    scoring.close()
    stream.done(total, errors, skipped)
    return errors
