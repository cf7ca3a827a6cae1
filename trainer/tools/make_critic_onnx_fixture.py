"""Writes test/fixtures/critic/: a small trained scratch critic exported as the trainer exports it (critic.onnx +
critic.onnx.json) and expected.json with the transcript prefixes, their token ids and PyTorch's values, which the
vitest test (test/analysis/critic-onnx.test.ts) reproduces with the TypeScript tokenizer and onnxruntime-node.

Run from the repository root: trainer/.venv/bin/python trainer/tools/make_critic_onnx_fixture.py
"""

from __future__ import annotations

import json
import os
from types import SimpleNamespace

import torch

from mas_trainer.critic.export import export_critic
from mas_trainer.critic.learner import CriticLearner
from mas_trainer.critic.model import encode_batch
from mas_trainer.critic.transcript import decision_prefixes
from mas_trainer.spec import ModelSource, ModelSpec

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "critic")


def _turn(agent: str, prompt: str, output: str, nulled: bool = False) -> dict:
    return {"agent": agent, "prompt": prompt, "output": output, "nulled": nulled}


TURNS = [  # a card-game rollout and a lazy-team one (with a nulled turn), as trajectory records hold them
    [_turn("hinter", "card a>", "x"), _turn("player", "hint x>", "q")],
    [_turn("w1", "1l>", "k"), _turn("w2", "2u>", "M"), _turn("lazy", "z>", "", nulled=True)],
]
EXTRA_TEXTS = ["", "unicode é ✓ and a tab\t", "long " * 20]  # empty, unknown characters, left truncation


def main() -> None:
    torch.manual_seed(0)
    spec = ModelSpec("value", ModelSource("scratch", layers=1, hidden=16, heads=2, context=48), None)
    learner = CriticLearner(spec, 0.01, torch.device("cpu"), seed=11)
    prefixes = [decision_prefixes([SimpleNamespace(**t) for t in turns]) for turns in TURNS]
    texts = [p for ps in prefixes for p in ps] + EXTRA_TEXTS
    learner.fit(texts * 8, [float(i % 3) / 2 for i in range(len(texts))] * 8)  # give the head non-zero values
    os.makedirs(OUT, exist_ok=True)
    sidecar = export_critic(learner, OUT, step=1)
    sidecar["exported_at"] = 0.0  # keep the fixture byte-stable across regenerations
    with open(os.path.join(OUT, "critic.onnx.json"), "w", encoding="utf-8") as f:
        json.dump(sidecar, f, indent=1)
    ids, mask = encode_batch(learner.tokenizer, texts, learner.max_length, "cpu")
    expected = {
        "turns": TURNS,
        "prefixes": prefixes,
        "texts": texts,
        "ids": [row[: int(m.sum())] for row, m in zip(ids.tolist(), mask)],
        "values": learner.values(texts),
    }
    with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1)
    print(f"wrote {OUT}: critic.onnx ({sidecar['bytes']} bytes), critic.onnx.json, expected.json")


if __name__ == "__main__":
    main()
