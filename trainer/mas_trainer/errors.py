"""User-facing errors: one line that says what to do, and a documented exit code (trainer/README.md)."""

from __future__ import annotations

# Exit codes, documented in trainer/README.md. 1 is left for unexpected crashes (a Python traceback).
EXIT_BAD_ARGS = 2
EXIT_BAD_SPEC = 3
EXIT_BAD_DATASET = 4
EXIT_MODEL_UNAVAILABLE = 5
EXIT_DEVICE_UNAVAILABLE = 6
EXIT_RUN_DIR = 7
EXIT_RESUME_FAILED = 8
EXIT_OUT_OF_MEMORY = 9
EXIT_DISK_FULL = 10
EXIT_API_MODEL = 11  # an API model's endpoint failed after its retries (api_models.py)


class MasError(Exception):
    """An error the user can fix; main() prints `error: <message>` and exits with `exit_code`."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


def out_of_memory_error(on_gpu: bool, micro_batch_tokens: int | None = None) -> MasError:
    """Exit 9 with what to change, cheapest first: the tokens of one forward (the update's peak), activation
    checkpointing, then less work per step. `micro_batch_tokens`: the budget the run used, when known."""
    where = "the GPU" if on_gpu else "the machine"
    now = f" (this run used {micro_batch_tokens})" if micro_batch_tokens is not None else ""
    return MasError(
        f"{where} ran out of memory; lower `micro_batch_tokens` in the train block{now}, set "
        "`gradient_checkpointing: true` on the model, or use a smaller `group`, `batch` or agents' `max_tokens`, "
        "then run again (with --resume to keep the steps already done)",
        EXIT_OUT_OF_MEMORY,
    )


def disk_full_error(reason: str) -> MasError:
    return MasError(
        f"the disk holding the run directory is full ({reason}); free some space, then run again with "
        "--resume to continue from the last checkpoint",
        EXIT_DISK_FULL,
    )


class SpecError(MasError):
    def __init__(self, message: str):
        super().__init__(message, EXIT_BAD_SPEC)


class DatasetError(MasError):
    def __init__(self, message: str):
        super().__init__(message, EXIT_BAD_DATASET)
