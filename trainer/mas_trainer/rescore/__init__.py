"""`python -m mas_trainer rescore RUN_DIR [RUN_DIR ...] --spec SPEC [--steps A..B]` (issue 16 item 6).

records.py  the recorded rollouts of run directories, read as hostile input (no link followed, nothing written)
stream.py   the JSON Lines the command prints (TS twin: protocol/rescore-stream.ts)
command.py  the command: every rollout scored with the spec's reward exactly as training scores it (scoring_setup)
"""

from .command import RescoreOptions, parse_steps, rescore

__all__ = ["RescoreOptions", "parse_steps", "rescore"]
