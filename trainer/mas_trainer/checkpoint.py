"""Atomic, verifiable, inert checkpoints: checkpoints/global_step_<n>/ + latest_checkpointed_iteration.txt.

Written into a temp folder, every file fsynced, a COMPLETE marker listing each file's sha256 written last, then
the folder renamed into place. Loading verifies the marker and the hashes; a corrupt newest checkpoint falls back
to the previous one with a warning naming the file.

Nothing in a run directory is ever unpickled (DESIGN.md §3): `.pt` files are read with torch.load(weights_only=True)
(tensors, numbers, strings, lists, tuples, dicts only) and `.json` files are JSON. The sha256 in the marker is
written by whoever wrote the folder, so it proves completeness, not origin: the safety comes from the loader, and
from marker names being plain file names of regular files inside the checkpoint folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import stat
from typing import BinaryIO, Callable, Optional

import torch

from .errors import EXIT_RESUME_FAILED, MasError
from .rundir.files import atomic_write_bytes, fsync_dir
from .rundir.layout import (
    CHECKPOINT_FOLDER,
    CHECKPOINTS,
    LATEST_CHECKPOINT,
    TEMP_PREFIX,
    checkpoint_name,
    checkpoint_path,
    run_path,
)
from .rundir.safe_paths import confine, create_new, is_plain_name, make_dir, open_read, remove_tree

MARKER = "COMPLETE.json"
KEEP = 3  # newest complete checkpoints kept; older ones are deleted after a successful save
LOADERS = (".pt", ".json")  # the only kinds of file a checkpoint holds
MAX_JSON_BYTES = 64 << 20  # COMPLETE.json and trainer_state.json are a few kB; a bigger one is not ours
_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)


def _sha256(f: BinaryIO) -> str:
    h = hashlib.sha256()
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
    return h.hexdigest()


def _write_file(path: str, name: str, obj: object) -> str:
    """Writes one checkpoint file (O_EXCL | O_NOFOLLOW) and returns its sha256."""
    with os.fdopen(create_new(path), "wb") as f:
        if name.endswith(".json"):
            f.write(json.dumps(obj, separators=(",", ":"), allow_nan=False).encode("utf-8"))
        else:
            torch.save(obj, f)
        f.flush()
        os.fsync(f.fileno())
    with os.fdopen(open_read(path), "rb") as f:
        return _sha256(f)


def save_checkpoint(run_dir: str, step: int, payload: dict[str, object]) -> str:
    """payload: file name -> object (`.json`: JSON, `.pt`: torch.save of tensors and plain values). Returns the
    checkpoint folder."""
    root = run_path(run_dir, CHECKPOINTS)
    make_dir(root)
    final = checkpoint_path(run_dir, step)
    tmp = os.path.join(root, f"{TEMP_PREFIX}{checkpoint_name(step)}-{os.getpid()}")
    remove_tree(run_dir, tmp)
    make_dir(tmp)
    hashes = {}
    for name, obj in payload.items():
        if not is_plain_name(name) or not name.endswith(LOADERS):
            raise ValueError(f"checkpoint file name {name!r} is not a plain .pt or .json name")
        hashes[name] = _write_file(os.path.join(tmp, name), name, obj)
    atomic_write_bytes(os.path.join(tmp, MARKER), json.dumps({"step": step, "files": hashes}).encode())
    fsync_dir(tmp)
    remove_tree(run_dir, final)  # a stale copy of this step (a crash after the rename, before the latest marker)
    os.replace(tmp, final)
    fsync_dir(root)
    atomic_write_bytes(run_path(run_dir, LATEST_CHECKPOINT), f"{step}\n".encode())
    _prune(run_dir, root)
    return final


def list_checkpoints(run_dir: str) -> list[int]:
    root = run_path(run_dir, CHECKPOINTS)
    if not os.path.isdir(root):
        return []
    matches = (CHECKPOINT_FOLDER.fullmatch(name) for name in os.listdir(root))
    return sorted((int(m.group(1)) for m in matches if m), reverse=True)


def _prune(run_dir: str, root: str) -> None:
    """Deletes temp folders and all but the KEEP newest checkpoints; a link among them is refused (exit 7), never
    followed, so nothing outside the run directory is deleted."""
    for name in os.listdir(root):
        if name.startswith(TEMP_PREFIX):
            remove_tree(run_dir, os.path.join(root, name))
    for old in list_checkpoints(run_dir)[KEEP:]:
        remove_tree(run_dir, checkpoint_path(run_dir, old))


def _read_marker(folder: str, step: int) -> dict[str, str]:
    path = os.path.join(folder, MARKER)
    if not os.path.lexists(path):
        raise ValueError(f"{path} is missing (the checkpoint was not completed)")
    with os.fdopen(open_read(path), "rb") as f:
        text = f.read(MAX_JSON_BYTES + 1)
    if len(text) > MAX_JSON_BYTES:
        raise ValueError(f"{path} is larger than {MAX_JSON_BYTES} bytes")
    marker = json.loads(text)
    if not isinstance(marker, dict) or type(marker.get("step")) is not int or marker["step"] != step:
        raise ValueError(
            f"{path}: `step` must be the folder's step {step}, found "
            f"{marker.get('step') if isinstance(marker, dict) else marker!r:.40}"
        )
    files = marker.get("files")
    if not isinstance(files, dict) or not files:
        raise ValueError(f"{path}: `files` must map file names to sha256 digests")
    for name, digest in files.items():
        if not is_plain_name(name) or name == MARKER or not name.endswith(LOADERS):
            raise ValueError(
                f"{path} names {name!r:.80}, which is not a plain .pt or .json file name inside the checkpoint folder"
            )
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise ValueError(f"{path}: the sha256 of {name} is not 64 lowercase hex digits")
    return files


def _load_file(path: str, digest: str) -> object:
    """Checks the type (a regular file, no link), the size and the hash, then loads from the same descriptor."""
    with os.fdopen(open_read(path), "rb") as f:
        if _sha256(f) != digest:
            raise ValueError(f"{path} does not match its recorded sha256")
        f.seek(0)
        if path.endswith(".json"):
            if os.fstat(f.fileno()).st_size > MAX_JSON_BYTES:
                raise ValueError(f"{path} is larger than {MAX_JSON_BYTES} bytes")
            return json.loads(f.read())
        try:
            return torch.load(f, map_location="cpu", weights_only=True)
        except pickle.UnpicklingError as err:
            raise ValueError(
                f"{path} holds more than tensors and plain values, and is never unpickled ({_weights_only_reason(err)})"
            ) from None


def _weights_only_reason(err: Exception) -> str:
    """The line of torch's long weights_only message that says what was refused (it also suggests
    weights_only=False, which is exactly what must not be done with a run directory's files)."""
    parts = [p.strip() for p in str(err).split("\n\n") if p.strip()]
    reason = parts[1] if len(parts) > 2 else parts[-1] if parts else type(err).__name__
    return reason.replace("WeightsUnpickler error:", "").strip()[:200]


