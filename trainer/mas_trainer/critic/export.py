"""Exports the critic to `critic.onnx` + its sidecar `critic.onnx.json` in the run directory (DESIGN.md §3).

Both files are written atomically (temp file + fsync + rename), the model first, then the sidecar that carries its
sha256: a reader that finds a sidecar whose hash does not match the model caught an export in between and reads
again. Schema of the sidecar: protocol/schemas/run-dir/critic-sidecar.schema.json (TS twin: CriticSidecar).
"""

from __future__ import annotations

import copy
import hashlib
import io
import time
import warnings

import torch

from ..rundir.files import atomic_write_bytes, atomic_write_json
from ..rundir.layout import CRITIC, CRITIC_SIDECAR, run_path
from .transcript import TRANSCRIPT_FORMAT

SIDECAR_VERSION = 1  # TS twin: CRITIC_SIDECAR_VERSION (protocol/run-dir.ts)
OPSET = 17
INPUTS = [
    {"name": "input_ids", "dtype": "int64", "shape": ["batch", "sequence"]},
    {"name": "attention_mask", "dtype": "int64", "shape": ["batch", "sequence"]},
]
OUTPUTS = [{"name": "value", "dtype": "float32", "shape": ["batch"]}]


def onnx_bytes(module: torch.nn.Module) -> bytes:
    """The critic as one self-contained ONNX model (CPU, float32, dynamic batch and sequence)."""
    module = copy.deepcopy(module).to("cpu").float().eval()
    ids = torch.tensor([[5, 6, 7, 8], [5, 6, 0, 0]], dtype=torch.long)
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]], dtype=torch.long)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation and tracer notes
        torch.onnx.export(
            module,
            (ids, mask),
            buffer,  # pyright: ignore[reportArgumentType]  # torch annotates a path; the exporter also takes a file object
            input_names=[i["name"] for i in INPUTS],
            output_names=[o["name"] for o in OUTPUTS],
            opset_version=OPSET,
            dynamo=False,
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "value": {0: "batch"},
            },
        )
    return buffer.getvalue()


def export_critic(learner, run_dir: str, step: int) -> dict:
    """Writes critic.onnx and its sidecar; returns the sidecar."""
    data = onnx_bytes(learner.module)
    atomic_write_bytes(run_path(run_dir, CRITIC), data)
    sidecar = {
        "version": SIDECAR_VERSION,
        "file": CRITIC,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "step": step,
        "exported_at": time.time(),
        "model": learner.model_spec.name,
        "source": learner.model_spec.source.kind,
        "opset": OPSET,
        "inputs": INPUTS,
        "outputs": OUTPUTS,
        "tokenizer": learner.tokenizer_description,
        "transcript_format": TRANSCRIPT_FORMAT,
        "credit": "C_t = r_t + V(h_{t+1}) - V(h_t), V after the last decision = 0",
    }
    atomic_write_json(run_path(run_dir, CRITIC_SIDECAR), sidecar)
    return sidecar
