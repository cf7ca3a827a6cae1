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