def _load_one(run_dir: str, step: int) -> dict[str, object]:
    folder = checkpoint_path(run_dir, step)
    if not stat.S_ISDIR(os.lstat(folder).st_mode):
        raise ValueError(f"{folder} is not a folder (a link or a file)")
    confine(run_dir, folder)
    loaded = {}
    for name, digest in _read_marker(folder, step).items():
        path = os.path.join(folder, name)
        if not os.path.lexists(path):
            raise ValueError(f"{path} is missing")
        loaded[name] = _load_file(path, digest)
    return loaded


def load_latest(
    run_dir: str,
    warn: Callable[[str], None],
    check: Callable[[int, dict], None] = lambda step, payload: None,
) -> Optional[tuple[int, dict[str, object]]]:
    """The newest checkpoint that loads and passes check(step, payload) (which raises ValueError, KeyError or
    TypeError for a malformed one); None when there is none at all; MasError (exit 8) when some exist but none
    loads. Reads only: nothing is deleted or rewritten here."""
    steps = list_checkpoints(run_dir)
    failures = []
    for step in steps:
        try:
            payload = _load_one(run_dir, step)
            check(step, payload)
            return step, payload
        except Exception as err:  # any unreadable or malformed file means: try the previous checkpoint
            failures.append(
                f"{checkpoint_name(step)}: {type(err).__name__ + ': ' if isinstance(err, KeyError) else ''}"
                f"{str(err)[:300]}"
            )
            warn(f"checkpoint {checkpoint_name(step)} is unusable, trying the previous one: {err}")
    if steps:
        raise MasError(
            f"no checkpoint in {run_path(run_dir, CHECKPOINTS)} loads ({failures[-1]}); remove the run "
            "directory or start without --resume in a new one",
            EXIT_RESUME_FAILED,
        )
    return None
