"""`turn_level` credit (MARS): per-turn rewards normalised per agent, summed over the agent's later turns, centred.

Follows thu-nics/MARS (commit 5979f75c) as its self-play configs run it (examples/*/agentic_val_*_selfplay.yaml:
use_turn_scores true, reward_normalization {grouping: tags, method: mean, separate_norm_for_selfplay: true},
adv_estimator reinforce with gamma 1, advantage_norm mean). Functions in roll/utils/functionals.py:

1. Where rewards sit (roll/agentic/rollout/env_manager.py get_masks_and_scores): with turn scores, each turn's
   reward sits on that turn's last token; without them, the sum of the player's rewards sits on its row's last token.
   Here: if any decision of the batch has a `reward`, every decision is a reward position (None counts 0);
   otherwise the rollout's reward sits on each agent's last decision of the rollout.
2. reward_normalize_by_player -> score_normalize: per player (here: per agent), over the reward positions of the
   whole pool (grouping `tags` pools every group of the batch — see turn_level_credit_batch). `mean` subtracts the
   pool mean; `mean_std` also divides by (std + 1e-6) with the Bessel-corrected (unbiased) std, and gives 0 when
   std <= 1e-6. (masked_mean divides by mask_sum + 1e-8, but in float32 n + 1e-8 == n for n >= 1, so the 1e-8 is
   a no-op and is left out here.) A one-element pool raises in their masked_var; here it is centred to 0.
3. compute_reinforce_return with gamma 1: a reverse cumulative sum along the agent's own row, so the credit of a
   decision is the sum of the normalised rewards of that agent's decisions at or after it in the rollout.
4. normalize_unique_values_by_player (advantage_norm): centres over the DISTINCT values of the player's advantage
   tensor across the whole batch — duplicates count once, and the right padding of every row (pad_to_length to
   sequence_length) adds the value 0 (`advantage_pool="distinct_with_zero"`, default); a single distinct value
   gives all zeros. `advantage_pool="decisions"` is DESIGN.md §5's plain "centred per agent" (mean over decisions).

5. whiten_rewards / whiten_advantages (compute_advantage: masked_whiten over every response token of the batch,
   all players pooled, unbiased var, (x - mean) * rsqrt(var + 1e-8)): here each decision counts as ONE response
   token, so MARS is reproduced exactly on batches whose responses are one token long; with longer responses MARS's
   whitened rewards add -mean/sd on every response token and credit depends on response length, which a
   decision-level estimator cannot express. `gamma` is compute_reinforce_return's discount over the agent's turns.

`preset: mars_paper` is the self-play configs' setting (whiten_rewards and whiten_advantages on, gamma 1, mean
normalisations) with `advantage_pool: float32_distinct`: returns are rounded to float32 and compared exactly, as
torch.unique does on MARS's float32 tensors. `preset: ours` (default) keeps the residue-proof DISTINCT_TOLERANCE
comparison. Explicit parameters override the preset's. See docs/credit-estimators.md.
"""

from __future__ import annotations

import math
import struct
from collections import defaultdict
from typing import Sequence

from .params import ParamReader
from .registry import method_of, register
from .types import CreditGroup

TURN_LEVEL_PARAMS = {
    "reward_norm",
    "advantage_norm",
    "advantage_pool",
    "whiten_rewards",
    "whiten_advantages",
    "gamma",
    "preset",
}
NORM_EPS = 1e-6  # score_normalize's and normalize_unique_values's `+ 1e-6`
WHITEN_EPS = 1e-8  # masked_whiten's `rsqrt(var + 1e-8)`
# Defaults per preset; twin: PRESETS in analysis/credit/turn-level.ts and the catalogue's hover text.
PRESETS: dict[str, dict[str, object]] = {
    "ours": {
        "reward_norm": "mean",
        "advantage_norm": "mean",
        "advantage_pool": "distinct_with_zero",
        "whiten_rewards": "off",
        "whiten_advantages": "off",
        "gamma": 1.0,
    },
    "mars_paper": {
        "reward_norm": "mean",
        "advantage_norm": "mean",
        "advantage_pool": "float32_distinct",
        "whiten_rewards": "on",
        "whiten_advantages": "on",
        "gamma": 1.0,
    },
}
# Returns closer than this (relative to the pool's largest magnitude, at least 1) are one distinct value: float64
# sums of normalised rewards leave residues of ~1e-16 (1/3 - 1/3 + ... = 5.6e-17), which must not count as values
# of their own. Twin: DISTINCT_TOLERANCE in analysis/credit/turn-level.ts.
DISTINCT_TOLERANCE = 1e-9

