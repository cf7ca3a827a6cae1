"""Figure: how fast the scratch critic learns the lazy-2 value function offline (why `critic` credit lags).

Transcripts are drawn like lazy-2's at step 0 (uniformly random characters), 32 per round, and the critic fits them
as the trainer does (CriticLearner.fit). Prints the held-out MSE of V against the best constant's MSE.

`--probe` swaps lazy-2's transcripts for one-worker probes that locate the difficulty: `case-at-end` (target = the
output is lowercase, output is the last token read), `case-earlier` (same, 9 tokens before the read position),
`xor-earlier` (lazy-2's rule for one worker: the case must match the bit two tokens before the output).

`--replay K` fits each round on the last K rounds' transcripts, as `critic(replay: K)` does in the trainer.

Usage: trainer/.venv/bin/python bench/learning/critic_fit.py [--lr 0.01] [--passes 2] [--replay 1] [--rounds 60]
       [--probe ...]
"""
from __future__ import annotations

import argparse
import functools
import random
import statistics
import string

import torch

import mas_trainer.critic.learner as learner_module
from mas_trainer.critic.learner import CriticLearner
from mas_trainer.spec import ModelSource, ModelSpec


def sample(rng: random.Random) -> tuple[str, float]:
    bits = [rng.choice("lu") for _ in range(2)]
    outs = [rng.choice(string.printable[:95]) for _ in range(2)]
    right = [(b == "l" and o.islower()) or (b == "u" and o.isupper()) for b, o in zip(bits, outs)]
    return f"w1> 1{bits[0]}>{outs[0]}\nw2> 2{bits[1]}>{outs[1]}\nlazy> z>", 0.5 * right[0] + 0.5 * right[1]


def probe_sample(rng: random.Random, probe: str) -> tuple[str, float]:
    bit, out = rng.choice("lu"), rng.choice(string.printable[:95])
    if probe == "case-at-end":
        return f"w1> 1{bit}>{out}", float(out.islower())
    if probe == "case-earlier":
        return f"w1> 1{bit}>{out}\nlazy> z>", float(out.islower())
    return f"w1> 1{bit}>{out}\nlazy> z>", float((bit == "l" and out.islower()) or (bit == "u" and out.isupper()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--passes", type=int, default=learner_module.PASSES)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--replay", type=int, default=1)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--probe", choices=["lazy-2", "case-at-end", "case-earlier", "xor-earlier"], default="lazy-2")
    args = parser.parse_args()
    draw = sample if args.probe == "lazy-2" else functools.partial(probe_sample, probe=args.probe)
    torch.set_num_threads(1)
    learner_module.PASSES = args.passes
    spec = ModelSpec("value", ModelSource("scratch", layers=args.layers, hidden=args.hidden, heads=2, context=64), None)
    critic = CriticLearner(spec, args.lr, torch.device("cpu"), seed=1, replay=args.replay)
    rng = random.Random(0)
    held_out = [draw(rng) for _ in range(300)]
    mean_target = statistics.fmean(t for _, t in held_out)
    constant = statistics.fmean((mean_target - t) ** 2 for _, t in held_out)
    print(f"{args.probe}: critic {args.layers} layer(s) × {args.hidden}, lr {args.lr}, {args.passes} passes per round "
          f"over the last {args.replay} round(s), 32 transcripts per round; best constant MSE {constant:.4f}")
    for round_ in range(1, args.rounds + 1):
        batch = [draw(rng) for _ in range(32)]
        critic.fit_with_replay([x for x, _ in batch], [t for _, t in batch])
        if round_ % 10 == 0:
            values = critic.values([x for x, _ in held_out])
            mse = statistics.fmean((v - t) ** 2 for v, (_, t) in zip(values, held_out))
            print(f"round {round_:4d}: held-out MSE {mse:.4f} ({mse / constant:.2f} × constant)")


if __name__ == "__main__":
    main()
