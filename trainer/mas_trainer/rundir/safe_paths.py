"""The trainer writes only inside its run directory and follows no link there (DESIGN.md §3, trust model).

A run directory may come from anyone (a colleague's zip, a repository's runs/): a `metrics.jsonl` that is a symbolic
link to a shell rc file, or a `checkpoints` link to someone else's folder, must not make the trainer append to or
delete anything outside. So: the entries the trainer manages are checked before it starts (check_run_dir), files are
created and appended with O_NOFOLLOW, folders are made with mkdir (which never follows a link), and every delete
looks at the entry itself (lstat) and confines its target by realpath. Errors are exit 7 (run directory unusable).
"""

from __future__ import annotations

import errno
import os
import shutil
import stat

from ..errors import EXIT_RUN_DIR, MasError

# The entries the trainer writes at the top of a run directory (layout.py, twin of RUN_DIR_FILES). APPENDED_FILES
# are appended in place; the other files are replaced by rename, which replaces a link or hard link instead of
# writing through it (tempfile.mkstemp creates the temp file with O_EXCL | O_NOFOLLOW).
from .layout import APPENDED_FILES, TOP_LEVEL_FILES, TOP_LEVEL_FOLDERS

_FIX = "remove it, or copy the run directory without links (cp -rL) and use the copy"


class UnsafeRunDir(MasError):
    def __init__(self, message: str):
        super().__init__(message, EXIT_RUN_DIR)


def is_plain_name(name: object) -> bool:
    """A file name that stays in its folder: not empty, not . or .., no separator, no NUL."""
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and "/" not in name
        and "\\" not in name
        and "\0" not in name
    )


def _lstat(path: str):
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _refuse_link(path: str, st) -> None:
    if st is not None and stat.S_ISLNK(st.st_mode):
        raise UnsafeRunDir(f"{path} is a symbolic link; the trainer follows no link in a run directory: {_FIX}")


def check_run_dir(run_dir: str) -> None:
    """Refuses a run directory where a managed entry is a link, a hard link, or not the kind of entry expected."""
    for name in TOP_LEVEL_FILES:
        path = os.path.join(run_dir, name)
        st = _lstat(path)
        _refuse_link(path, st)
        if st is not None and not stat.S_ISREG(st.st_mode):
            raise UnsafeRunDir(f"{path} is not a regular file (a folder, FIFO or device): remove it")
        if st is not None and name in APPENDED_FILES and st.st_nlink > 1:
            raise UnsafeRunDir(
                f"{path} has other hard links, so appending to it would change a file elsewhere: "
                "replace it with a copy (cp it to a new name, then move the copy over it)"
            )
    for name in TOP_LEVEL_FOLDERS:
        folder = os.path.join(run_dir, name)
        st = _lstat(folder)
        _refuse_link(folder, st)
        if st is None:
            continue
        if not stat.S_ISDIR(st.st_mode):
            raise UnsafeRunDir(f"{folder} is not a folder: remove it")
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    _refuse_link(entry.path, entry.stat(follow_symlinks=False))


def make_dir(path: str) -> None:
    """mkdir that accepts an existing real folder and refuses a link (os.makedirs(exist_ok) accepts a link)."""
    try:
        os.mkdir(path)
    except FileExistsError:
        st = os.lstat(path)
        _refuse_link(path, st)
        if not stat.S_ISDIR(st.st_mode):
            raise UnsafeRunDir(f"{path} is not a folder: remove it") from None


def _open_checked(path: str, flags: int, single_link: bool = False) -> int:
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, 0o644)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise UnsafeRunDir(
                f"{path} is a symbolic link; the trainer follows no link in a run directory: {_FIX}"
            ) from None
        raise
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or (single_link and st.st_nlink > 1):
        os.close(fd)
        raise UnsafeRunDir(
            f"{path} is not a regular file{' with a single link' if single_link else ''}; the trainer "
            "reads and writes only its own files: remove it"
        )
    return fd


def open_append(path: str) -> int:
    """A write-only O_APPEND descriptor of a regular file, created if missing; never through a link, never a FIFO
    (O_NONBLOCK makes a FIFO without reader fail instead of blocking; the type check refuses one with a reader)."""
    return _open_checked(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, single_link=True)


def create_new(path: str) -> int:
    """A write-only descriptor of a file that did not exist (O_EXCL: a link or file already there is an error)."""
    return _open_checked(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)


def open_read(path: str) -> int:
    """A read-only descriptor of a regular file; a link or anything else is refused."""
    return _open_checked(path, os.O_RDONLY)


def confine(run_dir: str, path: str) -> str:
    """path, once checked to resolve inside run_dir (realpath); UnsafeRunDir otherwise."""
    root = os.path.realpath(run_dir)
    if not os.path.realpath(path).startswith(root + os.sep):
        raise UnsafeRunDir(
            f"{path} resolves outside the run directory {run_dir}; the trainer touches nothing outside it: {_FIX}"
        )
    return path


def remove_tree(run_dir: str, path: str) -> None:
    """Deletes a folder or file the trainer wrote inside run_dir; refuses a link instead of deleting through it."""
    st = _lstat(path)
    if st is None:
        return
    _refuse_link(path, st)
    confine(run_dir, path)
    if stat.S_ISDIR(st.st_mode):
        # fd-based on Linux (shutil.rmtree.avoids_symlink_attacks): a link inside is unlinked, never followed
        shutil.rmtree(path)
    else:
        os.unlink(path)


def remove_regular_file(path: str) -> bool:
    """Deletes path only when it is a regular file (not a link, folder or FIFO); True when it was deleted."""
    st = _lstat(path)
    if st is None or not stat.S_ISREG(st.st_mode):
        return False
    os.unlink(path)
    return True
