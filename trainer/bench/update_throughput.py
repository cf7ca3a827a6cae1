"""Figure (CPU): the policy update's throughput and peak memory on the tiny Qwen3 over the real 151 669-token
vocabulary (tests/tiny_qwen3.py), before issue 13 and now, in the same run.

Workload: a two-agent workflow (`solver` and `checker`, each with its own LoRA adapter on the shared base), a few-shot
prompt of ~300 tokens, batch 2 × group 8 rollouts (one decision per agent each: 32 decisions), outputs of up to 24
tokens, GRPO credit from seeded random rewards. BEFORE runs the trainer of commit 49e8cd6 (`git archive` into a
temporary folder), AFTER this checkout's; each in its own process (PYTHONPATH), which reports its update tokens/s
and its peak RSS (ru_maxrss: the update dominates it). Then the peak RSS of one update as the prompt grows
(128 → 2048 tokens, batch 1 × group 4 by default; BEFORE only up to --sweep-before-max, where its [B, T, V] logits
still fit).
Nothing is asserted: the figures are printed, the last line as JSON.

Usage (from the repository root):
  nice -n 10 trainer/.venv/bin/python trainer/bench/update_throughput.py [--batch 2 --group 8 --prompt-tokens 300]
      [--output-tokens 24] [--sweep 128,256,512,1024,2048] [--sweep-batch 1 --sweep-group 4]
      [--sweep-before-max 512] [--no-before] [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINER = os.path.dirname(HERE)
REPO = os.path.dirname(TRAINER)
FIXTURE_SPEC = os.path.join(TRAINER, "tests", "fixtures", "lazy-team.spec.json")
BEFORE_COMMIT = "49e8cd6"  # the trainer at the start of issue 13
FEW_SHOT = (
    "You are a careful arithmetic solver. Read the question, think step by step, and give the answer in a box.\n"
    "Question: What is 17 + 25?\nWork: 17 + 25 = 42.\nAnswer: \\boxed{42}\n"
    "Question: What is 9 * 8?\nWork: 9 * 8 = 72.\nAnswer: \\boxed{72}\n"
    "Question: What is 120 - 47?\nWork: 120 - 47 = 73.\nAnswer: \\boxed{73}\n"
    "Question: What is 144 / 12?\nWork: 144 / 12 = 12.\nAnswer: \\boxed{12}\n"
)
MIB = 2**20


def bench_spec(model_dir: str) -> dict:
    """The lazy-team fixture turned into a two-agent workflow on the hf model, one LoRA adapter per agent."""
    with open(FIXTURE_SPEC, encoding="utf-8") as f:
        data = json.load(f)
    data["datasets"][0]["path"] = os.path.join(TRAINER, "tests", "fixtures", "lazy-team.jsonl")
    data["models"] = [
        {
            "name": "tiny",
            "source": {"kind": "hf", "id": model_dir},
            "adapter": {"kind": "lora", "rank": 8, "alpha": 16, "dropout": 0.0},
        }
    ]
    first, second = (a for a in data["agents"] if a["name"] in ("first", "second"))
    first.update(name="solver", sharing="adapter")
    second.update(name="checker", sharing="adapter")
    data["agents"] = [first, second]
    data["roles"] = [r for r in data["roles"] if r["name"] in (first["role"], second["role"])]
    data["graph"]["edges"] = [
        {"from": "start", "to": "solver", "condition": None, "max": None},
        {"from": "solver", "to": "checker", "condition": None, "max": None},
        {"from": "checker", "to": "end", "condition": None, "max": None},
    ]
    data["rubrics"][0]["criteria"] = [
        {
            "name": "any",
            "weight": 1.0,
            "expr": {
                "op": "matches",
                "left": {"op": "output", "agent": "checker"},
                "right": {"op": "regex", "source": ".", "flags": ""},
            },
        }
    ]
    return data


def run_workload(cfg: dict) -> dict:
    """One process's measurement: build the policies of `mas_trainer` (whichever PYTHONPATH gives), make the
    decisions, run one untimed warm-up update on two of them, then `updates` timed ones. Works with the trainer of
    49e8cd6 (no micro_batch_tokens) and this one."""
    import inspect

    import torch

    torch.set_num_threads(cfg["threads"])
    from mas_trainer.models import build_policies, trainable_parameters
    from mas_trainer.spec import parse_spec
    from mas_trainer.update import Decision, update

    torch.manual_seed(0)
    spec = parse_spec(bench_spec(cfg["model_dir"]))
    policies, units = build_policies(spec, torch.device("cpu"), need_reference=cfg["kl"] > 0)
    tok = policies["solver"].tokenizer
    text_ids = tok.encode(FEW_SHOT)
    prompt = (text_ids * (cfg["prompt_tokens"] // len(text_ids) + 1))[: cfg["prompt_tokens"]]
    gen = torch.Generator().manual_seed(1)
    vocab = int(units[0].module.config.vocab_size)
    group, rollouts = cfg["group"], cfg["batch"] * cfg["group"]
    rewards = torch.randint(0, 2, (rollouts,), generator=gen).float()
    decisions = []
    for i in range(rollouts):
        g = rewards[(i // group) * group : (i // group + 1) * group]
        credit = float((rewards[i] - g.mean()) / (g.std(unbiased=False) + 1e-6))
        for agent in ("solver", "checker"):
            n = max(1, cfg["output_tokens"] - (i % 5))  # outputs of different lengths, as sampled ones are
            out = torch.randint(0, vocab, (n,), generator=gen).tolist()
            # near the uniform log-prob of the random-initialised model: ratios near 1, as right after sampling
            decisions.append(Decision(agent, prompt[:-1] + [i % 100], out, [-11.9] * n, credit, 1.0))
    optimizers, schedulers = {}, {}
    for unit in units:
        opt = torch.optim.AdamW(trainable_parameters(unit), lr=1e-4, weight_decay=0.0)
        optimizers[unit.name] = opt
        schedulers[unit.name] = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 1.0)
    extra = {}
    if "micro_batch_tokens" in inspect.signature(update).parameters:
        from mas_trainer.memory_budget import resolve_micro_batch_tokens

        extra["micro_batch_tokens"] = resolve_micro_batch_tokens(cfg.get("micro_batch_tokens"), torch.device("cpu"))
    args = (units, policies, optimizers, schedulers)
    update(*args, decisions[:2], 0.2, cfg["kl"], "cpu", **extra)  # warm-up: first-call allocations, not timed
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MIB
    started = time.perf_counter()
    tokens = 0
    for _ in range(cfg["updates"]):
        stats = update(*args, decisions, 0.2, cfg["kl"], "cpu", **extra)
        tokens += stats.tokens
    seconds = time.perf_counter() - started
    return {
        "update_tokens_per_s": tokens / seconds,
        "update_s": seconds / cfg["updates"],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MIB,
        "rss_before_update_mb": rss_before,
        "decisions": len(decisions),
        # zero-credit decisions are skipped by the new update (kl 0): with random rewards in groups of 8 almost none
        "zero_credit_decisions": sum(1 for d in decisions if d.credit == 0),
        "prompt_tokens": len(prompt),
        **extra,
    }


def measure(trainer_path: str, cfg: dict, memory_limit_gb: float) -> dict:
    """run_workload in a fresh process whose `mas_trainer` is the one under trainer_path; address space capped so
    the old code's [B, T, V] logits fail with an error instead of taking the machine down."""
    env = dict(os.environ, PYTHONPATH=trainer_path)
    cmd = [
        sys.executable,
        os.path.abspath(__file__),
        "--worker",
        json.dumps(cfg),
        "--memory-limit-gb",
        str(memory_limit_gb),
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {done.returncode}: {tail[:200]}"}
    return json.loads(lines[-1])


def export_before(ref: str, folder: str) -> str | None:
    """The trainer package at `ref` (git archive), or None when this checkout does not have that commit."""
    archive = subprocess.run(["git", "-C", REPO, "archive", ref, "trainer/mas_trainer"], capture_output=True)
    if archive.returncode != 0:
        return None
    subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
    return os.path.join(folder, "trainer")


def _worker(argv: list[str]) -> int:
    cfg = json.loads(argv[argv.index("--worker") + 1])
    limit = float(argv[argv.index("--memory-limit-gb") + 1])
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (int(limit * 2**30), int(limit * 2**30)))
    print(json.dumps(run_workload(cfg)))
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--group", type=int, default=8)
    p.add_argument("--prompt-tokens", type=int, default=300)
    p.add_argument("--output-tokens", type=int, default=24)
    p.add_argument("--updates", type=int, default=1, help="timed updates per process (after one warm-up)")
    p.add_argument("--kl", type=float, default=0.0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--micro-batch-tokens", type=int, default=None, help="AFTER's budget; default: the CPU default")
    p.add_argument("--sweep", default="128,256,512,1024,2048", help="prompt lengths for the memory sweep; '' skips")
    p.add_argument("--sweep-before-max", type=int, default=512, help="longest prompt BEFORE is swept at")
    p.add_argument("--sweep-batch", type=int, default=1, help="tasks of each sweep point (BEFORE's cost grows fast)")
    p.add_argument("--sweep-group", type=int, default=4)
    p.add_argument("--no-before", action="store_true", help="measure this checkout only")
    p.add_argument("--before-ref", default=BEFORE_COMMIT)
    p.add_argument("--memory-limit-gb", type=float, default=14.0, help="address-space cap of each measured process")
    p.add_argument("--model-dir", default=None, help="an existing tiny Qwen3 folder (default: built in a temp dir)")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--worker" in argv:
        return _worker(argv)
    a = _parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mas-update-bench-") as tmp:
        model_dir = a.model_dir
        if model_dir is None:
            sys.path.insert(0, os.path.join(TRAINER, "tests"))
            from tiny_qwen3 import build_tiny_qwen3

            model_dir = build_tiny_qwen3(os.path.join(tmp, "tiny-qwen3"))
        cfg = {
            "model_dir": model_dir,
            "batch": a.batch,
            "group": a.group,
            "prompt_tokens": a.prompt_tokens,
            "output_tokens": a.output_tokens,
            "updates": a.updates,
            "kl": a.kl,
            "threads": a.threads,
            "micro_batch_tokens": a.micro_batch_tokens,
        }
        before_path = None if a.no_before else export_before(a.before_ref, tmp)
        if not a.no_before and before_path is None:
            print(f"BEFORE skipped: commit {a.before_ref} is not in this checkout")
        figures: dict = {"workload": {k: v for k, v in cfg.items() if k != "model_dir"}}
        figures["after"] = measure(TRAINER, cfg, a.memory_limit_gb)
        print("AFTER ", json.dumps(figures["after"]))
        if before_path is not None:
            figures["before"] = measure(before_path, cfg, a.memory_limit_gb)
            print("BEFORE", json.dumps(figures["before"]))
            b, n = figures["before"], figures["after"]
            if "error" not in b and "error" not in n:
                figures["throughput_ratio"] = n["update_tokens_per_s"] / b["update_tokens_per_s"]
                figures["peak_rss_ratio"] = b["peak_rss_mb"] / n["peak_rss_mb"]
                print(
                    f"update tokens/s {b['update_tokens_per_s']:.1f} -> {n['update_tokens_per_s']:.1f} "
                    f"({figures['throughput_ratio']:.1f}x); peak RSS {b['peak_rss_mb']:.0f} -> "
                    f"{n['peak_rss_mb']:.0f} MB ({figures['peak_rss_ratio']:.1f}x less)"
                )
        sweep = []
        for length in [int(x) for x in a.sweep.split(",") if x.strip()]:
            point_cfg = dict(cfg, prompt_tokens=length, batch=a.sweep_batch, group=a.sweep_group)
            point: dict = {"prompt_tokens": length, "decisions": 2 * a.sweep_batch * a.sweep_group}
            point["after_peak_rss_mb"] = measure(TRAINER, point_cfg, a.memory_limit_gb).get("peak_rss_mb")
            if before_path is not None and length <= a.sweep_before_max:
                point["before_peak_rss_mb"] = measure(before_path, point_cfg, a.memory_limit_gb).get("peak_rss_mb")
            print("SWEEP ", json.dumps(point))
            sweep.append(point)
        figures["sweep"] = sweep
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
