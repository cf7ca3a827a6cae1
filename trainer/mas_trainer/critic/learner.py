"""Trains the critic on returns and turns its values into credit, one training step at a time.

Per step: V(h_t) for every decision of the batch (no grad) gives the credit, then the critic regresses the
returns from those decisions and from the `replay` − 1 steps before (mean squared error, a few passes of
minibatches). Credit therefore always uses the critic from before it saw the step's outcomes, as in actor-critic.
Why replay: fitting only the newest 32–64 prefixes a few times over, the critic chased each step's batch and did not
learn the lazy team's value in 60 steps; refitting the last few steps' prefixes reuses them while they are still
close to the current policies' (bench/learning/RESULTS.md). `normalize: standardize` then standardises each
agent's credits within each task's group (actor-critic's advantage normalisation; docs/credit-estimators.md).
"""

from __future__ import annotations

import random

import torch

from ..dist import DistContext
from ..memory_budget import token_budget_groups
from ..spec import ModelSpec
from .credit import critic_credit, decision_returns, decision_rewards, normalise_per_agent
from .model import build_value_model, encode_texts, pad_batch
from .transcript import decision_prefixes

DEFAULT_LR = 1e-4  # the language catalogue's default for `critic(lr: ...)`
DEFAULT_PASSES = 2  # regression passes over each step's decisions (catalogue: `critic(passes: ...)`)
DEFAULT_REPLAY = 1  # steps whose (prefix, return) pairs each fit covers, this one included (`critic(replay: ...)`)
MAX_REPLAY = 64
NORMALIZE_CHOICES = ("none", "standardize")  # catalogue: `critic(normalize: ...)`, default none
PASSES = DEFAULT_PASSES  # kept for bench/learning/critic_fit.py, which overrides it
MINIBATCH = 64
VALUE_CHUNK = 256  # prefixes per no-grad value pass
KNOWN_PARAMS = ("lr", "passes", "replay", "normalize")


def critic_params(params: dict) -> dict:
    """The checked `critic(...)` parameters: lr, passes, replay, normalize. Errors say what is allowed."""
    unknown = sorted(set(params) - set(KNOWN_PARAMS))
    if unknown:
        raise ValueError(
            f"credit `critic` has no parameter {', '.join(map(repr, unknown))}; known: {', '.join(KNOWN_PARAMS)}"
        )
    lr = params.get("lr", DEFAULT_LR)
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not 0 < lr <= 1:
        raise ValueError(f"credit `critic`: `lr` must be a number in (0, 1], got {lr!r}")
    passes = params.get("passes", DEFAULT_PASSES)
    if isinstance(passes, bool) or not isinstance(passes, int) or not 1 <= passes <= 64:
        raise ValueError(f"credit `critic`: `passes` must be a whole number from 1 to 64, got {passes!r}")
    replay = params.get("replay", DEFAULT_REPLAY)
    if isinstance(replay, bool) or not isinstance(replay, int) or not 1 <= replay <= MAX_REPLAY:
        raise ValueError(f"credit `critic`: `replay` must be a whole number from 1 to {MAX_REPLAY}, got {replay!r}")
    normalize = params.get("normalize", "none")
    if normalize not in NORMALIZE_CHOICES:
        raise ValueError(
            f"credit `critic`: `normalize` must be one of {', '.join(NORMALIZE_CHOICES)}, got {normalize!r}"
        )
    return {"lr": float(lr), "passes": passes, "replay": replay, "normalize": normalize}


def critic_lr(params: dict) -> float:
    return critic_params(params)["lr"]