# (group index, rollout index, decision index)
Position = tuple[int, int, int]


def _turn_rewards(groups: Sequence[CreditGroup]) -> dict[Position, float]:
    """The reward positions and their rewards (get_masks_and_scores; use_turn_scores = any decision has a reward)."""
    turn_scores = any(d.reward is not None for g in groups for r in g.rollouts for d in r.decisions)
    rewards: dict[Position, float] = {}
    for gi, group in enumerate(groups):
        for ri, rollout in enumerate(group.rollouts):
            if turn_scores:
                for di, d in enumerate(rollout.decisions):
                    rewards[(gi, ri, di)] = 0.0 if d.reward is None else d.reward
            else:
                last_of_agent = {d.agent: di for di, d in enumerate(rollout.decisions)}
                for di in last_of_agent.values():
                    rewards[(gi, ri, di)] = rollout.reward
    return rewards


def _normalise_rewards(values: list[float], method: str) -> list[float]:
    if method == "none" or not values:
        return list(values)
    n = len(values)
    mu = sum(values) / n
    if method == "mean":
        return [v - mu for v in values]
    if n < 2:  # their masked_var raises, x.std() is NaN (-> zeros); both read here as "no spread"
        return [0.0] * n
    sd = math.sqrt(sum((v - mu) ** 2 for v in values) / (n - 1))
    return [(v - mu) / (sd + NORM_EPS) for v in values] if sd > NORM_EPS else [0.0] * n


def _centre(values: list[float], pool: list[float], mode: str) -> list[float]:
    """normalize_unique_values: fewer than two distinct pool values -> zeros; else centre (and scale)."""
    if mode == "none":
        return list(values)
    if len(set(pool)) < 2:
        return [0.0] * len(values)
    ordered = sorted(pool)  # torch.unique sorts; summing in the same order keeps the TS twin bit-identical
    mu = sum(ordered) / len(ordered)
    if mode == "mean":
        return [v - mu for v in values]
    sd = math.sqrt(sum((v - mu) ** 2 for v in ordered) / (len(ordered) - 1))
    return [(v - mu) / (sd + NORM_EPS) for v in values]


def float32(value: float) -> float:
    """The nearest float32 (Math.fround in the TS twin)."""
    return struct.unpack("f", struct.pack("f", value))[0]


def float32_distinct_values(values: list[float]) -> list[float]:
    """torch.unique on MARS's float32 advantage tensor: values rounded to float32, compared exactly, plus the
    padding's 0; any rounding leftover that survives in float32 counts as a value of its own, as it does there."""
    return sorted({float32(v) for v in values} | {0.0})


def _whiten(values: list[float]) -> list[float]:
    """masked_whiten over all response tokens (one per decision here); a single token (their masked_var raises)
    reads as no spread."""
    n = len(values)
    if n == 0:
        return []
    mu = sum(values) / n
    var = sum((v - mu) ** 2 for v in values) / (n - 1) if n > 1 else 0.0
    return [(v - mu) / math.sqrt(var + WHITEN_EPS) for v in values]


def distinct_values(values: list[float], with_zero: bool) -> list[float]:
    """The sorted distinct values (torch.unique), where values within DISTINCT_TOLERANCE of the previous kept value
    are rounding residues of it and count once; `with_zero` adds the padding's 0 unless a value is that close to 0."""
    pool = sorted(values + [0.0]) if with_zero else sorted(values)
    tolerance = DISTINCT_TOLERANCE * max([1.0] + [abs(v) for v in pool])
    kept: list[float] = []
    for v in pool:
        if not kept or v - kept[-1] > tolerance:
            kept.append(v)
        elif with_zero and v == 0.0:
            kept[-1] = 0.0  # the padding's exact 0 represents its cluster, so a residue of 0 centres on 0
    return kept


