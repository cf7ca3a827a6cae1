"""The training half of gpu_check.py: a few Trainer steps with each phase timed (rollout / reward / credit /
update), the update's MFU and the peak memory of each phase. The phases are timed by wrapping the Trainer's own
calls in this benchmark only; the first step (warm-up: allocator, kernels) is left out of the medians."""

from __future__ import annotations

import os
import statistics
import time
from contextlib import contextmanager

import torch

PHASES = ("rollout", "reward", "credit", "update")


class PhaseTimer:
    def __init__(self, device: torch.device) -> None:
        self.device = device
        self.seconds: dict[str, list[float]] = {p: [] for p in PHASES}
        self.peak_mb: dict[str, float] = {p: 0.0 for p in PHASES}
        self.update_tokens: list[int] = []

    @contextmanager
    def phase(self, name: str):
        cuda = self.device.type == "cuda"
        if cuda:
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
        started = time.perf_counter()
        try:
            yield
        finally:
            if cuda:
                torch.cuda.synchronize()
                self.peak_mb[name] = max(self.peak_mb[name], torch.cuda.max_memory_allocated() / 2**20)
            self.seconds[name].append(time.perf_counter() - started)

    def wrap(self, name: str, fn):
        def timed(*args, **kwargs):
            with self.phase(name):
                return fn(*args, **kwargs)

        return timed


@contextmanager
def _patched(module, name: str, value):
    original = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, original)


def train_figures(spec_data: dict, workdir: str, device: torch.device, n_matmul: int, n_lora: int, peak_tflops: float):
    """Runs the spec's steps with every phase timed; returns the medians over the steps after the first."""
    import mas_trainer.trainer as trainer_mod
    from mas_trainer.spec import parse_spec
    from mas_trainer.trainer import RunOptions, Trainer

    timer = PhaseTimer(device)
    score_rollouts_per_step: list[float] = []

    def update_counting_tokens(units, policies, optimizers, schedulers, decisions, *rest, **options):
        timer.update_tokens.append(sum(len(d.prompt_ids) + len(d.token_ids) for d in decisions))
        return original_update(units, policies, optimizers, schedulers, decisions, *rest, **options)

    class TimedTrainer(Trainer):
        def _rollouts(self):
            with timer.phase("rollout"):
                return super()._rollouts()

        def _credit(self, states, scores):
            # score_rollout runs once per rollout: its calls since the last credit are this step's reward phase
            score_rollouts_per_step.append(sum(timer.seconds["reward"]))
            with timer.phase("credit"):
                return super()._credit(states, scores)

    original_update = trainer_mod.update
    spec = parse_spec(spec_data)
    with (
        _patched(trainer_mod, "score_rollout", _accumulating(timer, trainer_mod.score_rollout)),
        _patched(trainer_mod, "update", timer.wrap("update", update_counting_tokens)),
    ):
        TimedTrainer(spec, RunOptions(os.path.join(workdir, "run"))).run()
    rewards = [b - a for a, b in zip([0.0] + score_rollouts_per_step, score_rollouts_per_step)]
    later = slice(1, None) if len(timer.seconds["update"]) > 1 else slice(None)
    split = {
        "rollout": statistics.median(timer.seconds["rollout"][later]),
        "reward": statistics.median(rewards[later]),
        "credit": statistics.median(timer.seconds["credit"][later]),
        "update": statistics.median(timer.seconds["update"][later]),
    }
    tokens = statistics.median(timer.update_tokens[later])
    kl = spec.train.algorithm.kl > 0
    flops = tokens * (4 * n_matmul + 6 * n_lora + (2 * n_matmul if kl else 0))
    return {
        "steps_timed": len(timer.seconds["update"][later]),
        "step_split_s": {k: round(v, 3) for k, v in split.items()},
        "update_tokens_forwarded": tokens,
        "update_tflops_per_s": round(flops / split["update"] / 1e12, 2),
        "update_mfu": round(flops / split["update"] / (peak_tflops * 1e12), 4),
        "peak_memory_mb": {k: round(v) for k, v in timer.peak_mb.items()} if device.type == "cuda" else None,
    }


def _accumulating(timer: PhaseTimer, fn):
    """score_rollout timed call by call into the `reward` phase (no memory reset: it runs on the host)."""

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            timer.seconds["reward"].append(time.perf_counter() - started)

    return timed
