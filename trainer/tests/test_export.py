"""Issue 13 item 6: `python -m mas_trainer export` writes one folder per agent that peft / transformers load with the
trainer's logits (<= 1e-5): a LoRA adapter shared by agents, an agent's own adapter and an agent's own copy on the
tiny Qwen3 over the real vocabulary, and a full-weight scratch model; it writes only under --out."""

import json
import os

import pytest
import torch
from helpers import lazy_team_data

from mas_trainer.__main__ import main
from mas_trainer.errors import EXIT_BAD_ARGS, EXIT_MODEL_UNAVAILABLE, EXIT_RESUME_FAILED, EXIT_RUN_DIR, MasError
from mas_trainer.spec import parse_spec
from mas_trainer.trainer import RunOptions, Trainer

LORA = {"kind": "lora", "rank": 4, "alpha": 8, "dropout": 0.0}


def _export(capsys, *args):
    capsys.readouterr()
    code = main(["export", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out.strip().splitlines()[-1] if code == 0 else captured.err


def _scratch_run(run_dir, max_steps=2):
    data = lazy_team_data()
    data["train"].update({"steps": 4, "checkpoint_every": 2, "batch": 2})
    data["train"]["algorithm"]["group"] = 2
    trainer = Trainer(parse_spec(data), RunOptions(str(run_dir), max_steps=max_steps))
    trainer.run()
    return trainer


def test_a_scratch_agent_exports_as_a_model_folder_with_the_trainers_logits(tmp_path, capsys):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    trainer = _scratch_run(tmp_path / "run")
    code, line = _export(capsys, tmp_path / "run", "--out", tmp_path / "out")
    assert code == 0, line
    result = json.loads(line)
    assert result["step"] == 2 and [a["agent"] for a in result["agents"]] == ["first", "idle", "second"]
    assert {a["kind"] for a in result["agents"]} == {"model"}
    folder = tmp_path / "out" / "idle"
    assert sorted(os.listdir(folder)) == [
        "README.md",
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
    ]
    model = AutoModelForCausalLM.from_pretrained(folder).eval()
    ids = torch.tensor([AutoTokenizer.from_pretrained(folder).encode("C12>", add_special_tokens=False)])
    with torch.no_grad():
        expected = trainer.policies["idle"].activate().eval()(ids).logits
        assert torch.allclose(model(ids).logits, expected, atol=1e-5, rtol=0)


def _qwen_trainer(run_dir, tiny_qwen3_dir):
    data = lazy_team_data()
    data["models"] = [{"name": "qwen", "source": {"kind": "hf", "id": tiny_qwen3_dir}, "adapter": LORA}]
    for agent, sharing in zip(data["agents"], ["shared", "adapter", "weights"]):
        agent.update(model="qwen", sharing=sharing)
    data["train"].update({"steps": 2, "checkpoint_every": 1, "batch": 2})
    return Trainer(parse_spec(data), RunOptions(str(run_dir)))


def test_lora_agents_export_as_adapter_folders_peft_loads_with_the_trainers_logits(tmp_path, capsys, tiny_qwen3_dir):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    trainer = _qwen_trainer(tmp_path / "run", tiny_qwen3_dir)
    torch.manual_seed(7)
    with torch.no_grad():  # a trained adapter: LoRA's B starts at zero, which would make every adapter the base
        for unit in trainer.units:
            for name, p in unit.module.named_parameters():
                if "lora_" in name:
                    p.normal_(0.0, 0.2)
    trainer.step = 1
    trainer.write_run_json("stopped")
    trainer.checkpoint()
    code, line = _export(capsys, tmp_path / "run", "--step", 1, "--out", tmp_path / "out")
    assert code == 0, line
    assert {a["agent"]: a["kind"] for a in json.loads(line)["agents"]} == dict.fromkeys(
        ["first", "idle", "second"], "adapter"
    )
    ids = torch.tensor([trainer.policies["first"].tokenizer.encode("Solve 12 + 30, then say why.")])
    with torch.no_grad():
        base_logits = AutoModelForCausalLM.from_pretrained(tiny_qwen3_dir).eval()(ids).logits
        for agent in ("first", "idle", "second"):
            folder = tmp_path / "out" / agent
            assert {"adapter_config.json", "adapter_model.safetensors", "README.md"} == set(os.listdir(folder))
            assert tiny_qwen3_dir in (folder / "README.md").read_text()
            base = AutoModelForCausalLM.from_pretrained(tiny_qwen3_dir)
            loaded = PeftModel.from_pretrained(base, folder).eval()
            expected = trainer.policies[agent].activate().eval()(ids).logits
            got = loaded(ids).logits
            assert torch.allclose(got, expected, atol=1e-5, rtol=0), (agent, (got - expected).abs().max())
            assert (got - base_logits).abs().max() > 1e-3, agent  # the adapter changes the model


def test_export_writes_only_under_out_and_refuses_what_it_must(tmp_path, capsys):
    run, out = tmp_path / "run", tmp_path / "out"
    _scratch_run(run, max_steps=4)
    out.mkdir()
    (out / "mine.txt").write_text("keep")
    code, err = _export(capsys, run, "--out", out)
    assert code == EXIT_BAD_ARGS and "not empty" in err and "--force" in err
    assert os.listdir(out) == ["mine.txt"]
    code, err = _export(capsys, run, "--step", 3, "--out", tmp_path / "new")
    assert code == EXIT_BAD_ARGS and "steps: 2, 4" in err and not (tmp_path / "new").exists()
    code, line = _export(capsys, run, "--out", out, "--force")
    assert code == 0 and json.loads(line)["step"] == 4
    assert sorted(os.listdir(out)) == ["first", "idle", "mine.txt", "second"]
    os.symlink(out, tmp_path / "linked-out")
    code, err = _export(capsys, run, "--out", tmp_path / "linked-out", "--force")
    assert code == EXIT_BAD_ARGS and "link" in err


@pytest.mark.parametrize("tamper", ["edit", "link"])
def test_a_tampered_or_linked_checkpoint_is_not_exported(tmp_path, capsys, tamper):
    run = tmp_path / "run"
    _scratch_run(run)
    weights = run / "checkpoints" / "global_step_2" / "policy" / "tiny" / "model.safetensors"
    outside = tmp_path / "outside.safetensors"
    if tamper == "edit":
        data = bytearray(weights.read_bytes())
        data[-1] ^= 1
        weights.write_bytes(bytes(data))
    else:
        os.replace(weights, outside)
        os.symlink(outside, weights)
    code, err = _export(capsys, run, "--out", tmp_path / "out")
    if tamper == "edit":
        assert code == EXIT_RESUME_FAILED and "global_step_2" in err and "sha256" in err
    else:  # a link in a run directory is exit 7 everywhere (trainer/README.md)
        assert code == EXIT_RUN_DIR and "symbolic link" in err and "model.safetensors" in err
    assert not (tmp_path / "out").exists() or os.listdir(tmp_path / "out") == []


def test_a_run_starts_from_an_exported_adapter_with_its_rank_and_weights(tmp_path, capsys, tiny_qwen3_dir):
    """lora(from: ...): the exported `idle` adapter becomes the new run's adapter (rank 4 from its folder, not the
    spec's 8), the new agent's logits are the exporting agent's, and training goes on from there."""
    first = _qwen_trainer(tmp_path / "run", tiny_qwen3_dir)
    torch.manual_seed(3)
    with torch.no_grad():
        for unit in first.units:
            for name, p in unit.module.named_parameters():
                if "lora_" in name:
                    p.normal_(0.0, 0.2)
    first.step = 1
    first.write_run_json("stopped")
    first.checkpoint()
    assert _export(capsys, tmp_path / "run", "--out", tmp_path / "out")[0] == 0
    data = lazy_team_data()
    adapter = {"kind": "lora", "rank": 8, "alpha": 16, "dropout": 0.0, "from": str(tmp_path / "out" / "idle")}
    data["models"] = [{"name": "qwen", "source": {"kind": "hf", "id": tiny_qwen3_dir}, "adapter": adapter}]
    for agent, sharing in zip(data["agents"], ["shared", "adapter", "shared"]):
        agent.update(model="qwen", sharing=sharing)
    data["train"].update({"steps": 1, "checkpoint_every": 1, "batch": 2})
    data["train"]["algorithm"]["group"] = 2
    # A KL term: with 2 rollouts per task the rewards may tie (credit 0, whose forward the update skips), and the
    # loaded adapter differs from the base, so the KL gradient alone shows the adapter is trainable.
    data["train"]["algorithm"]["kl"] = 0.1
    second = Trainer(parse_spec(data), RunOptions(str(tmp_path / "second")))
    ids = torch.tensor([first.policies["idle"].tokenizer.encode("Solve 12 + 30.")])
    with torch.no_grad():
        expected = first.policies["idle"].activate().eval()(ids).logits
        for agent in ("first", "idle"):  # the shared `default` adapter and the agent's own both start from it
            got = second.policies[agent].activate().eval()(ids).logits
            assert torch.allclose(got, expected, atol=1e-5, rtol=0), agent
    lora_a = [p for n, p in second.units[0].module.named_parameters() if "lora_A" in n]
    assert lora_a and all(p.shape[0] == 4 for p in lora_a)
    before = {n: p.detach().clone() for n, p in second.units[0].module.named_parameters() if "lora_" in n}
    second.run()
    after = dict(second.units[0].module.named_parameters())
    assert any(not torch.equal(after[n], p) for n, p in before.items())  # it trains from there


@pytest.mark.parametrize("contents", [[], ["adapter_config.json"]])
def test_a_missing_or_incomplete_adapter_folder_is_exit_5_naming_it(tmp_path, tiny_qwen3_dir, contents):
    folder = tmp_path / "adapter"
    folder.mkdir()
    for name in contents:
        (folder / name).write_text("{}")
    data = lazy_team_data()
    adapter = {"kind": "lora", "rank": 8, "alpha": 16, "dropout": 0.0, "from": str(folder)}
    data["models"] = [{"name": "qwen", "source": {"kind": "hf", "id": tiny_qwen3_dir}, "adapter": adapter}]
    for agent in data["agents"]:
        agent["model"] = "qwen"
    with pytest.raises(MasError) as caught:
        Trainer(parse_spec(data), RunOptions(str(tmp_path / "run")))
    assert caught.value.exit_code == EXIT_MODEL_UNAVAILABLE
    assert str(folder) in str(caught.value) and "adapter_model.safetensors" in str(caught.value)


def test_a_full_weight_hf_agent_exports_as_a_model_folder_with_its_tokenizer(tmp_path, capsys, tiny_qwen3_dir):
    """`adapter: none` on an hf model: config.json + model.safetensors + the tokenizer files (chat template
    included), loaded by AutoModelForCausalLM / AutoTokenizer with the trainer's logits."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    data = lazy_team_data()
    data["models"] = [{"name": "qwen", "source": {"kind": "hf", "id": tiny_qwen3_dir}, "adapter": None}]
    for agent in data["agents"]:
        agent["model"] = "qwen"
    trainer = Trainer(parse_spec(data), RunOptions(str(tmp_path / "run")))
    torch.manual_seed(5)
    with torch.no_grad():
        for p in trainer.units[0].module.parameters():
            p.add_(torch.randn_like(p) * 0.01)  # trained weights, not the base's
    trainer.step = 1
    trainer.write_run_json("stopped")
    trainer.checkpoint()
    code, line = _export(capsys, tmp_path / "run", "--out", tmp_path / "out")
    assert code == 0, line
    folder = tmp_path / "out" / "first"
    tok = AutoTokenizer.from_pretrained(folder)
    assert len(tok) == len(AutoTokenizer.from_pretrained(tiny_qwen3_dir)) and tok.chat_template
    ids = torch.tensor([tok.encode("Solve 12 + 30.", add_special_tokens=False)])
    with torch.no_grad():
        expected = trainer.policies["first"].activate().eval()(ids).logits
        got = AutoModelForCausalLM.from_pretrained(folder).eval()(ids).logits
        base = AutoModelForCausalLM.from_pretrained(tiny_qwen3_dir).eval()(ids).logits
    assert torch.allclose(got, expected, atol=1e-5, rtol=0)
    assert (got - base).abs().max() > 1e-3
