import json
import subprocess
import sys

import pytest
from helpers import lazy_team_data

from mas_trainer.__main__ import main
from mas_trainer.data import load_dataset
from mas_trainer.errors import (
    EXIT_BAD_DATASET,
    EXIT_BAD_SPEC,
    EXIT_MODEL_UNAVAILABLE,
    DatasetError,
    MasError,
    SpecError,
)
from mas_trainer.models import build_base
from mas_trainer.spec import ModelSource, ModelSpec, parse_spec


def test_spec_round_trips_to_protocol_shape():
    data = lazy_team_data()
    spec = parse_spec(data)
    assert [a.name for a in spec.agents] == ["first", "idle", "second"]
    back = spec.to_json()
    assert back["graph"]["edges"][0] == {"from": "start", "to": "first", "condition": None, "max": None}
    assert back["train"]["algorithm"] == data["train"]["algorithm"]


def test_unknown_version_is_a_one_line_error_with_exit_code(tmp_path, capsys):
    data = lazy_team_data()
    data["version"] = 99
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(data))
    code = main(["run", "--spec", str(path), "--run-dir", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_SPEC
    assert err.count("\n") == 1 and "version 99 is not supported" in err


def test_missing_key_names_the_path():
    data = lazy_team_data()
    del data["train"]["algorithm"]["group"]
    with pytest.raises(SpecError, match=r"train\.algorithm\.group"):
        parse_spec(data)


def test_spec_from_stdin(tmp_path):
    data = lazy_team_data()
    data["train"]["steps"] = 1
    proc = subprocess.run(
        [sys.executable, "-m", "mas_trainer", "run", "--spec", "-", "--run-dir", str(tmp_path / "run")],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        env={"OMP_NUM_THREADS": "1", "PATH": ""},
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert len((tmp_path / "run" / "metrics.jsonl").read_text().splitlines()) == 1


def test_bad_row_gives_file_line_and_field(tmp_path):
    spec = parse_spec(lazy_team_data())
    path = tmp_path / "rows.jsonl"
    path.write_text('{"a": "l", "b": "u"}\n\n{"a": "l", "b": 3}\n')
    spec.datasets[0].path = str(path)
    with pytest.raises(DatasetError) as caught:
        load_dataset(spec.datasets[0])
    assert str(caught.value).startswith(f"{path}:3: field `b` must be a string")
    assert caught.value.exit_code == EXIT_BAD_DATASET


def test_invalid_json_row_and_missing_dataset(tmp_path):
    spec = parse_spec(lazy_team_data())
    path = tmp_path / "rows.jsonl"
    path.write_text('{"a": "l", "b": "u"}\n{oops\n')
    spec.datasets[0].path = str(path)
    with pytest.raises(DatasetError, match=r"rows\.jsonl:2: not valid JSON"):
        load_dataset(spec.datasets[0])
    spec.datasets[0].path = str(tmp_path / "absent.jsonl")
    with pytest.raises(DatasetError, match="not found"):
        load_dataset(spec.datasets[0])


def test_unknown_hf_id_fails_clearly_offline():
    model = ModelSpec("base", ModelSource(kind="hf", id="nobody/no-such-model-xyz"), None)
    with pytest.raises(MasError) as caught:
        build_base(model)
    assert caught.value.exit_code == EXIT_MODEL_UNAVAILABLE
    assert "never downloads" in str(caught.value) and "\n" not in str(caught.value)
    # `hf download <id>` (huggingface-cli is deprecated); the id is named in the same line.
    assert "hf download <id>" in str(caught.value) and "huggingface-cli" not in str(caught.value)


def test_hf_local_directory_loads(tmp_path):
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    GPT2LMHeadModel(GPT2Config(n_layer=1, n_embd=16, n_head=2, vocab_size=64, n_positions=32)).save_pretrained(tmp_path)
    raw = Tokenizer(models.WordLevel({chr(97 + i): i for i in range(26)} | {"[UNK]": 26}, unk_token="[UNK]"))
    raw.pre_tokenizer = pre_tokenizers.Split("", "isolated")
    PreTrainedTokenizerFast(tokenizer_object=raw, unk_token="[UNK]", eos_token="[UNK]").save_pretrained(tmp_path)
    module, tok = build_base(ModelSpec("local", ModelSource(kind="hf", id=str(tmp_path)), None))
    assert module.config.n_layer == 1 and tok.encode("ab") == [0, 1]


def test_check_env_prints_json(capsys):
    assert main(["check-env"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["torch"] and "cuda_available" in info and isinstance(info["gpus"], list)
    # Every runtime dependency besides torch is reported, so the editor can name each missing one (issue 15).
    assert list(info["packages"]) == ["transformers", "peft", "safetensors", "numpy", "onnx", "sympy", "jsonschema"]
    assert all(isinstance(v, str) for v in info["packages"].values()), info["packages"]
    # Optional packages the editor advises on (tensorboard: event files), reported apart: they never block a run.
    assert list(info["optional"]) == ["tensorboard"]
    assert all(v is None or isinstance(v, str) for v in info["optional"].values()), info["optional"]


def test_cuda_requested_but_absent_is_a_clear_error(monkeypatch):
    import torch

    from mas_trainer.errors import EXIT_DEVICE_UNAVAILABLE
    from mas_trainer.trainer import resolve_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(MasError) as caught:
        resolve_device("cuda")
    assert caught.value.exit_code == EXIT_DEVICE_UNAVAILABLE and "device: cpu" in str(caught.value)
    assert resolve_device("auto").type == "cpu"


def test_batch_not_divisible_by_processes_is_refused():
    from mas_trainer.dist import DistContext, check_batch

    with pytest.raises(MasError, match="multiple of the 2 processes"):
        check_batch(3, DistContext(rank=0, world=2))
