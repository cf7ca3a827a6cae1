"""Faults of the machine rather than of the trainer: out of memory (CPU or GPU) and a full disk become the
documented exit codes 9 and 10 (trainer/README.md) instead of a traceback, wherever they are raised."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
from typing import Iterator, Optional

from .errors import MasError, disk_full_error, out_of_memory_error
from .rundir.files import remove_temp_files
from .rundir.layout import CHECKPOINTS, TEMP_PREFIX, run_path

DISK_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
# torch's CPU allocator reports a failed allocation as a RuntimeError, not MemoryError
CPU_ALLOCATOR_FAILED = "DefaultCPUAllocator: can't allocate memory"


def _causes(err: BaseException) -> Iterator[BaseException]:
    """The error and what it was raised from or while handling (a library may wrap an OSError or an OOM)."""
    seen: set[int] = set()
    current: Optional[BaseException] = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _one(err: BaseException, budget: Optional[int]) -> Optional[MasError]:
    if isinstance(err, MemoryError):
        return out_of_memory_error(False, budget)
    if isinstance(err, OSError) and err.errno in DISK_FULL_ERRNOS:
        return disk_full_error(err.strerror or os.strerror(err.errno))
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(err, torch.cuda.OutOfMemoryError):
        return out_of_memory_error(True, budget)
    if isinstance(err, RuntimeError):
        message = str(err)
        if CPU_ALLOCATOR_FAILED in message:
            return out_of_memory_error(False, budget)
        if "out of memory" in message.lower():  # "CUDA out of memory", "CUDA error: out of memory", HIP, MPS
            return out_of_memory_error("cpu" not in message.lower(), budget)
    return None


def fault_error(err: BaseException, micro_batch_tokens: Optional[int] = None) -> Optional[MasError]:
    """The user-facing error for an out-of-memory or disk-full fault; None for anything else (a bug: traceback).
    `micro_batch_tokens`: the run's token budget per forward, named in the out-of-memory advice when known."""
    for cause in _causes(err):
        found = _one(cause, micro_batch_tokens)
        if found is not None:
            return found
    return None


def remove_partial_writes(run_dir: str) -> None:
    """Deletes what an interrupted write left: `.tmp-*` files of atomic writes and `.tmp-*` checkpoint folders.
    Nothing is followed: a linked checkpoints/ is left alone, a `.tmp-*` link is unlinked itself (lstat), and
    rmtree is fd-based. Never raises: it runs while another error is being reported."""
    remove_temp_files(run_dir)
    root = run_path(run_dir, CHECKPOINTS)
    try:
        if not stat.S_ISDIR(os.lstat(root).st_mode):  # a linked checkpoints/ would list a folder outside
            return
        names = os.listdir(root)
    except OSError:
        return
    for name in names:
        if not name.startswith(TEMP_PREFIX):
            continue
        path = os.path.join(root, name)
        try:
            if stat.S_ISDIR(os.lstat(path).st_mode):
                shutil.rmtree(path)
            else:
                os.unlink(path)
        except OSError:  # best effort: the next checkpoint's prune removes what is left
            pass
