"""Writes test/fixtures/credit/c3.json: golden vectors for `counterfactual(variant: value_assisted | reward_only,
alpha, baseline, normalize, no_replay)`, computed by running C3's own credit code on generated prefix trees.

Nothing of the authors' code is in this repository. This script reads it at run time from a snapshot of
EIT-EAST-Lab/C3 at commit C3_COMMIT (a bare git directory, `git show <commit>:<path>`), writes the few modules the
credit path needs into a temporary package, and runs, as _compute_c3_credit in
openrlhf/trainer/ppo_utils/experience_maker.py does:

1. c3/credit/c3/materialize.py::materialize_c3_tree_groups over one Experience-like row per tree node, with the
   `info` fields rollout_generator.py writes (question_id, k_id, role, role_id, c3_node_id, c3_parent_id, c3_depth,
   is_leaf, adv_group_id = qid * q_base + role_id * parent_base + parent_id + 1, the parent collapsed to -1 below
   the root with --c3_no_replay, traj_role_outputs) and each node's reward = the mean reward of the leaves under it
   (rollout_generator.py's "node rewards: subtree mean" loop, restated here: it sits inside the vLLM generation
   method);
2. c3/credit/c3/registry.py::build_credit_cfg_from_args and C3CreditProvider.compute (provider.py) with a stand-in
   Q critic whose `score_texts` returns the given Q of the node whose action ends each prefix text (the text is
   C3's own format_for_q prefix view; each node's action text names the node);
3. unless normalize is none (--no_advantage_std_norm), the `if normalize_adv:` block of _compute_c3_credit, cut
   from experience_maker.py between NORM_BLOCK_START and NORM_BLOCK_END and exec'd unchanged (group_mean_std over
   adv_group_id).

Leaf i of a tree is rollout i of our group (prefix order); decision d of a rollout is its node at depth d, whose
`q` is the node's Q. Rewards and Q are multiples of 1/16 and alpha of 1/4, so that C3's float32 arithmetic and our
float64 agree to ~1e-7. Role r's node at depth r: roles form a chain (role r depends on role r - 1), as our
turn-by-turn trees do.

Run from the repository root (needs torch and yaml, which trainer/.venv has):
  trainer/.venv/bin/python trainer/tools/make_c3_vectors.py [/path/to/C3/git-dir]
The default path is where the `fetch` tool puts the snapshot: /work/.mirror/EIT-EAST-Lab+C3/repo.
"""

from __future__ import annotations

import importlib
import json
import math
import random
import re
import sys
import tempfile
import textwrap
from pathlib import Path
from types import SimpleNamespace

import torch
from make_magrpo_vectors import C3_COMMIT, DEFAULT_C3_GIT_DIR, c3_source

OUT = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "credit" / "c3.json"
MODULES = (
    "c3/integration/marl_specs.py",
    "c3/credit/c3/baselines.py",
    "c3/credit/c3/scoring.py",
    "c3/credit/c3/materialize.py",
    "c3/credit/c3/provider.py",
    "c3/credit/c3/registry.py",
    "c3/algorithms/utils.py",
)
NORM_BLOCK_START = "if normalize_adv:\n            all_scalar = torch.cat(per_exp_scalar"
NORM_BLOCK_END = "per_exp_scalar = list(all_scalar.split([tr.shape[0] for tr in token_rewards_list]))"
NODE_TEXT = re.compile(r"<node (\d+)>")

# name -> (fan-out per depth, seed of its rewards and Q): fan-outs 1 to 4, lone nodes at the root and mid-tree
TREES = {
    "tree_2x3": ([2, 3], 1),
    "tree_3x2": ([3, 2], 2),
    "tree_4": ([4], 3),
    "tree_2x4": ([2, 4], 7),
    "tree_2x2x2": ([2, 2, 2], 4),
    "tree_3x1x2": ([3, 1, 2], 5),
    "tree_1x4": ([1, 4], 6),
}
CASES = (
    [(tree, {"variant": "value_assisted", "alpha": a}) for tree in TREES for a in (0.0, 0.5, 1.0)]
    + [("tree_2x2x2", {"variant": "value_assisted", "alpha": a}) for a in (0.25, 0.75)]
    + [("tree_3x2", {"variant": "value_assisted", "alpha": 0.5, "baseline": "full_mean"})]
    + [(t, {"variant": "value_assisted", "alpha": 1.0, "normalize": "none"}) for t in ("tree_2x3", "tree_3x1x2")]
    + [(t, {"variant": "value_assisted", "alpha": 1.0, "no_replay": "on"}) for t in ("tree_2x2x2", "tree_3x1x2")]
    + [("tree_2x4", {"variant": "reward_only", "no_replay": "on"})]
    + [(t, {"variant": "reward_only"}) for t in ("tree_2x3", "tree_3x1x2")]
)


