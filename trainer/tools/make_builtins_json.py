"""Writes trainer/mas_trainer/verifiers/builtins.json (the language's copy of the built-in verifier table) from
mas_trainer.verifiers.BUILTINS. tests/test_verifier_builtins.py fails when the file is not current.

Run from the repository root: trainer/.venv/bin/python trainer/tools/make_builtins_json.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mas_trainer.verifiers.builtins import JSON_PATH, render_json  # noqa: E402

if __name__ == "__main__":
    with open(JSON_PATH, "w", encoding="utf-8") as f:
        f.write(render_json())
    print(f"wrote {JSON_PATH}")
