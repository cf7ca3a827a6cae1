"""Atomic, verifiable, inert checkpoints: checkpoints/global_step_<n>/ + latest_checkpointed_iteration.txt.

Written into a temp folder, every file fsynced, a COMPLETE marker listing each file's sha256 written last, then
the folder renamed into place. Loading verifies the marker and the hashes; a corrupt newest checkpoint falls back
to the previous one with a warning naming the file.

Layout (format 2, policy_files.py): the trained weights as safetensors in the layout of their source (a PEFT adapter
folder per adapter, an HF model folder per full-weight unit, under policy/), optimizer and LR-schedule state as
`optim-<unit>.pt`, the critic's as `critic.pt`, step and RNG state as trainer_state.json. A format-1 checkpoint
(pickled `unit-<unit>.pt` weights, no `format` in COMPLETE.json) is refused with what to do (exit 8).

Nothing in a run directory is ever unpickled (DESIGN.md §3): `.pt` files are read with torch.load(weights_only=True)
(tensors, numbers, strings, lists, tuples, dicts only), `.safetensors` with safetensors (tensors only) and `.json`
files are JSON; the tokenizer files of a model folder are hashed, never parsed. The sha256 in the marker is written
by whoever wrote the folder, so it proves completeness, not origin: the safety comes from the loader, and from
marker names being relative names of regular files inside the checkpoint folder (policy/ only for subfolders).
"""

from __future__ import annotations

import hashlib
import io
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
    CHECKPOINT_FORMAT,
    CHECKPOINT_MARKER,
    CHECKPOINT_POLICY,
    CHECKPOINTS,
    LATEST_CHECKPOINT,
    TEMP_PREFIX,
    checkpoint_name,
    checkpoint_path,
    run_path,
)
from .rundir.safe_paths import confine, create_new, is_plain_name, make_dir, open_read, remove_tree

MARKER = CHECKPOINT_MARKER
KEEP = 3  # newest complete checkpoints kept; older ones are deleted after a successful save
LOADERS = (".pt", ".json", ".safetensors")  # the kinds of file the checkpoint's top level holds
# Inside policy/: model and adapter folders, with the tokenizer files of a model folder (hashed, never parsed)
POLICY_FILES = (".json", ".safetensors", ".txt", ".jinja", ".model")
PARSED_IN_POLICY = ("config.json", "adapter_config.json")  # besides the .safetensors weights
MAX_PARTS = 4  # policy/<unit>/<adapter>/<file> is the deepest name
MAX_JSON_BYTES = 64 << 20  # COMPLETE.json and trainer_state.json are a few kB; a bigger one is not ours
_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)


def _sha256(f: BinaryIO) -> str:
    h = hashlib.sha256()
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
    return h.hexdigest()


class OldCheckpointFormat(ValueError):
    """A format-1 checkpoint (pickled weights): never loaded; load_latest says what to do."""


def is_checkpoint_name(name: object) -> bool:
    """A name COMPLETE.json may list: a plain .pt/.json/.safetensors name, or a file of a model or adapter folder
    under policy/ (at most MAX_PARTS parts, every one a plain name), never the marker itself."""
    if not isinstance(name, str) or name == MARKER:
        return False
    parts = name.split("/")
    if not all(is_plain_name(p) for p in parts):
        return False
    if len(parts) == 1:
        return name.endswith(LOADERS)
    return parts[0] == CHECKPOINT_POLICY and len(parts) <= MAX_PARTS and name.endswith(POLICY_FILES)


def _encode(name: str, obj: object) -> bytes:
    if isinstance(obj, bytes):
        return obj
    if name.endswith(".json"):
        return json.dumps(obj, separators=(",", ":"), allow_nan=False).encode("utf-8")
    if name.endswith(".safetensors"):
        from safetensors.torch import save

        return save(obj, metadata={"format": "pt"})  # pyright: ignore[reportArgumentType]
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


