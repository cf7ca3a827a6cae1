"""The names of the run directory (DESIGN.md §3; layout and write order: protocol/schemas/run-dir/README.md).

Every file or folder name the trainer writes in a run directory comes from here, so the layout has one owner on the
Python side. TS twin: RUN_DIR_FILES in protocol/run-dir.ts (tests/test_run_dir_layout.py checks they agree).
"""

from __future__ import annotations

import os
import re

RUN_DIR_VERSION = 1  # TS twin: RUN_DIR_VERSION (protocol/run-dir.ts)

RUN_JSON = "run.json"
METRICS = "metrics.jsonl"
TRAJECTORIES = "trajectories"
CHECKPOINTS = "checkpoints"
LATEST_CHECKPOINT = "latest_checkpointed_iteration.txt"
TRAINER_LOG = "trainer.log"
TENSORBOARD = "tensorboard"
CRITIC = "critic.onnx"
CRITIC_SIDECAR = "critic.onnx.json"
JUDGE_CACHE = "judge-cache"  # judge_cache.py: answers.jsonl

# TS twin: RUN_DIR_FILES (protocol/run-dir.ts): the same keys (keyword arguments, as they are identifiers there), in
# the same order.
RUN_DIR_FILES = dict(
    run=RUN_JSON,
    metrics=METRICS,
    trajectoriesDir=TRAJECTORIES,
    checkpointsDir=CHECKPOINTS,
    latestCheckpoint=LATEST_CHECKPOINT,
    log=TRAINER_LOG,
    tensorboardDir=TENSORBOARD,
    critic=CRITIC,
    criticSidecar=CRITIC_SIDECAR,
    judgeCacheDir=JUDGE_CACHE,
)

# Inside each checkpoints/global_step_<n>/ folder (checkpoint.py, policy_files.py; protocol/schemas/run-dir/README.md).
# TS twin: CHECKPOINT_FILES and CHECKPOINT_FORMAT (protocol/run-dir.ts), same keys in the same order.
CHECKPOINT_FORMAT = 2  # 1 (no `format` in COMPLETE.json): pickled unit-<unit>.pt weights, refused on resume
CHECKPOINT_FILES = dict(
    marker="COMPLETE.json",
    trainerState="trainer_state.json",
    # policy/<unit>/: an HF model folder (full weights); policy/<unit>/<adapter>/: a PEFT adapter folder
    policyDir="policy",
    modelConfig="config.json",
    modelWeights="model.safetensors",
    adapterConfig="adapter_config.json",
    adapterWeights="adapter_model.safetensors",
)
CHECKPOINT_MARKER = CHECKPOINT_FILES["marker"]
CHECKPOINT_POLICY = CHECKPOINT_FILES["policyDir"]

# The top-level entries by kind, for the link checks of safe_paths (a folder's key ends in `Dir`).
TOP_LEVEL_FILES = tuple(name for key, name in RUN_DIR_FILES.items() if not key.endswith("Dir"))
TOP_LEVEL_FOLDERS = tuple(name for key, name in RUN_DIR_FILES.items() if key.endswith("Dir"))
# Appended in place; the other files are replaced by rename (safe_paths.check_run_dir refuses hard links to these).
APPENDED_FILES = (METRICS, TRAINER_LOG)

# Prefix of the temp files of atomic writes and of temp checkpoint folders (removed on resume and after a fault).
TEMP_PREFIX = ".tmp-"
# trajectories/<step>.jsonl; ASCII digits only (str.isdigit accepts '²'), no more than a step number can hold
TRAJECTORY_FILE = re.compile(r"([0-9]{1,18})\.jsonl", re.ASCII)
# checkpoints/global_step_<n>/
CHECKPOINT_FOLDER = re.compile(r"global_step_([0-9]+)", re.ASCII)


def run_path(run_dir: str, name: str) -> str:
    """A top-level entry of the run directory: run_path(run_dir, METRICS)."""
    return os.path.join(run_dir, name)


def trajectory_name(step: int) -> str:
    return f"{step}.jsonl"


def trajectory_path(run_dir: str, step: int) -> str:
    return os.path.join(run_dir, TRAJECTORIES, trajectory_name(step))


def checkpoint_name(step: int) -> str:
    return f"global_step_{step}"


def checkpoint_path(run_dir: str, step: int) -> str:
    return os.path.join(run_dir, CHECKPOINTS, checkpoint_name(step))
