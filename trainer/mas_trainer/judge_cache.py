"""Judge answers cached on disk in the run directory, so that re-scoring a run a second time calls no model.

Layout (protocol/schemas/run-dir/README.md, "judge-cache/"): `<run-dir>/judge-cache/answers.jsonl`, one JSON object
per line, `{"key": <64 hex digits>, "answer": <string>}`, appended one write per line. The key is the sha256 of the
canonical JSON of [judge name, judge model identity, rendered prompt, output being scored, max_tokens, temperature]:
any change to what the judge was asked, or to who was asked, misses.

The file is as untrusted as the rest of a run directory: it is read with a size cap, a torn last line or a corrupt
line is skipped, an entry that is not {key: hex, answer: string} (or whose answer is longer than MAX_ANSWER_CHARS) is
ignored, and an answer read back is only ever a string that goes through the same bounded parser as a fresh one.
The folder and file are opened without following links (rundir.safe_paths).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Optional

from .rundir.layout import JUDGE_CACHE
from .rundir.safe_paths import make_dir, open_append, open_read
from .strict_json import JsonInputError, loads

CACHE_DIR = JUDGE_CACHE  # TS twin: RUN_DIR_FILES.judgeCacheDir (protocol/run-dir.ts)
CACHE_FILE = "answers.jsonl"
MAX_CACHE_BYTES = 256 * 1024 * 1024  # read no more of a cache file than this (the rest is ignored)
MAX_ANSWER_CHARS = 64 * 1024  # longer cached answers are ignored (a judge's max_tokens keeps real ones far below)
_KEY = re.compile(r"[0-9a-f]{64}")


def cache_key(judge: str, model_identity: str, prompt: str, output: str, max_tokens: int, temperature: float) -> str:
    text = json.dumps([judge, model_identity, prompt, output, max_tokens, temperature], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class JudgeCache:
    """Answers by key, loaded once from the run directory and appended to as new answers come."""

    def __init__(self, run_dir: str, log=None) -> None:
        self.run_dir = run_dir
        self.folder = os.path.join(run_dir, CACHE_DIR)
        self.path = os.path.join(self.folder, CACHE_FILE)
        self.log = log
        self.answers: dict[str, str] = {}
        self.ignored = 0  # lines skipped on load (torn, corrupt, wrong shape)
        self._needs_newline = False  # the file ends in a torn line: the next append starts a new line
        self._load()

    def get(self, key: str) -> Optional[str]:
        return self.answers.get(key)

    def put_many(self, entries: list[tuple[str, str]]) -> None:
        """Records new answers: one write of whole lines (a crash leaves at most a torn last line)."""
        fresh = [(k, a) for k, a in entries if k not in self.answers]
        if not fresh:
            return
        lines = "".join(json.dumps({"key": k, "answer": a}, ensure_ascii=False) + "\n" for k, a in fresh)
        data = ("\n" if self._needs_newline else "") + lines
        make_dir(self.folder)
        fd = open_append(self.path)
        try:
            os.write(fd, data.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        self._needs_newline = False
        self.answers.update(fresh)

    def _load(self) -> None:
        if not os.path.lexists(self.path):
            return
        fd = open_read(self.path)  # a link or a FIFO there is refused (exit 7), never followed
        with os.fdopen(fd, "rb") as f:
            data = f.read(MAX_CACHE_BYTES)
        self._needs_newline = bool(data) and not data.endswith(b"\n")
        lines = data.split(b"\n")
        if self._needs_newline:
            lines.pop()  # a torn last line: written by a process that died mid-write
            self.ignored += 1
        for raw in lines:
            if raw.strip():
                self._load_line(raw)
        if self.ignored and self.log is not None:
            self.log.warning("judge cache %s: %d unreadable entries ignored", self.path, self.ignored)

    def _load_line(self, raw: bytes) -> None:
        try:
            record = loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, JsonInputError, ValueError, RecursionError):
            self.ignored += 1
            return
        key = record.get("key") if isinstance(record, dict) else None
        answer = record.get("answer") if isinstance(record, dict) else None
        if not isinstance(key, str) or not _KEY.fullmatch(key) or not isinstance(answer, str):
            self.ignored += 1
            return
        if len(answer) > MAX_ANSWER_CHARS:
            self.ignored += 1
            return
        self.answers.setdefault(key, answer)
