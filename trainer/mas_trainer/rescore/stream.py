"""The lines `rescore` prints on stdout, one JSON object each. TS twin: protocol/rescore-stream.ts (the editor and
`mas rescore` read them; analysis/run-dir/rescore-stream.ts checks each line)."""

from __future__ import annotations

import sys
from typing import Optional, TextIO

from ..strict_json import dumps

RESCORE_STREAM_VERSION = 1  # TS twin: RESCORE_STREAM_VERSION


class Stream:
    """Writes the lines, flushed one by one (the reader shows progress as they come)."""

    def __init__(self, out: Optional[TextIO] = None) -> None:
        self.out = out if out is not None else sys.stdout

    def _line(self, record: dict) -> None:
        self.out.write(dumps(record)[0] + "\n")  # strict JSON: a NaN reward is written as null
        self.out.flush()

    def start(self, runs: list[str], rollouts: int) -> None:
        self._line({"type": "start", "version": RESCORE_STREAM_VERSION, "runs": runs, "rollouts": rollouts})

    def progress(self, done: int, total: int) -> None:
        self._line({"type": "progress", "done": done, "total": total})

    def rollout(self, run: int, step: int, rollout: int, score) -> None:
        self._line(
            {
                "type": "rollout",
                "run": run,
                "step": step,
                "rollout": rollout,
                "reward": score.reward,
                "criteria": score.criteria,
                "errors": score.errors,
                "decision_rewards": score.decision_rewards,
            }
        )

    def done(self, rollouts: int, verifier_errors: dict[str, int], skipped_lines: int) -> None:
        self._line(
            {"type": "done", "rollouts": rollouts, "verifier_errors": verifier_errors, "skipped_lines": skipped_lines}
        )
