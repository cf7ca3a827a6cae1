"""The extra rollouts some credit estimators need, as the registry's capabilities say: tree rollouts (`needs_tree`:
counterfactual / C3) and re-runs with agents nulled (`needs_nulled_reruns`: difference, shapley; each plans its own
re-runs, registered with its estimator). Pure orchestration over GraphWalker; generation and scoring are injected.

Tree rollouts: per task, a prefix tree with `fanout[d]` children at turn d (the agents in graph order on a linear
graph). Child x of a node samples its turn with the rollout key node_key + x * leaves_per_child, so leaf 0 of a
group is exactly the ordinary rollout with that key, siblings differ, and every leaf continues with its own key
after the fan-out levels. Leaves come out in prefix order (C3's leaf_start numbering): the group of G = prod(fanout).

Nulled re-runs: the rollout is rewound to the frozen context just before the first turn of a nulled agent, then
walked on with those agents' null behaviour and the rollout's own key (common random numbers: the per-turn seeds
are those of the original, so an agent whose prompt did not change says the same thing).
"""

from __future__ import annotations

import math
import random
from typing import Callable, Sequence

from .credit import method_info, registered
from .credit.counterfactual import leaf_size, tree_parent
from .errors import EXIT_BAD_SPEC, MasError
from .rewards import decisions
from .rollout import GenerateFn, GraphWalker, RolloutState

ScoreFn = Callable[[RolloutState], float]


def fanout_of(method: str, params: dict, group: int) -> list[int]:
    fanout = [int(n) for n in params.get("fanout") or []]
    if not fanout or math.prod(fanout) != group:
        raise MasError(
            f"credit `{method}` needs `fanout` whose product is the GRPO group ({group}), "
            f"got {params.get('fanout')!r}; fix train.credit in the .mas file and recompile",
            EXIT_BAD_SPEC,
        )
    return fanout


def tree_rollouts(
    walker: GraphWalker, tasks: Sequence[dict], fanout: list[int], generate: GenerateFn, first_key: int = 0
) -> list[RolloutState]:
    group = math.prod(fanout)
    nodes = [walker.start(task, key=first_key + t * group) for t, task in enumerate(tasks)]
    for depth, fan in enumerate(fanout):
        per_child = leaf_size(fanout, depth)
        children = []
        for node in nodes:
            for x in range(fan):
                child = node.copy()
                child.key = node.key + x * per_child
                children.append(child)
        nodes = walker.step(children, generate)  # one turn each; a branch already at `end` is copied as is
    leaves = walker.resume(nodes, generate)
    for i, leaf in enumerate(leaves):
        leaf.parent, leaf.shared_turns = tree_parent(i % group, fanout)
    return leaves


def _players(state: RolloutState) -> list[str]:
    return list(dict.fromkeys(t.agent for t in decisions(state)))


def _planning_order(methods: Sequence[str]) -> list[str]:
    """The methods needing nulled re-runs, coalition methods first: their plan (and the agent orders they draw from
    the rollout's rng) comes first, and the one-agent-nulled re-runs they already hold are not repeated."""
    wanted = [m for m in dict.fromkeys(methods) if method_info(m).needs_nulled_reruns]
    return sorted(wanted, key=lambda m: not method_info(m).coalition_reruns)


def needed_coalitions(
    state: RolloutState, methods: Sequence[str], params: dict, rng: random.Random
) -> list[tuple[str, ...]]:
    """Nulled sets to re-run for one rollout; stores the agent orders a sampling planner draws (permutation
    Shapley)."""
    team = _players(state)
    needed: dict[tuple[str, ...], None] = {}
    for method in _planning_order(methods):
        plan = registered(method).reruns
        assert plan is not None  # registry.check_complete: every needs_nulled_reruns method has a planner
        coalitions, orders = plan(team, params, rng)
        if method_info(method).coalition_reruns:
            state.permutations = orders
        needed.update(dict.fromkeys(coalitions))
    return list(needed)


def run_nulled(
    walker: GraphWalker,
    states: Sequence[RolloutState],
    methods: Sequence[str],
    params: dict,
    generate: GenerateFn,
    score: ScoreFn,
    seed: int,
    step: int,
) -> int:
    """Fills state.counterfactuals for the nulled re-runs the `methods` need; returns the number of re-runs. `params`:
    those of the training method (a planner reads its own; the others ignore them)."""
    jobs: list[tuple[RolloutState, tuple[str, ...], RolloutState]] = []
    for state in states:
        rng = random.Random((seed * 1_000_003 + step) * 1_000_003 + state.key)
        for nulled in needed_coalitions(state, methods, params, rng):
            first = min(t.index for t in state.turns if t.agent in nulled)
            frozen = walker.rewind(state, first)
            frozen.nulled = frozenset(nulled)
            jobs.append((state, nulled, frozen))
    if not jobs:
        return 0
    finished = walker.resume([job[2] for job in jobs], generate)
    for (state, nulled, _), rerun in zip(jobs, finished):
        state.counterfactuals[nulled] = float(score(rerun))
    return len(jobs)


def step_rollouts(
    walker: GraphWalker,
    tasks: Sequence[dict],
    group: int,
    method: str,
    params: dict,
    recorded: Sequence[str],
    generate: GenerateFn,
    score: ScoreFn,
    seed: int,
    step: int,
    first_key: int = 0,
) -> list[RolloutState]:
    """A step's rollouts, G per task (whole groups, task-major): a tree per task for a method needing tree rollouts
    (counterfactual credit), else independent samples; then the nulled re-runs that the methods trained or recorded
    read (difference, Shapley)."""
    info = method_info(method)
    if info.needs_tree:
        states = tree_rollouts(walker, tasks, fanout_of(method, params, group), generate, first_key)
    else:
        states = walker.run([t for t in tasks for _ in range(group)], generate, first_key=first_key)
    # Only a coalition method's planner reads params (Shapley's samples / mode); the others plan with none.
    run_nulled(walker, states, recorded, params if info.coalition_reruns else {}, generate, score, seed, step)
    return states
