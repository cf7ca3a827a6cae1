"""Tokenizers behind one small interface: a character tokenizer built in code (scratch models) and a wrapper
around a transformers tokenizer (hf models)."""

from __future__ import annotations

import string
from typing import Protocol


class Tokenizer(Protocol):
    """The interface the trainer uses (CharTokenizer, HfTokenizer)."""

    pad_id: int
    eos_id: int

    @property
    def vocab_size(self) -> int: ...

    def encode(self, text: str) -> list[int]: ...

    def decode(self, ids: list[int]) -> str: ...


class CharTokenizer:
    """Printable ASCII + newline + pad/eos/unk; unknown characters map to unk. No file, no download.
    TypeScript twin: CHAR_TOKENIZER in protocol/run-dir.ts (the editor decodes token ids with it)."""

    PAD, EOS, UNK = 0, 1, 2

    def __init__(self) -> None:
        self.chars = list(string.printable[:95]) + ["\n"]  # ' '..'~' then newline
        self.char_to_id = {c: i + 3 for i, c in enumerate(self.chars)}
        self.pad_id, self.eos_id = self.PAD, self.EOS

    @property
    def vocab_size(self) -> int:
        return len(self.chars) + 3

    def encode(self, text: str) -> list[int]:
        return [self.char_to_id.get(c, self.UNK) for c in text]

    def decode(self, ids: list[int]) -> str:
        return "".join(self.chars[i - 3] if i >= 3 else ("\ufffd" if i == self.UNK else "") for i in ids)


class HfTokenizer:
    """Adapts a transformers tokenizer (no special tokens added: prompts are plain text)."""

    def __init__(self, tokenizer) -> None:
        self.inner = tokenizer
        self.eos_id = tokenizer.eos_token_id if tokenizer.eos_token_id is not None else 0
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else self.eos_id

    @property
    def vocab_size(self) -> int:
        return len(self.inner)

    def encode(self, text: str) -> list[int]:
        return self.inner.encode(text, add_special_tokens=False)

    def decode(self, ids: list[int]) -> str:
        return self.inner.decode([i for i in ids if i != self.eos_id], skip_special_tokens=True)
