"""`outcome` credit (GRPO): one normalised rollout reward, the same for every decision of the rollout.

DESIGN.md §5: A_i = (R_i - mean_G R) / (std_G R + eps). Follows DrMAS's compute_grpo_outcome_advantage with
group_by_agent_id=False (verl/trainer/ppo/core_algos.py): the rows (decisions) of a trajectory are first averaged
into one score per trajectory (`traj2avg`), so each rollout counts once in the group statistics whatever its number
of decisions. Every row there carries the episode reward (agent_system/reward_manager/episode.py), hence the
trajectory score is the rollout reward R_i. A rollout without decisions has no rows in their batch, so it is left out
of the statistics here too and gets an empty credit list.

`baseline="rloo"` with `std="population"`, `epsilon=1e-8`, `epsilon_form="in_sqrt"` is MAGRPO's joint-action
advantage (EIT-EAST-Lab/C3, experience_maker.py `_compute_marl_advantages_and_returns`): one advantage per
trajectory, shared by every role, leave-one-out mean over the question's trajectories.
"""

from __future__ import annotations

from .grpo import GRPO_PARAMS, read_grpo_options
from .params import ParamReader
from .registry import method_of, register
from .stats import GrpoPool
from .types import CreditGroup


@register("outcome")
def outcome_credit(group: CreditGroup, params: dict) -> list[list[float]]:
    options = read_grpo_options(ParamReader(method_of(outcome_credit), params, GRPO_PARAMS))
    scored = [r.reward for r in group.rollouts if r.decisions]
    if not scored:
        return [[] for _ in group.rollouts]
    pool = GrpoPool(scored, **options.pool_kwargs())
    return [[pool.credit(r.reward)] * len(r.decisions) for r in group.rollouts]