def _write_file(path: str, name: str, obj: object) -> str:
    """Writes one checkpoint file (O_EXCL | O_NOFOLLOW) and returns its sha256."""
    with os.fdopen(create_new(path), "wb") as f:
        f.write(_encode(name, obj))
        f.flush()
        os.fsync(f.fileno())
    with os.fdopen(open_read(path), "rb") as f:
        return _sha256(f)


def save_checkpoint(run_dir: str, step: int, payload: dict[str, object]) -> str:
    """payload: relative file name -> object (`bytes`: written as is; `.json`: JSON, `.safetensors`: a dict of
    tensors, `.pt`: torch.save of tensors and plain values). Returns the checkpoint folder."""
    root = run_path(run_dir, CHECKPOINTS)
    make_dir(root)
    final = checkpoint_path(run_dir, step)
    tmp = os.path.join(root, f"{TEMP_PREFIX}{checkpoint_name(step)}-{os.getpid()}")
    remove_tree(run_dir, tmp)
    make_dir(tmp)
    hashes, folders = {}, {tmp}
    for name, obj in payload.items():
        if not is_checkpoint_name(name):
            raise ValueError(f"checkpoint file name {name!r} is not one of the checkpoint layout")
        parts = name.split("/")
        for depth in range(1, len(parts)):
            folder = os.path.join(tmp, *parts[:depth])
            if folder not in folders:
                make_dir(folder)
                folders.add(folder)
        hashes[name] = _write_file(os.path.join(tmp, *parts), name, obj)
    marker = {"step": step, "format": CHECKPOINT_FORMAT, "files": hashes}
    atomic_write_bytes(os.path.join(tmp, MARKER), json.dumps(marker).encode())
    for folder in sorted(folders, key=len, reverse=True):  # the entries of every folder are durable before the rename
        fsync_dir(folder)
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
    if "format" not in marker:
        raise OldCheckpointFormat(
            f"{checkpoint_name(step)} was written by an older MAS Studio trainer (weights pickled in unit-*.pt), "
            "which this version never loads"
        )
    if type(marker["format"]) is not int or marker["format"] != CHECKPOINT_FORMAT:
        raise ValueError(
            f"{path}: format {marker['format']!r:.20} is not {CHECKPOINT_FORMAT}, the one this trainer reads"
        )
    files = marker.get("files")
    if not isinstance(files, dict) or not files:
        raise ValueError(f"{path}: `files` must map file names to sha256 digests")
    for name, digest in files.items():
        if not is_checkpoint_name(name):
            raise ValueError(
                f"{path} names {name!r:.80}, which is not a file name of the checkpoint layout (a plain .pt, .json or "
                f".safetensors name, or a model or adapter file under {CHECKPOINT_POLICY}/) inside the folder"
            )
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise ValueError(f"{path}: the sha256 of {name} is not 64 lowercase hex digits")
    return files


def _parsed(name: str) -> bool:
    """Whether resume reads the file's content (the tokenizer files of a model folder are only hashed)."""
    return "/" not in name or name.endswith(".safetensors") or name.rsplit("/", 1)[1] in PARSED_IN_POLICY


def _load_file(path: str, name: str, digest: str) -> object:
    """Checks the type (a regular file, no link), the size and the hash, then loads from the same descriptor."""
    with os.fdopen(open_read(path), "rb") as f:
        if _sha256(f) != digest:
            raise ValueError(f"{path} does not match its recorded sha256")
        if not _parsed(name):
            return None
        f.seek(0)
        if path.endswith(".json"):
            if os.fstat(f.fileno()).st_size > MAX_JSON_BYTES:
                raise ValueError(f"{path} is larger than {MAX_JSON_BYTES} bytes")
            return json.loads(f.read())
        if path.endswith(".safetensors"):
            from safetensors.torch import load

            try:
                return load(f.read())
            except Exception as err:  # SafetensorError: a truncated or crafted header
                raise ValueError(f"{path} is not a safetensors file ({str(err)[:160]})") from None
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


