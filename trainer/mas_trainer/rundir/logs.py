"""trainer.log and the optional TensorBoard event files of a run directory."""

from __future__ import annotations

import logging
import os

from .layout import TENSORBOARD, TRAINER_LOG, run_path
from .safe_paths import open_append


def open_logger(run_dir: str, name: str, write_file: bool = True) -> logging.Logger:
    """trainer.log in the run directory (main process only) plus stderr; a logger per run."""
    logger = logging.getLogger(f"mas_trainer.run.{os.path.abspath(run_dir)}.{name}")
    logger.handlers.clear()
    logger.setLevel(logging.INFO)
    logger.propagate = False
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if write_file:
        handlers.append(_RunLogHandler(run_path(run_dir, TRAINER_LOG)))
    for handler in handlers:
        handler.setFormatter(formatter)
        logger.addHandler(handler)
    return logger


class _RunLogHandler(logging.StreamHandler):
    """logging.FileHandler without following a link: the stream is opened by safe_paths.open_append."""

    def __init__(self, path: str) -> None:
        super().__init__(os.fdopen(open_append(path), "a", encoding="utf-8"))

    def close(self) -> None:
        self.acquire()  # self.lock, which logging.Handler.__init__ creates
        try:
            self.stream.close()
        finally:
            self.release()
        super().close()


class TensorBoardSink:
    """Writes scalars when tensorboard is installed; otherwise does nothing."""

    def __init__(self, run_dir: str) -> None:
        self.writer = None
        try:
            from torch.utils.tensorboard import SummaryWriter

            self.writer = SummaryWriter(run_path(run_dir, TENSORBOARD))
        except Exception:  # tensorboard missing or broken: the metrics.jsonl record is the source of truth
            self.writer = None

    def log(self, step: int, scalars: dict[str, float]) -> None:
        if self.writer is None:
            return
        for key, value in scalars.items():
            if isinstance(value, (int, float)) and value is not None:
                self.writer.add_scalar(key, value, step)
        self.writer.flush()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