def turn_level_credit_batch(groups: Sequence[CreditGroup], params: dict) -> list[list[list[float]]]:
    """MARS pools both normalisations over the whole batch (grouping `tags`, one tag here; advantage_norm over the
    batch), not per task: pass every group of a training step to reproduce it. Result: [group][rollout][decision]."""
    reader = ParamReader(method_of(turn_level_credit), params, TURN_LEVEL_PARAMS)
    preset = PRESETS[reader.choice("preset", tuple(PRESETS), "ours")]
    reward_norm = reader.choice("reward_norm", ("mean", "mean_std", "none"), str(preset["reward_norm"]))
    advantage_norm = reader.choice("advantage_norm", ("mean", "mean_std", "none"), str(preset["advantage_norm"]))
    advantage_pool = reader.choice(
        "advantage_pool",
        ("distinct_with_zero", "distinct", "decisions", "float32_distinct"),
        str(preset["advantage_pool"]),
    )
    whiten_rewards = reader.choice("whiten_rewards", ("off", "on"), str(preset["whiten_rewards"])) == "on"
    whiten_advantages = reader.choice("whiten_advantages", ("off", "on"), str(preset["whiten_advantages"])) == "on"
    gamma = reader.non_negative_number("gamma", float(preset["gamma"]))  # type: ignore[arg-type]
    if gamma > 1:
        raise ValueError(f"credit `turn_level`: `gamma` must be between 0 and 1, got {gamma!r}")

    rewards = _turn_rewards(groups)
    positions_of_agent: dict[str, list[Position]] = defaultdict(list)
    for pos in rewards:
        gi, ri, di = pos
        positions_of_agent[groups[gi].rollouts[ri].decisions[di].agent].append(pos)
    normalised: dict[Position, float] = {}
    for positions in positions_of_agent.values():
        for pos, value in zip(positions, _normalise_rewards([rewards[p] for p in positions], reward_norm)):
            normalised[pos] = value
    every_decision = [
        (gi, ri, di) for gi, g in enumerate(groups) for ri, r in enumerate(g.rollouts) for di in range(len(r.decisions))
    ]
    if whiten_rewards:  # every response token is whitened, reward position or not
        normalised = dict(zip(every_decision, _whiten([normalised.get(p, 0.0) for p in every_decision])))

    # Discounted reverse cumulative sum along each agent's own decisions of each rollout.
    returns = [[[0.0] * len(r.decisions) for r in g.rollouts] for g in groups]
    for gi, group in enumerate(groups):
        for ri, rollout in enumerate(group.rollouts):
            running: dict[str, float] = defaultdict(float)
            for di in range(len(rollout.decisions) - 1, -1, -1):
                agent = rollout.decisions[di].agent
                running[agent] = normalised.get((gi, ri, di), 0.0) + gamma * running[agent]
                returns[gi][ri][di] = running[agent]

    returns_of_agent: dict[str, list[Position]] = defaultdict(list)
    for gi, group in enumerate(groups):
        for ri, rollout in enumerate(group.rollouts):
            for di, d in enumerate(rollout.decisions):
                returns_of_agent[d.agent].append((gi, ri, di))
    credit = [[list(row) for row in g] for g in returns]
    for positions in returns_of_agent.values():
        values = [returns[gi][ri][di] for gi, ri, di in positions]
        if advantage_pool == "decisions":
            pool = values
        elif advantage_pool == "float32_distinct":
            pool = float32_distinct_values(values)
        else:
            pool = distinct_values(values, with_zero=advantage_pool == "distinct_with_zero")
        for (gi, ri, di), value in zip(positions, _centre(values, pool, advantage_norm)):
            credit[gi][ri][di] = value
    if whiten_advantages:
        for (gi, ri, di), value in zip(every_decision, _whiten([credit[gi][ri][di] for gi, ri, di in every_decision])):
            credit[gi][ri][di] = value
    return credit


@register("turn_level", pooled=turn_level_credit_batch)
def turn_level_credit(group: CreditGroup, params: dict) -> list[list[float]]:
    """One task's group as the whole batch (the per-group form; the trainer calls the pooled one)."""
    return turn_level_credit_batch([group], params)[0]