def load_c3(git_dir: str, tmp: Path) -> None:
    for path in MODULES:
        target = tmp / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(c3_source(git_dir, path))
        for parent in target.relative_to(tmp).parents:  # empty packages: theirs import every submodule
            init = tmp / parent / "__init__.py"
            if parent != Path(".") and not init.exists():
                init.write_text("")
    sys.path.insert(0, str(tmp))


def normalisation_block(git_dir: str) -> str:
    text = c3_source(git_dir, "openrlhf/trainer/ppo_utils/experience_maker.py")
    start = text.index(NORM_BLOCK_START)
    end = text.index(NORM_BLOCK_END, start) + len(NORM_BLOCK_END)
    return textwrap.dedent(text[text.rindex("\n", 0, start) + 1 : end])


class ListedQ:
    """Stands in for C3's Q critic: the Q of the node whose action text ends the prefix view."""

    def __init__(self, q_of_node: dict[int, float]):
        self.q_of_node = q_of_node
        self.texts: list[str] = []

    def score_texts(self, texts, max_len, forward_bs):
        self.texts.extend(texts)
        return torch.tensor([self.q_of_node[int(NODE_TEXT.findall(t)[-1])] for t in texts], dtype=torch.float32)


def tree_nodes(fanout: list[int], rewards: list[float], q: list[list[float]], no_replay: bool) -> list[dict]:
    """One dict per node (depth-major, prefix order within a depth), with rollout_generator.py's fields."""
    roles = [f"role{d}" for d in range(len(fanout))]
    total_nodes = sum(math.prod(fanout[: d + 1]) for d in range(len(fanout)))
    parent_base = total_nodes + 1
    nodes, first_id = [], 0
    for depth in range(len(fanout)):
        size = math.prod(fanout[depth + 1 :])
        count = math.prod(fanout[: depth + 1])
        for index in range(count):
            leaves = rewards[index * size : (index + 1) * size]
            parent_id = -1 if depth == 0 else first_id - math.prod(fanout[:depth]) + index // fanout[depth]
            group_parent = -1 if (no_replay and depth > 0) else parent_id
            nodes.append(
                {
                    "id": first_id + index,
                    "depth": depth,
                    "index": index,
                    "role": roles[depth],
                    "parent_id": group_parent,
                    "adv_group_id": depth * parent_base + group_parent + 1,  # qid 0
                    "reward": sum(leaves) / len(leaves),  # subtree mean
                    "leaf": depth == len(fanout) - 1,
                    "q": q[depth][index],
                }
            )
        first_id += count
    for node in nodes:  # the actions of the node and its ancestors, each naming its node
        chain, cur = [], node
        while True:
            chain.append(cur)
            if cur["depth"] == 0:
                break
            d = cur["depth"] - 1
            cur = next(n for n in nodes if n["depth"] == d and n["index"] == cur["index"] // fanout[cur["depth"]])
        node["actions"] = {n["role"]: f"<node {n['id']}>" for n in chain}
    return nodes


def experience(node: dict, roles: list[str]):
    def t(v):
        return torch.tensor([v], dtype=torch.long)

    return SimpleNamespace(
        sequences=torch.zeros((1, 1), dtype=torch.long),
        rewards=torch.tensor([node["reward"]], dtype=torch.float32),
        info={
            "question_id": t(0),
            "k_id": t(node["index"] if node["leaf"] else -1),
            "role": [node["role"]],
            "role_id": t(node["depth"]),
            "c3_node_id": t(node["id"]),
            "c3_parent_id": t(node["parent_id"]),
            "c3_depth": t(node["depth"]),
            "is_leaf": t(int(node["leaf"])),
            "adv_group_id": t(node["adv_group_id"]),
            "question": ["the task"],
            "traj_role_outputs": {r: [node["actions"].get(r, "")] for r in roles},
        },
    )


def run_c3(git_dir_block: str, fanout, rewards, q, params: dict) -> list[float]:
    """C3's scalar advantage per node, in tree_nodes order."""
    marl_specs = importlib.import_module("c3.integration.marl_specs")
    provider_mod = importlib.import_module("c3.credit.c3.provider")
    registry = importlib.import_module("c3.credit.c3.registry")
    materialize = importlib.import_module("c3.credit.c3.materialize")
    group_mean_std = importlib.import_module("c3.algorithms.utils").group_mean_std

    no_replay = params.get("no_replay", "off") == "on"
    roles = [f"role{d}" for d in range(len(fanout))]
    specs = tuple(
        marl_specs.RoleSpec(name=r, prompt="", with_answer=False, depends_on=(roles[d - 1],) if d else ())
        for d, r in enumerate(roles)
    )
    nodes = tree_nodes(fanout, rewards, q, no_replay)
    experiences = [experience(n, roles) for n in nodes]
    args = SimpleNamespace(
        c3_credit_variant=params.get("variant", "reward_only"),
        c3_va_alpha=params.get("alpha", 1.0),
        c3_baseline_mode=params.get("baseline", "loo"),
        c3_no_replay=no_replay,
        c3_fanout_list=list(fanout),
    )
    critic = ListedQ({n["id"]: n["q"] for n in nodes})
    cfg = registry.build_credit_cfg_from_args(args)
    provider = provider_mod.C3CreditProvider(args=args, roles=specs, q_critic=critic)
    tree_groups, _, _ = materialize.materialize_c3_tree_groups(experiences, roles=roles)
    per_exp_scalar, _ = provider.compute(tree_groups, experiences=experiences, cfg=cfg)
    scope = {
        "torch": torch,
        "group_mean_std": group_mean_std,
        "per_exp_scalar": per_exp_scalar,
        "adv_group_ids_all": torch.cat([e.info["adv_group_id"] for e in experiences]),
        "token_rewards_list": [torch.zeros((1, 1)) for _ in experiences],
        "normalize_adv": params.get("normalize", "siblings") == "siblings",
    }
    exec(git_dir_block, scope)  # noqa: S102 - the authors' block, read from the pinned snapshot
    return [float(s[0]) for s in scope["per_exp_scalar"]]


def group_json(fanout, rewards, q) -> dict:
    """Our group: leaf i is rollout i; decision d holds the Q of the leaf's node at depth d."""
    out = []
    for i, reward in enumerate(rewards):
        decisions = []
        for d in range(len(fanout)):
            node = i // math.prod(fanout[d + 1 :])
            decisions.append({"agent": f"role{d}", "turn": d, "reward": None, "q": q[d][node]})
        out.append({"decisions": decisions, "reward": reward})
    return {"rollouts": out}


def per_decision(fanout, nodes_adv: list[float]) -> list[list[float]]:
    starts = [sum(math.prod(fanout[: k + 1]) for k in range(d)) for d in range(len(fanout))]
    leaves = math.prod(fanout)
    return [[nodes_adv[starts[d] + i // math.prod(fanout[d + 1 :])] for d in range(len(fanout))] for i in range(leaves)]


def random_tree(fanout: list[int], seed: int):
    rng = random.Random(seed)
    rewards = [rng.randrange(17) / 16 for _ in range(math.prod(fanout))]
    q = [[rng.randrange(17) / 16 for _ in range(math.prod(fanout[: d + 1]))] for d in range(len(fanout))]
    return rewards, q


def main() -> int:
    git_dir = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_C3_GIT_DIR
    vectors = []
    with tempfile.TemporaryDirectory() as tmp:
        load_c3(git_dir, Path(tmp))
        block = normalisation_block(git_dir)
        for tree_name, params in CASES:
            fanout, seed = TREES[tree_name]
            rewards, q = random_tree(fanout, seed)
            full = {"fanout": list(fanout), **params}
            nodes_adv = run_c3(block, fanout, rewards, q, full)
            vectors.append(
                {
                    "name": tree_name + "".join(f"/{k}={v}" for k, v in sorted(params.items())),
                    "method": "counterfactual",
                    "params": full,
                    "group": group_json(fanout, rewards, q),
                    "expected": per_decision(fanout, nodes_adv),
                }
            )
    OUT.write_text(json.dumps(vectors, indent=1) + "\n")
    print(f"c3: {len(vectors)} vectors from EIT-EAST-Lab/C3@{C3_COMMIT[:8]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
