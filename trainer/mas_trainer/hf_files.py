"""The files of a Hugging Face model folder besides its weights: config.json and the tokenizer, as bytes, so that a
checkpoint (checkpoint.py) or an export (export.py) writes them with its own safe, hashed file writes.

A `scratch` model has no tokenizer files of its own: its character vocabulary (tokenizer.CharTokenizer) is written as
a `tokenizers` WordLevel tokenizer.json that AutoTokenizer and PreTrainedTokenizerFast(tokenizer_file=...) load and
that encodes and decodes exactly like CharTokenizer (tests/test_checkpoint_format.py).
"""

from __future__ import annotations

import json
import os
import tempfile

from .tokenizer import CharTokenizer

PAD_TOKEN, EOS_TOKEN, UNK_TOKEN = "<pad>", "</s>", "\ufffd"  # CharTokenizer decodes an unknown id as U+FFFD


def json_bytes(obj: object) -> bytes:
    return json.dumps(obj, indent=2, sort_keys=True, allow_nan=False).encode("utf-8")


def model_config_json(module) -> bytes:
    """config.json as save_pretrained writes it (with `architectures`, which from_pretrained needs to pick a class)."""
    config = json.loads(module.config.to_json_string(use_diff=False))
    config["architectures"] = [type(module).__name__]
    config.pop("_name_or_path", None)
    return json_bytes(config)


def char_tokenizer_json(tok: CharTokenizer) -> bytes:
    """One token per character (the pre-tokenizer isolates every character, newline included), pad / eos as ids 0
    and 1 that decode to nothing (as CharTokenizer.decode drops them), unknown characters to U+FFFD (id 2). The
    pad and eos strings are plain vocabulary entries, not added tokens, so a text that contains `</s>` is still
    encoded character by character."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers

    vocab = {PAD_TOKEN: tok.PAD, EOS_TOKEN: tok.EOS, UNK_TOKEN: tok.UNK, **tok.char_to_id}
    built = Tokenizer(models.WordLevel(vocab, unk_token=UNK_TOKEN))
    built.pre_tokenizer = pre_tokenizers.Split(Regex("[\\s\\S]"), behavior="isolated")
    built.decoder = decoders.Sequence(
        [decoders.Replace(PAD_TOKEN, ""), decoders.Replace(EOS_TOKEN, ""), decoders.Fuse()]
    )
    return built.to_str().encode("utf-8")


def char_tokenizer_files(tok: CharTokenizer, context: int) -> dict[str, bytes]:
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "pad_token": PAD_TOKEN,
        "eos_token": EOS_TOKEN,
        # AutoTokenizer registers pad and eos as special tokens; without this a text holding `</s>` would be one
        # token for it and four for CharTokenizer.
        "split_special_tokens": True,
        "clean_up_tokenization_spaces": False,
        "model_max_length": context,
    }
    return {"tokenizer.json": char_tokenizer_json(tok), "tokenizer_config.json": json_bytes(config)}


def hf_tokenizer_files(inner) -> dict[str, bytes]:
    """The files a transformers tokenizer's save_pretrained writes (tokenizer.json, tokenizer_config.json, the chat
    template...), written to a private temp folder outside the run directory and read back."""
    with tempfile.TemporaryDirectory(prefix="mas-tokenizer-") as folder:
        inner.save_pretrained(folder)
        files = {}
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as f:
                    files[name] = f.read()
        return files
