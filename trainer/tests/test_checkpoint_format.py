"""Issue 13 item 6: a checkpoint's weights are safetensors in the layout of their source, which transformers and peft
load; an old pickle checkpoint is refused on resume with what to do (exit 8, nothing deleted)."""

import hashlib
import json
import os

import pytest
import torch
from helpers import lazy_team, lazy_team_data

from mas_trainer.__main__ import main
from mas_trainer.checkpoint import MARKER
from mas_trainer.errors import EXIT_RESUME_FAILED
from mas_trainer.hf_files import char_tokenizer_files
from mas_trainer.rundir import read_records
from mas_trainer.spec import parse_spec
from mas_trainer.tokenizer import CharTokenizer
from mas_trainer.trainer import RunOptions, Trainer

TEXTS = ["Hello world!\n  x", "caf\u00e9 </s><pad> ab", "a\tb\r\n", "\ufffd", "", "~ {}|\\`'\"", "a\nb\n\n"]


def _train(run_dir, data=None, max_steps=2, **train):
    data = data or lazy_team_data()
    data["train"].update({"steps": 4, "checkpoint_every": 2, "batch": 2, **train})
    data["train"]["algorithm"]["group"] = 2
    trainer = Trainer(parse_spec(data), RunOptions(str(run_dir), max_steps=max_steps))
    trainer.run()
    return trainer


@pytest.mark.parametrize("loader", ["auto", "tokenizer_file"])
def test_the_scratch_tokenizer_json_encodes_and_decodes_like_char_tokenizer(tmp_path, loader):
    from transformers import AutoTokenizer, PreTrainedTokenizerFast

    chars = CharTokenizer()
    for name, data in char_tokenizer_files(chars, 64).items():
        (tmp_path / name).write_bytes(data)
    tok = (
        AutoTokenizer.from_pretrained(tmp_path)
        if loader == "auto"
        else PreTrainedTokenizerFast(tokenizer_file=str(tmp_path / "tokenizer.json"))
    )
    assert len(tok) == chars.vocab_size
    for text in TEXTS:
        ids = tok.encode(text, add_special_tokens=False)
        assert ids == chars.encode(text), text
        assert tok.decode(ids, skip_special_tokens=True) == chars.decode(ids)
    every_id = list(range(chars.vocab_size)) + [chars.EOS, chars.PAD, chars.UNK]
    assert tok.decode(every_id) == chars.decode(every_id)
    if loader == "auto":
        assert (tok.eos_token_id, tok.pad_token_id) == (chars.EOS, chars.PAD)


def test_a_scratch_checkpoint_is_a_model_folder_transformers_loads_with_the_trained_weights(tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    trainer = _train(tmp_path / "run")
    folder = tmp_path / "run" / "checkpoints" / "global_step_2" / "policy" / "tiny"
    model = AutoModelForCausalLM.from_pretrained(folder).eval()
    tok = AutoTokenizer.from_pretrained(folder)
    ids = torch.tensor([tok.encode("A3>", add_special_tokens=False)])
    assert ids.tolist() == [CharTokenizer().encode("A3>")]
    with torch.no_grad():
        expected = trainer.units[0].module.eval()(ids).logits
        got = model(ids).logits
    assert torch.allclose(got, expected, atol=1e-5, rtol=0)
    assert not torch.allclose(got, type(model)(model.config).eval()(ids).logits, atol=1e-3)  # trained, not random


def _old_checkpoint(folder, units):
    """global_step_<n> as the previous trainer wrote it: no `format` in COMPLETE.json, weights in unit-<unit>.pt."""
    for name in os.listdir(folder):
        path = folder / name
        if path.is_dir():
            for sub in sorted(path.rglob("*"), reverse=True):
                sub.unlink() if sub.is_file() else sub.rmdir()
            path.rmdir()
    params = dict(units[0].module.named_parameters())
    torch.save({n: p.detach() for n, p in params.items()}, folder / "unit-tiny.pt")
    names = ["unit-tiny.pt", "optim-tiny.pt", "trainer_state.json"]
    marker = {"step": 2, "files": {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in names}}
    (folder / MARKER).write_text(json.dumps(marker))


def _tree(path):
    """Every file but the log, which the refused resume appends its warning to."""
    return sorted(
        (str(p.relative_to(path)), p.read_bytes()) for p in path.rglob("*") if p.is_file() and p.name != "trainer.log"
    )


def test_an_old_pickle_checkpoint_is_refused_with_what_to_do_and_nothing_deleted(tmp_path, capsys, monkeypatch):
    run = tmp_path / "run"
    trainer = _train(run, max_steps=3)  # global_step_2, and step 3 logged after it
    _old_checkpoint(run / "checkpoints" / "global_step_2", trainer.units)
    before = _tree(run)
    spec = tmp_path / "spec.json"
    data = lazy_team_data()
    data["train"].update({"steps": 4, "checkpoint_every": 2, "batch": 2})
    data["train"]["algorithm"]["group"] = 2
    spec.write_text(json.dumps(data))
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **k: opened.append(str(path)) or real_open(path, *a, **k))
    capsys.readouterr()
    code = main(["run", "--spec", str(spec), "--run-dir", str(run), "--resume"])
    err = capsys.readouterr().err
    assert code == EXIT_RESUME_FAILED, err
    last = err.splitlines()[-1]
    assert last.startswith("error: ") and "Traceback" not in err
    assert "older MAS Studio trainer" in last and "global_step_2" in last
    assert "start a new run" in last and "export" in last and "nothing was deleted" in last
    assert not any(p.endswith("unit-tiny.pt") for p in opened)  # refused from its marker, never opened
    assert _tree(run) == before
    assert [r["step"] for r in read_records(str(run / "metrics.jsonl"))] == [1, 2, 3]


def test_a_newer_checkpoint_is_used_and_an_old_one_behind_it_does_not_matter(tmp_path):
    run = tmp_path / "run"
    trainer = _train(run, max_steps=4)
    _old_checkpoint(run / "checkpoints" / "global_step_2", trainer.units)
    resumed = Trainer(lazy_team(steps=4, checkpoint_every=2, batch=2), RunOptions(str(run), resume=True))
    resumed.restore()
    assert resumed.step == 4
