"""The recorded rollouts of a run directory for re-scoring. A run directory is hostile (DESIGN.md §3): its
trajectories/ folder and files are opened without following links and must be regular files, each line is checked
before use (a bad line is skipped with file:line, as the editor's reader does), and nothing is written there."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from typing import Callable, Optional

from ..errors import EXIT_RUN_DIR, MasError
from ..jsonl_records import parse_jsonl, report_corrupt
from ..rollout import RolloutState, Turn
from ..rundir.layout import TRAJECTORIES, TRAJECTORY_FILE, run_path
from ..rundir.safe_paths import open_read

MAX_TRAJECTORY_FILE_BYTES = 1 << 30  # one step's records; a larger file is refused, not read into memory
MAX_TURNS = 4096  # per rollout, as the editor's reader (protocol/schemas/run-dir/README.md)


@dataclass
class RecordedRollout:
    step: int
    rollout: int
    reward: Optional[float]  # as recorded (None when the record has none)
    state: RolloutState  # what score_rollout reads: the task and the turns' agents, outputs and nulled flags


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _turn_problem(turn) -> Optional[str]:
    if not isinstance(turn, dict):
        return "a turn is not a JSON object"
    if not _is_int(turn.get("index")) or not isinstance(turn.get("agent"), str):
        return "a turn has no integer `index` or string `agent`"
    if not isinstance(turn.get("output"), str):
        return f"turn {turn['index']}'s `output` is not a string"
    if not isinstance(turn.get("nulled", False), bool):
        return f"turn {turn['index']}'s `nulled` is not true or false"
    return None


def trajectory_problem(step: int) -> Callable[[object], Optional[str]]:
    """What re-scoring needs of a line of trajectories/<step>.jsonl (None when usable)."""

    def problem(value) -> Optional[str]:
        if not isinstance(value, dict):
            return "record is not a JSON object"
        if value.get("step") != step or not _is_int(value.get("step")):
            return f"`step` is {value.get('step')!r} in the file of step {step}"
        if not _is_int(value.get("rollout")) or value["rollout"] < 0:
            return "`rollout` is not an integer >= 0"
        if not isinstance(value.get("task"), dict):
            return "`task` is not a JSON object"
        turns = value.get("turns")
        if not isinstance(turns, list) or len(turns) > MAX_TURNS:
            return f"`turns` is not a list of at most {MAX_TURNS} turns"
        for turn in turns:
            found = _turn_problem(turn)
            if found:
                return found
        return None

    return problem


def _state(value: dict) -> RolloutState:
    state = RolloutState(task=value["task"])
    for t in value["turns"]:
        state.outputs[t["agent"]] = t["output"]
        nulled = t.get("nulled", False)
        state.turns.append(Turn(t["index"], t["agent"], "", "", "", t["output"], [], [], [], 0.0, 0.0, nulled))
    return state


def _read_limited(path: str) -> bytes:
    fd = open_read(path)  # no link followed, a regular file only (exit 7 otherwise)
    try:
        size = os.fstat(fd).st_size
        if size > MAX_TRAJECTORY_FILE_BYTES:
            raise MasError(f"{path} is larger than {MAX_TRAJECTORY_FILE_BYTES} bytes; it is not read", EXIT_RUN_DIR)
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read(MAX_TRAJECTORY_FILE_BYTES + 1)
    finally:
        os.close(fd)


def recorded_steps(run_dir: str) -> list[int]:
    """The steps with a trajectories/<step>.jsonl file, in order; exit 7 for a run directory that has none."""
    folder = run_path(run_dir, TRAJECTORIES)
    try:
        st = os.lstat(folder)
    except OSError:
        st = None
    if st is None or not stat.S_ISDIR(st.st_mode):
        what = "is a symbolic link" if st is not None and stat.S_ISLNK(st.st_mode) else "is not a folder"
        raise MasError(
            f"{folder} {what}; re-scoring reads the trajectories a run recorded: pass a run directory "
            "(runs/<name>) that holds trajectories/",
            EXIT_RUN_DIR,
        )
    steps = []
    for name in os.listdir(folder):
        match = TRAJECTORY_FILE.fullmatch(name)
        if match:
            steps.append(int(match.group(1)))
    return sorted(steps)


def read_step(run_dir: str, step: int, warn: Callable[[str], None]) -> tuple[list[RecordedRollout], int]:
    """A step's usable records and how many lines were skipped (each reported with file:line through `warn`)."""
    path = os.path.join(run_path(run_dir, TRAJECTORIES), f"{step}.jsonl")
    lines = parse_jsonl(_read_limited(path), trajectory_problem(step))
    report_corrupt(path, lines, warn)
    records, seen, duplicates = [], set(), 0
    for line in lines:
        if line.problem is not None:
            continue
        value = line.record
        assert isinstance(value, dict)
        if value["rollout"] in seen:  # the editor's reader keeps the first too
            warn(f"{path}:{line.number}: rollout {value['rollout']} is recorded twice; this line is skipped")
            duplicates += 1
            continue
        seen.add(value["rollout"])
        reward = value.get("reward")
        recorded = float(reward) if isinstance(reward, (int, float)) and not isinstance(reward, bool) else None
        records.append(RecordedRollout(step, value["rollout"], recorded, _state(value)))
    return records, duplicates + sum(1 for line in lines if line.problem is not None)
