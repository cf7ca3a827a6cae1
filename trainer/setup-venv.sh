#!/bin/sh
# Creates trainer/.venv and installs mas_trainer with its dev extra. Idempotent.
set -eu
cd "$(dirname "$0")"
export PIP_RETRIES="${PIP_RETRIES:-0}"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e '.[dev]'
