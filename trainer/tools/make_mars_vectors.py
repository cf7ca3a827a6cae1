"""Writes test/fixtures/credit/mars.json: golden vectors for `turn_level`'s MARS switches (whiten_rewards,
whiten_advantages, gamma, advantage_norm, `preset: mars_paper`), computed by running MARS's own code.

Nothing of the authors' code is in this repository. This script reads roll/utils/functionals.py from a snapshot of
thu-nics/MARS at commit MARS_COMMIT (a bare git directory, `git show <commit>:<path>`), takes the function
definitions it needs out of it with `ast` (the module's own imports pull in tensordict and the whole pipeline, none
of which these functions use) and calls them as agentic_pipeline.py does:
`reward_postprocess_agentic` (use_turn_scores, reward_normalization {grouping: tags, separate_norm_for_selfplay})
then `compute_advantage(adv_estimator="reinforce", ...)`, in float32 as MARS runs.

Layout: one row per (rollout, agent), as MARS's self-play rows are one player's trajectory; group_ids "<n>_p0" /
"<n>_p1" (MARS knows two players: the cases have at most two agents). Column 0 is the token that
reward_postprocess_agentic drops (`[:, 1:]`); then ONE response token per decision of that agent (the reward on it,
turn_end_positions 1 where our estimator puts a reward), then PADDING pad tokens (response_mask 0), which add the
value 0 to the distinct-value pool as sequence_length padding does. One token per decision is the layout under
which a decision-level estimator can equal MARS's token-level whitening (docs/credit-estimators.md).

Run from the repository root (needs torch and numpy, which trainer/.venv has):
  trainer/.venv/bin/python trainer/tools/make_mars_vectors.py [/path/to/MARS/git-dir]
The default path is where the `fetch` tool puts the snapshot: /work/.mirror/thu-nics+MARS/repo.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import typing
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import torch
from make_credit_vectors import GROUPS, D, R, case_name

MARS_COMMIT = "5979f75c8fa5354356a461805ed0a984cf3b2dfd"
DEFAULT_MARS_GIT_DIR = "/work/.mirror/thu-nics+MARS/repo"
OUT = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "credit" / "mars.json"
# Multi-group steps: MARS pools the whole batch, so the groups' rollouts are one list of rows there.
BATCH_OUT = OUT.with_name("mars-batch.json")
BATCHES = {
    "normal+per_turn_rewards": ("normal", "per_turn_rewards"),
    "uneven_turns+negative_rewards+all_equal": ("uneven_turns", "negative_rewards", "all_equal"),
}
FUNCTIONS = (
    "compute_clip_fraction",
    "masked_mean",
    "masked_var",
    "masked_whiten",
    "compute_reinforce_return",
    "normalize_unique_values",
    "normalize_unique_values_by_player",
    "score_normalize",
    "reward_normalize_by_player",
    "reward_postprocess_agentic",
    "compute_advantage",
)
PADDING = 2

# agent_absent has three agents; MARS separates two players.
MARS_GROUPS = {name: g for name, g in GROUPS.items() if name != "agent_absent"} | {
    # The one-game TicTacToe win of issue 17: player 0 moves three times and wins (+1 on its last move).
    "tictactoe_win": {
        "rollouts": [
            R(1.0, D("x", 0, 0.0), D("o", 1, 0.0), D("x", 2, 0.0), D("o", 3, 0.0), D("x", 4, 1.0), D("o", 5, -1.0))
        ]
    },
}
CASES = [
    {"preset": "mars_paper"},
    {"preset": "mars_paper", "gamma": 0.9},
    {"preset": "mars_paper", "advantage_norm": "mean_std"},
    {"preset": "mars_paper", "whiten_rewards": "off"},
    {"preset": "mars_paper", "whiten_advantages": "off"},
]


def load_mars_functions(git_dir: str) -> dict:
    source = subprocess.run(
        ["git", "--git-dir", git_dir, "show", f"{MARS_COMMIT}:roll/utils/functionals.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    tree = ast.parse(source)
    wanted = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in FUNCTIONS]
    assert {node.name for node in wanted} == set(FUNCTIONS), "a function moved in the pinned snapshot"
    scope: dict = {"torch": torch, "np": np, **{name: getattr(typing, name) for name in typing.__all__}}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), "functionals.py", "exec"), scope)  # noqa: S102
    return scope


def run_mars(fns: dict, group: dict, params: dict) -> list[list[float]]:
    rollouts = group["rollouts"]
    agents = list(dict.fromkeys(d["agent"] for r in rollouts for d in r["decisions"]))
    assert len(agents) <= 2, "MARS separates two players"
    turn_scores = any(d["reward"] is not None for r in rollouts for d in r["decisions"])
    rows = [(ri, a) for ri, r in enumerate(rollouts) for a in agents if any(d["agent"] == a for d in r["decisions"])]
    width = 1 + max(sum(d["agent"] == a for d in rollouts[ri]["decisions"]) for ri, a in rows) + PADDING
    rewards = torch.zeros((len(rows), width), dtype=torch.float32)
    turn_end = torch.zeros_like(rewards)
    response = torch.zeros_like(rewards)
    where: dict[tuple[int, int], tuple[int, int]] = {}
    for b, (ri, agent) in enumerate(rows):
        mine = [di for di, d in enumerate(rollouts[ri]["decisions"]) if d["agent"] == agent]
        for k, di in enumerate(mine):
            where[(ri, di)] = (b, k)
            response[b, 1 + k] = 1
            if turn_scores:
                rewards[b, 1 + k] = rollouts[ri]["decisions"][di]["reward"] or 0.0
                turn_end[b, 1 + k] = 1
            elif di == mine[-1]:
                rewards[b, 1 + k] = rollouts[ri]["reward"]
                turn_end[b, 1 + k] = 1
    data = SimpleNamespace(
        batch={"token_level_rewards": rewards, "turn_end_positions": turn_end, "response_mask": response},
        non_tensor_batch={"group_ids": np.array([f"{ri}_p{agents.index(a)}" for ri, a in rows], dtype=object)},
        meta_info={},
    )
    config = SimpleNamespace(
        use_turn_scores=True,
        reward_normalization=SimpleNamespace(grouping="tags", method="mean", separate_norm_for_selfplay=True),
        reward_clip=None,
        add_token_level_kl=False,
    )
    data, _ = fns["reward_postprocess_agentic"](data, config)
    data = fns["compute_advantage"](
        data,
        gamma=torch.tensor(params.get("gamma", 1.0)),
        lambd=torch.tensor(0.95),
        adv_estimator="reinforce",
        whiten_advantages=params.get("whiten_advantages", "on") == "on",
        whiten_rewards=params.get("whiten_rewards", "on") == "on",
        advantage_norm=params.get("advantage_norm", "mean"),
    )
    advantages = data.batch["advantages"]
    return [
        [float(advantages[where[(ri, di)][0], where[(ri, di)][1]]) for di in range(len(r["decisions"]))]
        for ri, r in enumerate(rollouts)
    ]


def main() -> int:
    fns = load_mars_functions(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_MARS_GIT_DIR)
    vectors = []
    for params in CASES:
        for name, group in MARS_GROUPS.items():
            try:
                expected = run_mars(fns, group, params)
            except ValueError as error:  # masked_var on a one-token pool: MARS raises, we read it as no spread
                print(f"skipped {case_name(name, params)}: {error}")
                continue
            vectors.append(
                {
                    "name": case_name(name, params),
                    "method": "turn_level",
                    "params": params,
                    "group": group,
                    "expected": expected,
                }
            )
    OUT.write_text(json.dumps(vectors, indent=1) + "\n")
    batches = []
    for params in CASES:
        for name, members in BATCHES.items():
            groups = [MARS_GROUPS[m] for m in members]
            flat = run_mars(fns, {"rollouts": [r for g in groups for r in g["rollouts"]]}, params)
            starts = [sum(len(g["rollouts"]) for g in groups[:k]) for k in range(len(groups))]
            expected = [flat[at : at + len(g["rollouts"])] for at, g in zip(starts, groups)]
            batches.append(
                {
                    "name": case_name(name, params),
                    "method": "turn_level",
                    "params": params,
                    "groups": groups,
                    "expected": expected,
                }
            )
    BATCH_OUT.write_text(json.dumps(batches, indent=1) + "\n")
    print(f"mars: {len(vectors)} vectors, {len(batches)} batch vectors from thu-nics/MARS@{MARS_COMMIT[:8]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