def _checked_folder(run_dir: str, step: int) -> str:
    folder = checkpoint_path(run_dir, step)
    if not stat.S_ISDIR(os.lstat(folder).st_mode):
        raise ValueError(f"{folder} is not a folder (a link or a file)")
    confine(run_dir, folder)
    return folder


def _checked_path(folder: str, name: str) -> str:
    """The file's path, once every folder on the way is a real folder (open_read refuses a link as the file)."""
    parts = name.split("/")
    for depth in range(1, len(parts)):
        sub = os.path.join(folder, *parts[:depth])
        if not os.path.lexists(sub) or not stat.S_ISDIR(os.lstat(sub).st_mode):
            raise ValueError(f"{sub} is not a folder (missing, a link or a file)")
    path = os.path.join(folder, *parts)
    if not os.path.lexists(path):
        raise ValueError(f"{path} is missing")
    return path


def _load_one(run_dir: str, step: int) -> dict[str, object]:
    folder = _checked_folder(run_dir, step)
    return {
        name: _load_file(_checked_path(folder, name), name, digest)
        for name, digest in _read_marker(folder, step).items()
    }


def read_verified(run_dir: str, step: int, wanted: Callable[[str], bool]) -> dict[str, bytes]:
    """The bytes of the checkpoint's files whose marker name satisfies wanted(name), each checked against its
    sha256 (export.py: copies, parses nothing). ValueError when the checkpoint is incomplete or a file was changed."""
    folder = _checked_folder(run_dir, step)
    files = {}
    for name, digest in _read_marker(folder, step).items():
        if not wanted(name):
            continue
        with os.fdopen(open_read(_checked_path(folder, name)), "rb") as f:
            data = f.read()
        if hashlib.sha256(data).hexdigest() != digest:
            raise ValueError(f"{os.path.join(folder, name)} does not match its recorded sha256")
        files[name] = data
    return files


def load_latest(
    run_dir: str,
    warn: Callable[[str], None],
    check: Callable[[int, dict], None] = lambda step, payload: None,
) -> Optional[tuple[int, dict[str, object]]]:
    """The newest checkpoint that loads and passes check(step, payload) (which raises ValueError, KeyError or
    TypeError for a malformed one); None when there is none at all; MasError (exit 8) when some exist but none
    loads. Reads only: nothing is deleted or rewritten here."""
    steps = list_checkpoints(run_dir)
    failures, old = [], []
    for step in steps:
        try:
            payload = _load_one(run_dir, step)
            check(step, payload)
            return step, payload
        except OldCheckpointFormat as err:
            old.append(step)
            warn(f"checkpoint {checkpoint_name(step)} is unusable, trying the previous one: {err}")
        except Exception as err:  # any unreadable or malformed file means: try the previous checkpoint
            failures.append(
                f"{checkpoint_name(step)}: {type(err).__name__ + ': ' if isinstance(err, KeyError) else ''}"
                f"{str(err)[:300]}"
            )
            warn(f"checkpoint {checkpoint_name(step)} is unusable, trying the previous one: {err}")
    if old and not failures:
        raise MasError(
            f"the checkpoints in {run_path(run_dir, CHECKPOINTS)} ({', '.join(checkpoint_name(s) for s in old)}) were "
            "written by an older MAS Studio trainer, whose pickled weights this version never loads: start a new run "
            "(a new run directory, without --resume), or export the trained agents with the previous MAS Studio "
            "version first; nothing was deleted",
            EXIT_RESUME_FAILED,
        )
    if steps:
        raise MasError(
            f"no checkpoint in {run_path(run_dir, CHECKPOINTS)} loads ({failures[-1]}); remove the run "
            "directory or start without --resume in a new one",
            EXIT_RESUME_FAILED,
        )
    return None
