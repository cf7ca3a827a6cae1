"""Atomic, verifiable checkpoints: checkpoints/global_step_<n>/ + latest_checkpointed_iteration.txt.

Written into a temp folder, every file fsynced, a COMPLETE marker listing each file's sha256 written last, then
the folder renamed into place. Loading verifies the marker and the hashes; a corrupt newest checkpoint falls back
to the previous one with a warning naming the file.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from typing import Callable, Optional

import torch

from .errors import EXIT_RESUME_FAILED, MasError
from .rundir import atomic_write_bytes, fsync_dir

MARKER = "COMPLETE.json"
LATEST = "latest_checkpointed_iteration.txt"
KEEP = 3  # newest complete checkpoints kept; older ones are deleted after a successful save


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def save_checkpoint(run_dir: str, step: int, payload: dict[str, object]) -> str:
    """payload: file name -> object saved with torch.save. Returns the checkpoint folder."""
    root = os.path.join(run_dir, "checkpoints")
    os.makedirs(root, exist_ok=True)
    final = os.path.join(root, f"global_step_{step}")
    tmp = os.path.join(root, f".tmp-global_step_{step}-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    hashes = {}
    for name, obj in payload.items():
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            torch.save(obj, f)
            f.flush()
            os.fsync(f.fileno())
        hashes[name] = _sha256(path)
    atomic_write_bytes(os.path.join(tmp, MARKER), json.dumps({"step": step, "files": hashes}).encode())
    fsync_dir(tmp)
    if os.path.exists(final):  # a stale copy of this step (a crash after the rename, before LATEST)
        shutil.rmtree(final)
    os.replace(tmp, final)
    fsync_dir(root)
    atomic_write_bytes(os.path.join(run_dir, LATEST), f"{step}\n".encode())
    _prune(root)
    return final


def list_checkpoints(run_dir: str) -> list[int]:
    root = os.path.join(run_dir, "checkpoints")
    if not os.path.isdir(root):
        return []
    steps = []
    for name in os.listdir(root):
        if name.startswith("global_step_") and name[len("global_step_"):].isdigit():
            steps.append(int(name[len("global_step_"):]))
    return sorted(steps, reverse=True)


def _prune(root: str) -> None:
    for name in os.listdir(root):
        if name.startswith(".tmp-"):
            shutil.rmtree(os.path.join(root, name), ignore_errors=True)
    steps = sorted((int(n[len("global_step_"):]) for n in os.listdir(root)
                    if n.startswith("global_step_") and n[len("global_step_"):].isdigit()), reverse=True)
    for old in steps[KEEP:]:
        shutil.rmtree(os.path.join(root, f"global_step_{old}"), ignore_errors=True)


def _load_one(folder: str) -> dict[str, object]:
    marker_path = os.path.join(folder, MARKER)
    if not os.path.exists(marker_path):
        raise ValueError(f"{marker_path} is missing (the checkpoint was not completed)")
    with open(marker_path, encoding="utf-8") as f:
        files = json.load(f)["files"]
    loaded = {}
    for name, digest in files.items():
        path = os.path.join(folder, name)
        if not os.path.exists(path) or _sha256(path) != digest:
            raise ValueError(f"{path} is missing or does not match its recorded sha256")
        loaded[name] = torch.load(path, map_location="cpu", weights_only=False)
    return loaded


def load_latest(run_dir: str, warn: Callable[[str], None]) -> Optional[tuple[int, dict[str, object]]]:
    """The newest checkpoint that loads; None when there is none at all; MasError when some exist but none load."""
    steps = list_checkpoints(run_dir)
    failures = []
    for step in steps:
        folder = os.path.join(run_dir, "checkpoints", f"global_step_{step}")
        try:
            return step, _load_one(folder)
        except Exception as err:  # any unreadable file means: try the previous checkpoint
            failures.append(str(err))
            warn(f"checkpoint global_step_{step} is unusable, trying the previous one: {err}")
    if steps:
        raise MasError(f"no checkpoint in {run_dir}/checkpoints loads ({failures[-1]}); remove the run directory "
                       "or start without --resume in a new one", EXIT_RESUME_FAILED)
    return None
