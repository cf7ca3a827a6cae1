"""Issue 14 F14: every transformers load passes trust_remote_code=False, so a model folder's own Python code never
runs and transformers never asks interactively whether to run it (that prompt would hang a trainer with no tty)."""

import pytest
import transformers

from mas_trainer.critic.model import _hf_value_model
from mas_trainer.errors import MasError
from mas_trainer.models import _load_hf


@pytest.fixture
def recorded(monkeypatch):
    calls = []

    def from_pretrained(cls_name):
        def load(model_id, **kwargs):
            calls.append((cls_name, kwargs))
            raise OSError("not a model folder")  # stops after the first call; each loader is checked alone below

        return load

    for name in ("AutoTokenizer", "AutoModel", "AutoModelForCausalLM", "AutoConfig"):
        monkeypatch.setattr(getattr(transformers, name), "from_pretrained", from_pretrained(name))
    return calls


@pytest.mark.parametrize("loader", [_load_hf, _hf_value_model])
def test_model_and_tokenizer_loads_refuse_remote_code(recorded, loader, monkeypatch, tmp_path):
    for name in ("config.json", "tokenizer.json", "model.safetensors"):  # a complete-looking folder reaches the loads
        (tmp_path / name).write_text("{}")
    with pytest.raises(MasError):
        loader("m", str(tmp_path))
    assert recorded and all(kwargs.get("trust_remote_code") is False for _, kwargs in recorded), recorded
    # the model class is loaded after the tokenizer: let the tokenizer succeed to see the model's arguments too
    monkeypatch.setattr(
        transformers.AutoTokenizer,
        "from_pretrained",
        lambda model_id, **kwargs: recorded.append(("AutoTokenizer", kwargs)) or object(),
    )
    recorded.clear()
    with pytest.raises(MasError):
        loader("m", str(tmp_path))
    assert len(recorded) == 2 and all(kwargs.get("trust_remote_code") is False for _, kwargs in recorded), recorded