class CriticLearner:
    def __init__(
        self,
        model: ModelSpec,
        lr: float,
        device: torch.device,
        seed: int,
        dist_ctx: DistContext | None = None,
        passes: int | None = None,
        normalize: str = "none",
        group: int = 0,
        replay: int = DEFAULT_REPLAY,
        micro_batch_tokens: int | None = None,
    ) -> None:
        # Its own generator state, so adding a critic does not change the policies' initialisation.
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed + 7919)
            self.module, self.tokenizer, self.max_length, self.tokenizer_description = build_value_model(model)
        self.model_spec = model
        self.pad_id = int(getattr(self.tokenizer, "pad_id"))  # build_value_model's tokenizers all have one
        self.device = device
        self.module.to(device).eval()
        self.optimizer = torch.optim.AdamW(self.module.parameters(), lr=lr, weight_decay=0.0)
        self.shuffle = random.Random(seed)
        self.dist = dist_ctx or DistContext()
        self.last_loss: float | None = None
        self.passes = passes  # None: the module's PASSES (what critic_fit.py sets)
        self.normalize = normalize
        self.group = group  # rollouts per task group (consecutive); 0: the whole batch is one pool
        self.replay = replay
        self.history: list[tuple[list[str], list[float]]] = []  # the last `replay` steps' (prefixes, returns)
        self.micro_batch_tokens = (
            micro_batch_tokens  # padded tokens per forward (train.micro_batch_tokens); None: no cap
        )

    def values(self, texts: list[str]) -> list[float]:
        out: list[float] = []
        with torch.no_grad():
            for start in range(0, len(texts), VALUE_CHUNK):
                seqs = encode_texts(self.tokenizer, texts[start : start + VALUE_CHUNK], self.max_length)
                for group in token_budget_groups([len(s) for s in seqs], self.micro_batch_tokens):
                    ids, mask = pad_batch([seqs[i] for i in group], self.pad_id, self.device)
                    out.extend(float(v) for v in self.module(ids, mask))
        return out

    def accumulate_gradient(self, seqs: list[list[int]], targets: list[float]) -> float:
        """The gradient of the mean squared error over one minibatch, summed from micro-batches under the token
        budget (each micro-batch's summed error over the minibatch size: the one-forward gradient); returns the loss."""
        self.optimizer.zero_grad(set_to_none=True)
        total = 0.0
        for group in token_budget_groups([len(s) for s in seqs], self.micro_batch_tokens):
            ids, mask = pad_batch([seqs[i] for i in group], self.pad_id, self.device)
            target = torch.tensor([targets[i] for i in group], dtype=torch.float32, device=self.device)
            loss = torch.nn.functional.mse_loss(self.module(ids, mask), target, reduction="sum") / len(seqs)
            loss.backward()
            total += float(loss.detach())
        return total

    def fit(self, texts: list[str], targets: list[float]) -> float:
        """Regresses V(text) on targets; returns the mean loss of the last pass."""
        order = list(range(len(texts)))
        seqs = encode_texts(self.tokenizer, texts, self.max_length)  # once for every pass
        self.module.train()
        losses: list[float] = []
        for _ in range(self.passes or PASSES):
            self.shuffle.shuffle(order)
            losses = []
            for start in range(0, len(order), MINIBATCH):
                chosen = order[start : start + MINIBATCH]
                loss = self.accumulate_gradient([seqs[i] for i in chosen], [targets[i] for i in chosen])
                if self.dist.enabled:  # every process fits its own share; average so the copies stay equal
                    for p in self.module.parameters():
                        if p.grad is not None:
                            self.dist.all_reduce_(p.grad).div_(self.dist.world)
                torch.nn.utils.clip_grad_norm_(self.module.parameters(), 1.0)
                self.optimizer.step()
                losses.append(loss)
        self.module.eval()
        self.last_loss = sum(losses) / len(losses) if losses else None
        return self.last_loss or 0.0

    def fit_with_replay(self, texts: list[str], targets: list[float]) -> float:
        """Adds one step's (prefixes, returns) to the replay window (the last `replay` steps) and fits the window."""
        self.history = (self.history + [(texts, targets)])[-self.replay :]
        return self.fit(
            [x for step_texts, _ in self.history for x in step_texts],
            [y for _, step_targets in self.history for y in step_targets],
        )

    def credit_and_fit(self, rollouts: list[tuple[list, float, list]], level: str) -> list[list[float]]:
        """rollouts: (turns, rollout reward, per-decision rewards or None) each. Credit with the current critic,
        then one round of fitting on the returns."""
        prefixes = [decision_prefixes(turns) for turns, _, _ in rollouts]
        flat = [p for ps in prefixes for p in ps]
        values = self.values(flat) if flat else []
        credits, agents, texts, targets, at = [], [], [], [], 0
        for (turns, reward, per_decision), ps in zip(rollouts, prefixes):
            rewards = decision_rewards(reward, per_decision, level)
            credits.append(critic_credit(rewards, values[at : at + len(ps)]))
            agents.append([t.agent for t in turns if not t.nulled])
            texts.extend(ps)
            targets.extend(decision_returns(rewards))
            at += len(ps)
        if texts:
            self.fit_with_replay(texts, targets)
        if self.normalize == "none":
            return credits
        size = self.group if self.group > 0 else len(credits)
        return [
            c
            for i in range(0, len(credits), size)
            for c in normalise_per_agent(credits[i : i + size], agents[i : i + size])
        ]

    def state_dict(self) -> dict:
        return {
            "model": {k: v.detach().cpu() for k, v in self.module.state_dict().items()},
            "optimizer": self.optimizer.state_dict(),
            "shuffle": self.shuffle.getstate(),
            "history": [[list(texts), list(targets)] for texts, targets in self.history],
        }

    def load_state_dict(self, state: dict) -> None:
        self.module.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.shuffle.setstate(state["shuffle"])
        # A checkpoint from before `replay` existed has no history: the replay window then refills from here.
        self.history = [(list(texts), list(targets)) for texts, targets in state.get("history", [])][-self.replay :]
