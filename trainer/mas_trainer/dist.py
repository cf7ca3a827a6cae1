"""Data parallelism through torch.distributed (launched by torchrun; gloo on CPU, nccl on GPU).

Each process runs batch/world tasks (whole GRPO groups, so credit needs no communication); gradients and loss
sums are all-reduced; rank 0 gathers the rollouts and alone writes the run directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist

from .errors import EXIT_BAD_SPEC, MasError


@dataclass
class DistContext:
    rank: int = 0
    world: int = 1

    @property
    def enabled(self) -> bool:
        return self.world > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def all_reduce_(self, tensor: torch.Tensor) -> torch.Tensor:
        if self.enabled:
            dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
        return tensor

    def sum(self, value: float) -> float:
        if not self.enabled:
            return value
        t = torch.tensor([value], dtype=torch.float64)
        dist.all_reduce(t, op=dist.ReduceOp.SUM)
        return float(t[0])

    def gather(self, items: list) -> list:
        """Concatenation of every rank's list, in rank order (on every rank)."""
        if not self.enabled:
            return items
        out: list = [None] * self.world
        dist.all_gather_object(out, items)
        return [x for part in out for x in part]

    def barrier(self) -> None:
        if self.enabled:
            dist.barrier()

    def shutdown(self) -> None:
        if self.enabled and dist.is_initialized():
            dist.destroy_process_group()


def init_from_env(device: torch.device) -> DistContext:
    """WORLD_SIZE/RANK as torchrun sets them; a single process without them."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return DistContext()
    if not dist.is_initialized():
        dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo")
    return DistContext(rank=dist.get_rank(), world=dist.get_world_size())


def check_batch(batch: int, ctx: DistContext) -> None:
    if batch % ctx.world != 0:
        raise MasError(f"train.batch {batch} must be a multiple of the {ctx.world} processes", EXIT_BAD_SPEC)
