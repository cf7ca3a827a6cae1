"""Writes test/fixtures/credit/magrpo.json: golden vectors for `baseline: group_mean | rloo` with MAGRPO's std
(`std: population, epsilon: 1e-8, epsilon_form: in_sqrt`), computed by running MAGRPO's own code.

Nothing of the authors' code is in this repository. This script reads it at run time from a snapshot of
EIT-EAST-Lab/C3 at commit C3_COMMIT (a bare git directory, `git show <commit>:<path>`), then:

* `agent_normalized`: imports c3/algorithms/magrpo.py (with its c3/algorithms/utils.py), written to a temporary
  package, and calls `compute_magrpo` as experience_maker.py does in `magrpo_adv_unit=per_role` mode: one row per
  decision, the score on the row's last token, `group_ids` = the decision's agent, `require_group_k = (baseline ==
  "rloo")`, `normalize_adv=True`.
* `outcome`: takes the "MAGRPO joint-action advantage" block of
  openrlhf/trainer/ppo_utils/experience_maker.py::_compute_marl_advantages_and_returns (the lines from its
  `# ---- MAGRPO joint-action advantage ----` marker to `magrpo_joint_std_rows_all = ...`), dedents it and exec's it
  unchanged with the locals it reads: one row per decision, `traj_id` = rollout, `question_id` = 0, every row a
  leaf, the rollout reward on the row's last token (KL 0), `args.magrpo_baseline`.

Both run in float32 as in C3. Decisions map back one to one to rows. Cases left out: rloo on a group with a
one-element pool (C3's per-role code raises there, and its joint-action code returns reward / 1e-4, an artefact of
the clamped (n - 1) denominator that we do not reproduce: docs/credit-estimators.md).

Run from the repository root (needs torch, which trainer/.venv has):
  trainer/.venv/bin/python trainer/tools/make_magrpo_vectors.py [/path/to/C3/git-dir]
The default path is where the `fetch` tool puts the snapshot: /work/.mirror/EIT-EAST-Lab+C3/repo.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from types import SimpleNamespace

import torch
from make_credit_vectors import GROUPS, alternating, case_name

C3_COMMIT = "628185becc70732771393be28d087e88f0a4a5e8"
DEFAULT_C3_GIT_DIR = "/work/.mirror/EIT-EAST-Lab+C3/repo"
OUT = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "credit" / "magrpo.json"

MAGRPO_STD = {"std": "population", "epsilon": 1e-8, "epsilon_form": "in_sqrt", "singleton": "zero"}
JOINT_BLOCK_START = "# ---- MAGRPO joint-action advantage ----"
JOINT_BLOCK_END = "magrpo_joint_std_rows_all = std_q[inv_traj]"
TOKENS = 4  # token positions per row; the score sits on the last one

# A spread small enough that sqrt(var + 1e-8) and std + 1e-8 differ (var ~ 6.3e-9). 3 * 2**-14 keeps every reward,
# sum, mean and leave-one-out mean exact in float32 (the credits divide by ~1e-4, which would magnify float32 rounding
# of an inexact mean to ~1e-4), so C3's float32 run and our float64 agree to ~1e-7.
MAGRPO_GROUPS = GROUPS | {
    "near_equal": {"rollouts": [alternating(0.5), alternating(0.5), alternating(0.5), alternating(0.5 + 3 * 2**-14)]}
}


def c3_source(git_dir: str, path: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", git_dir, "show", f"{C3_COMMIT}:{path}"], check=True, capture_output=True, text=True
    ).stdout


def load_compute_magrpo(git_dir: str, tmp: Path):
    package = tmp / "c3" / "algorithms"
    package.mkdir(parents=True)
    (tmp / "c3" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")  # theirs imports every algorithm; only these two are needed
    for name in ("magrpo.py", "utils.py"):
        (package / name).write_text(c3_source(git_dir, f"c3/algorithms/{name}"))
    sys.path.insert(0, str(tmp))
    return importlib.import_module("c3.algorithms.magrpo").compute_magrpo


def joint_action_block(git_dir: str) -> str:
    text = c3_source(git_dir, "openrlhf/trainer/ppo_utils/experience_maker.py")
    start = text.index(JOINT_BLOCK_START)
    end = text.index(JOINT_BLOCK_END, start) + len(JOINT_BLOCK_END)
    line_start = text.rindex("\n", 0, start) + 1
    return textwrap.dedent(text[line_start:end])


def rows_of(group: dict, score) -> tuple[list[tuple[int, int]], torch.Tensor, torch.Tensor]:
    """One row per decision: (rollout, decision) positions, token rewards [B, T] (score on the last token), mask."""
    positions = [(i, j) for i, r in enumerate(group["rollouts"]) for j in range(len(r["decisions"]))]
    rewards = torch.zeros((len(positions), TOKENS), dtype=torch.float32)
    for b, (i, j) in enumerate(positions):
        rewards[b, -1] = score(group["rollouts"][i], group["rollouts"][i]["decisions"][j])
    return positions, rewards, torch.ones_like(rewards)


def unflatten(group: dict, positions: list[tuple[int, int]], values: torch.Tensor) -> list[list[float]]:
    out = [[0.0] * len(r["decisions"]) for r in group["rollouts"]]
    for (i, j), v in zip(positions, values.tolist()):
        out[i][j] = float(v)
    return out


def run_joint_action(block: str, group: dict, baseline: str) -> list[list[float]]:
    positions, tok_r, _ = rows_of(group, lambda r, d: r["reward"])
    scope = {
        "torch": torch,
        "args": SimpleNamespace(magrpo_baseline=baseline),
        "marl_alg": "magrpo",
        "magrpo_adv_unit": "joint_action",
        "normalize_adv": True,
        "magrpo_traj_from_fallback_any": False,
        "magrpo_has_kid_neg_any": False,
        "magrpo_qids_list": [torch.zeros(len(positions), dtype=torch.long)],
        "magrpo_traj_ids_list": [torch.tensor([i for i, _ in positions], dtype=torch.long)],
        "magrpo_leaf_list": [torch.ones(len(positions), dtype=torch.long)],
        "token_rewards_list": [tok_r],
    }
    exec(block, scope)  # noqa: S102 - the authors' block, read from the pinned snapshot
    return unflatten(group, positions, scope["magrpo_joint_adv_rows_all"])


def run_per_role(compute_magrpo, group: dict, baseline: str, reward: str) -> list[list[float]]:
    def score(r, d):
        return d["reward"] if reward == "decision" and d["reward"] is not None else r["reward"]

    positions, tok_r, mask = rows_of(group, score)
    agents = sorted({d["agent"] for r in group["rollouts"] for d in r["decisions"]})
    gid = torch.tensor([agents.index(group["rollouts"][i]["decisions"][j]["agent"]) for i, j in positions])
    adv, _ = compute_magrpo(
        action_mask=mask,
        rewards=tok_r,
        group_ids=gid,
        baseline=baseline,
        normalize_adv=True,
        require_group_k=(baseline == "rloo"),
    )
    return unflatten(group, positions, adv[:, -1])


def has_singleton_pool(group: dict, method: str) -> bool:
    rollouts = [r for r in group["rollouts"] if r["decisions"]]
    if method == "outcome":
        return len(rollouts) == 1
    counts: dict[str, int] = {}
    for r in rollouts:
        for d in r["decisions"]:
            counts[d["agent"]] = counts.get(d["agent"], 0) + 1
    return min(counts.values()) == 1


def main() -> int:
    git_dir = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_C3_GIT_DIR
    with tempfile.TemporaryDirectory() as tmp:
        compute_magrpo = load_compute_magrpo(git_dir, Path(tmp))
        block = joint_action_block(git_dir)
        vectors = []
        for method in ("outcome", "agent_normalized"):
            reward_sources = ("rollout", "decision") if method == "agent_normalized" else ("rollout",)
            for baseline in ("group_mean", "rloo"):
                for reward in reward_sources:
                    for name, group in MAGRPO_GROUPS.items():
                        if baseline == "rloo" and has_singleton_pool(group, method):
                            continue
                        if reward == "decision" and name not in ("per_turn_rewards", "per_agent_rewards"):
                            continue
                        params = {"baseline": baseline, **MAGRPO_STD}
                        if method == "agent_normalized":
                            params |= {"pooling": "decision", "reward": reward}
                            expected = run_per_role(compute_magrpo, group, baseline, reward)
                        else:
                            expected = run_joint_action(block, group, baseline)
                        vectors.append(
                            {
                                "name": case_name(name, params),
                                "method": method,
                                "params": params,
                                "group": group,
                                "expected": expected,
                            }
                        )
    OUT.write_text(json.dumps(vectors, indent=1) + "\n")
    print(f"magrpo: {len(vectors)} vectors from EIT-EAST-Lab/C3@{C3_COMMIT[:8]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
