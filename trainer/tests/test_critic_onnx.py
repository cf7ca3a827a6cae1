"""The critic in training and as `critic.onnx`: onnxruntime equals PyTorch within 1e-5, the sidecar describes the
file (sha256, inputs, tokenizer), checkpoints carry the critic, and the trainer's errors say what to fix."""

import hashlib
import json

import pytest
import torch
from helpers import lazy_team_data

from mas_trainer.critic.export import export_critic, onnx_bytes
from mas_trainer.critic.learner import CriticLearner
from mas_trainer.critic.model import encode_batch
from mas_trainer.errors import EXIT_BAD_SPEC, MasError
from mas_trainer.rundir import read_records
from mas_trainer.rundir.layout import CRITIC_SIDECAR
from mas_trainer.spec import ModelSource, ModelSpec, parse_spec
from mas_trainer.trainer import RunOptions, Trainer

ort = pytest.importorskip("onnxruntime")

TEXTS = ["a> 1l>", "a> 1l>x\nb> 2u>", "", "w1> 1u>Q\nw2> 2l>q\nlazy> z>" * 3, "é unknown ✓"]


def _trained_learner(spec: ModelSpec) -> CriticLearner:
    torch.manual_seed(0)
    learner = CriticLearner(spec, 0.01, torch.device("cpu"), seed=5)
    learner.fit(TEXTS * 4, [0.1, 0.9, 0.0, 0.5, -0.3] * 4)  # non-zero head and weights, as after training
    return learner


def _onnx_values(data: bytes, learner: CriticLearner, texts: list[str]):
    session = ort.InferenceSession(data, providers=["CPUExecutionProvider"])
    ids, mask = encode_batch(learner.tokenizer, texts, learner.max_length, "cpu")
    return session.run(["value"], {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0].tolist()


def test_onnxruntime_matches_pytorch_for_a_scratch_critic():
    learner = _trained_learner(
        ModelSpec("value", ModelSource("scratch", layers=1, hidden=32, heads=2, context=24), None)
    )
    torch_values = learner.values(TEXTS)
    assert max(abs(v) for v in torch_values) > 1e-3  # the comparison is not between two zero heads
    onnx_values = _onnx_values(onnx_bytes(learner.module), learner, TEXTS)
    assert len(onnx_values) == len(TEXTS)
    for got, want in zip(onnx_values, torch_values):
        assert abs(got - want) <= 1e-5


def test_onnxruntime_matches_pytorch_for_an_hf_value_head(tmp_path):
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    # An hf model from a config with random weights, saved locally: no download.
    vocab = {
        c: i for i, c in enumerate(["<pad>", "<unk>"] + sorted(set("".join(TEXTS) + "abcdefghijklmnopqrstuvwxyz")))
    }
    inner = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    inner.pre_tokenizer = pre_tokenizers.Split("", "isolated")
    PreTrainedTokenizerFast(
        tokenizer_object=inner, pad_token="<pad>", unk_token="<unk>", eos_token="<pad>"
    ).save_pretrained(tmp_path)
    GPT2LMHeadModel(GPT2Config(vocab_size=len(vocab), n_embd=32, n_layer=1, n_head=2, n_positions=64)).save_pretrained(
        tmp_path
    )
    learner = _trained_learner(ModelSpec("value", ModelSource("hf", id=str(tmp_path)), None))
    assert learner.tokenizer_description["kind"] == "hf"
    texts = [t for t in TEXTS if t]
    for got, want in zip(_onnx_values(onnx_bytes(learner.module), learner, texts), learner.values(texts)):
        assert abs(got - want) <= 1e-5


def test_export_writes_the_file_and_a_sidecar_that_describes_it(tmp_path):
    learner = _trained_learner(
        ModelSpec("value", ModelSource("scratch", layers=1, hidden=16, heads=2, context=16), None)
    )
    sidecar = export_critic(learner, str(tmp_path), step=7)
    data = (tmp_path / "critic.onnx").read_bytes()
    assert json.loads((tmp_path / CRITIC_SIDECAR).read_text()) == sidecar
    assert sidecar["sha256"] == hashlib.sha256(data).hexdigest() and sidecar["bytes"] == len(data)
    assert [i["name"] for i in sidecar["inputs"]] == ["input_ids", "attention_mask"]
    assert sidecar["tokenizer"]["kind"] == "chars" and sidecar["tokenizer"]["max_length"] == 16
    assert sidecar["step"] == 7 and sidecar["transcript_format"] == "mas-prefix-v1"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def _critic_spec(**train):
    data = lazy_team_data()
    data["models"].append(
        {
            "name": "value",
            "source": {"kind": "scratch", "layers": 1, "hidden": 16, "heads": 2, "context": 48, "vocab": "chars"},
            "adapter": None,
        }
    )
    data["train"].update(
        {
            "steps": 2,
            "batch": 2,
            "checkpoint_every": 1,
            "critic": "value",
            "credit": {"method": "critic", "params": {"lr": 0.01}},
            **train,
        }
    )
    data["train"]["algorithm"]["group"] = 2
    return parse_spec(data)


def test_training_with_critic_credit_records_it_exports_and_resumes(tmp_path):
    Trainer(_critic_spec(), RunOptions(str(tmp_path))).run()
    records = read_records(str(tmp_path / "trajectories" / "2.jsonl"))
    assert records and all(len(r["credit"]["critic"]) == len(r["decision_turns"]) for r in records)
    sidecar = json.loads((tmp_path / CRITIC_SIDECAR).read_text())
    assert sidecar["step"] == 2
    assert sidecar["sha256"] == hashlib.sha256((tmp_path / "critic.onnx").read_bytes()).hexdigest()
    saved = torch.load(tmp_path / "checkpoints" / "global_step_2" / "critic.pt", weights_only=True)
    resumed = Trainer(_critic_spec(steps=3), RunOptions(str(tmp_path), resume=True))
    resumed.restore()
    for name, value in resumed.critic.module.state_dict().items():
        assert torch.equal(value, saved["model"][name]), name


def test_critic_credit_without_a_critic_model_says_what_to_add(tmp_path):
    with pytest.raises(MasError, match=r"add `critic: <model>`") as err:
        Trainer(_critic_spec(critic=None), RunOptions(str(tmp_path)))
    assert err.value.exit_code == EXIT_BAD_SPEC


def test_a_bad_critic_param_is_refused_before_training(tmp_path):
    with pytest.raises(MasError, match="no parameter 'epochs'") as err:
        Trainer(_critic_spec(credit={"method": "critic", "params": {"epochs": 3}}), RunOptions(str(tmp_path)))
    assert err.value.exit_code == EXIT_BAD_SPEC


def test_sidecar_matches_its_json_schema(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    from conftest import REPO_ROOT

    with open(f"{REPO_ROOT}/protocol/schemas/run-dir/critic-sidecar.schema.json", encoding="utf-8") as f:
        schema = json.load(f)
    learner = _trained_learner(
        ModelSpec("value", ModelSource("scratch", layers=1, hidden=16, heads=2, context=16), None)
    )
    sidecar = export_critic(learner, str(tmp_path), step=3)
    jsonschema.Draft7Validator(schema).validate(sidecar)
    assert not jsonschema.Draft7Validator(schema).is_valid({**sidecar, "sha256": "not-a-hash"})
