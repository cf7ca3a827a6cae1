"""Loading an `hf` model as ModelSpec says (issue 13 item 2): dtype, attention implementation, gradient checkpointing;
and a model folder that cannot be loaded exits 5 with a message naming the folder and what is missing."""

import json
import os
import shutil

import pytest
import torch

from mas_trainer.errors import EXIT_BAD_SPEC, EXIT_MODEL_UNAVAILABLE, MasError
from mas_trainer.model_loading import resolve_dtype
from mas_trainer.models import build_base, build_policies
from mas_trainer.spec import AdapterSpec, ModelSource, ModelSpec

CPU = torch.device("cpu")


def hf_model(folder: str, **settings) -> ModelSpec:
    return ModelSpec("base", ModelSource(kind="hf", id=folder), settings.pop("adapter", None), **settings)


def load_error(model: ModelSpec, device=CPU) -> MasError:
    with pytest.raises(MasError) as caught:
        build_base(model, device)
    assert caught.value.exit_code == EXIT_MODEL_UNAVAILABLE
    assert "\n" not in str(caught.value)
    return caught.value


def test_a_folder_that_does_not_exist_is_named(tmp_path):
    folder = str(tmp_path / "models" / "qwen")
    message = str(load_error(hf_model(folder)))
    assert folder in message and "does not exist" in message


@pytest.mark.parametrize(
    "remove,missing",
    [
        (("tokenizer.json", "tokenizer_config.json"), "no tokenizer"),
        (("model.safetensors",), "no weights"),
        (("config.json",), "no config.json"),
    ],
)
def test_a_folder_without_a_part_names_what_is_missing(tiny_qwen3_dir, tmp_path, remove, missing):
    folder = str(tmp_path / "incomplete")
    shutil.copytree(tiny_qwen3_dir, folder)
    for name in remove:
        os.remove(os.path.join(folder, name))
    message = str(load_error(hf_model(folder)))
    assert folder in message and missing in message


def test_flash_attention_without_its_package_says_how_to_fix_it(tiny_qwen3_dir):
    pytest.importorskip("torch")
    try:
        import flash_attn  # noqa: F401

        pytest.skip("flash-attn is installed here")
    except ImportError:
        pass
    message = str(load_error(hf_model(tiny_qwen3_dir, attention="flash_attention_2")))
    assert "pip install flash-attn" in message and "attention: sdpa" in message


def test_dtype_auto_is_fp32_on_the_cpu_and_an_explicit_dtype_is_taken():
    assert resolve_dtype("auto", CPU) == torch.float32
    assert resolve_dtype("bf16", CPU) == torch.bfloat16
    assert resolve_dtype("fp16", None) == torch.float16


def test_dtype_auto_on_a_bf16_gpu_is_bf16_for_a_frozen_base_and_fp32_for_trained_full_weights(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *args, **kwargs: True)
    gpu = torch.device("cuda")
    assert resolve_dtype("auto", gpu, frozen_base=True) == torch.bfloat16
    assert resolve_dtype("auto", gpu, frozen_base=False) == torch.float32
    assert resolve_dtype("bf16", gpu, frozen_base=False) == torch.bfloat16  # as written


def test_dtype_and_attention_reach_the_loaded_model(tiny_qwen3_dir):
    module, _ = build_base(hf_model(tiny_qwen3_dir, dtype="bf16", attention="eager"), CPU)
    assert next(module.parameters()).dtype == torch.bfloat16
    assert module.config._attn_implementation == "eager"
    module, _ = build_base(hf_model(tiny_qwen3_dir), CPU)
    assert next(module.parameters()).dtype == torch.float32


def test_gradient_checkpointing_with_lora_still_trains_the_adapter(tiny_qwen3_dir):
    from helpers import lazy_team

    spec = lazy_team()
    spec.models[0] = hf_model(
        tiny_qwen3_dir, adapter=AdapterSpec(kind="lora", rank=4, alpha=8), gradient_checkpointing=True
    )
    for agent in spec.agents:
        agent.model, agent.sharing = "base", "shared"
    policies, units = build_policies(spec, CPU, need_reference=False)
    module = units[0].module
    assert module.base_model.model.is_gradient_checkpointing and module.config.use_cache is False
    module.train()
    ids = torch.tensor([[1, 2, 3, 4, 5]])
    module(input_ids=ids).logits.float().logsumexp(-1).mean().backward()
    grads = [p.grad for n, p in module.named_parameters() if "lora_" in n and p.requires_grad]
    assert grads and all(g is not None for g in grads)
    assert any(g.abs().sum() > 0 for g in grads)


def test_through_the_command_line_a_missing_folder_and_chat_without_a_template_are_one_line_errors(
    tiny_qwen3_dir, tmp_path, capsys
):
    from helpers import lazy_team_data
    from test_cli_faults import _assert_one_line, _run

    data = lazy_team_data()
    missing = str(tmp_path / "no-such-model")
    data["models"][0]["source"] = {"kind": "hf", "id": missing}
    _assert_one_line(*_run(tmp_path, capsys, data), EXIT_MODEL_UNAVAILABLE, missing, "does not exist")

    bare = str(tmp_path / "no-template")
    shutil.copytree(tiny_qwen3_dir, bare)
    for name in os.listdir(bare):  # the template lives in tokenizer_config.json or chat_template.jinja
        if name == "chat_template.jinja":
            os.remove(os.path.join(bare, name))
    config_path = os.path.join(bare, "tokenizer_config.json")
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    config.pop("chat_template", None)
    with open(config_path, "w", encoding="utf-8") as f:
        json.dump(config, f)
    data["models"][0]["source"] = {"kind": "hf", "id": bare}
    data["models"][0]["format"] = "chat"
    second = tmp_path / "second"
    second.mkdir()
    _assert_one_line(*_run(second, capsys, data), EXIT_BAD_SPEC, "no chat template", "format: raw")


def test_a_critic_model_folder_without_weights_is_named_too(tiny_qwen3_dir, tmp_path):
    from mas_trainer.critic.model import build_value_model

    folder = str(tmp_path / "critic")
    shutil.copytree(tiny_qwen3_dir, folder)
    os.remove(os.path.join(folder, "model.safetensors"))
    with pytest.raises(MasError) as caught:
        build_value_model(hf_model(folder))
    assert caught.value.exit_code == EXIT_MODEL_UNAVAILABLE
    assert str(caught.value).startswith("critic model `base`") and folder in str(caught.value)
    assert "no weights" in str(caught.value)
