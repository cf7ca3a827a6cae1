"""The value model V(h): a transformer backbone + a linear value head on every real token, summed.

V(h) = Σ_i head(hidden_i) over the prefix's real tokens. The backbone is causal, so appending a turn leaves the earlier
tokens' terms unchanged and V(h_{t+1}) − V(h_t) is exactly the sum over turn t's own tokens: the TD credit of a
decision is read where that decision was written. A head read at the last token only can express the same values,
but it has to gather every earlier turn's contribution through attention at one position; on the lazy team (two
workers whose reward is the case of their output against a bit two tokens back) that readout did not fit even a
fixed set of 640 transcripts (train MSE 0.17 × the best constant's after 200 epochs), where the summed readout fits
it (0.00 ×; held-out 0.03 ×). bench/learning/RESULTS.md has the figures.

`scratch` critics are a small random-initialised Llama (the critic model's own layers/hidden/heads/context) with
the character tokenizer; `hf` critics put the head on the named model's backbone (AutoModel, local files only,
like the policies). The head starts at zero, so V ≡ 0 before training and early credit is the plain reward.
Attention is `eager` so the module exports to ONNX with the TorchScript exporter.
"""

from __future__ import annotations

import string

import torch
from torch import nn

from ..errors import EXIT_MODEL_UNAVAILABLE, MasError
from ..model_loading import folder_error, looks_like_path
from ..models import scratch_llama_config
from ..spec import ModelSpec
from ..tokenizer import CharTokenizer, HfTokenizer

HF_MAX_LENGTH = 1024  # longest prefix an hf critic reads (keeps the value pass cheap); scratch uses its context


class ValueModel(nn.Module):
    def __init__(self, backbone: nn.Module, hidden: int) -> None:
        super().__init__()
        self.backbone = backbone
        self.head = nn.Linear(hidden, 1)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """input_ids, attention_mask: [batch, sequence] int64, right-padded. Returns V: [batch] float32."""
        hidden = self.backbone(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        per_token = self.head(hidden.float()).squeeze(-1)
        return (per_token * attention_mask.to(per_token.dtype)).sum(-1)


def build_value_model(model: ModelSpec) -> tuple[ValueModel, object, int, dict]:
    """(module, tokenizer, max_length, tokenizer description for the ONNX sidecar)."""
    src = model.source
    if src.kind == "scratch":
        from transformers import LlamaModel

        tok = CharTokenizer()
        config = scratch_llama_config(src, tok, attn_implementation="eager")
        return (
            ValueModel(LlamaModel(config), src.hidden),
            tok,
            src.context,
            char_tokenizer_description(tok, src.context),
        )
    if src.kind == "hf":
        return _hf_value_model(model.name, src.id or "")
    raise MasError(f"critic model `{model.name}` has unknown source kind `{src.kind}`; use hf or scratch", 3)


def _hf_value_model(name: str, model_id: str) -> tuple[ValueModel, object, int, dict]:
    from transformers import AutoModel, AutoTokenizer

    incomplete = folder_error(name, model_id, kind="critic model") if looks_like_path(model_id) else None
    if incomplete is not None:  # a missing or incomplete folder: say what is missing, as for the policies' models
        raise incomplete
    try:
        tok = AutoTokenizer.from_pretrained(model_id, local_files_only=True, trust_remote_code=False)
        backbone = AutoModel.from_pretrained(
            model_id, local_files_only=True, trust_remote_code=False, attn_implementation="eager"
        )
    except Exception as err:  # transformers raises OSError/ValueError/HF errors depending on the case
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise MasError(
            f'critic model `{name}`: cannot load hf "{model_id}" from local files ({reason[:160]}); '
            "download it first or give a local directory",
            EXIT_MODEL_UNAVAILABLE,
        ) from None
    hidden = int(backbone.config.hidden_size)
    limit = int(getattr(backbone.config, "max_position_embeddings", HF_MAX_LENGTH) or HF_MAX_LENGTH)
    max_length = min(limit, HF_MAX_LENGTH)
    wrapped = HfTokenizer(tok)
    description = {
        "kind": "hf",
        "model": model_id,
        "vocab_size": wrapped.vocab_size,
        "pad_id": wrapped.pad_id,
        "add_special_tokens": False,
        "max_length": max_length,
        "truncation": "left",
        "padding": "right",
        "empty_text": "one pad_id with mask 1",
    }
    return ValueModel(backbone, hidden), wrapped, max_length, description


def char_tokenizer_description(tok: CharTokenizer, max_length: int) -> dict:
    """Everything the editor needs to rebuild the ids in TypeScript: id = 3 + index in `alphabet`, one id per
    Unicode code point, anything else `unk_id`; keep the last `max_length` ids; pad on the right with `pad_id`."""
    assert "".join(tok.chars) == string.printable[:95] + "\n"
    return {
        "kind": "chars",
        "alphabet": "".join(tok.chars),
        "offset": 3,
        "pad_id": tok.PAD,
        "eos_id": tok.EOS,
        "unk_id": tok.UNK,
        "vocab_size": tok.vocab_size,
        "max_length": max_length,
        "truncation": "left",
        "padding": "right",
        "empty_text": "one pad_id with mask 1",
    }


def encode_batch(tokenizer, texts: list[str], max_length: int, device) -> tuple[torch.Tensor, torch.Tensor]:
    """Left-truncated (the newest part of a transcript matters most), right-padded ids and mask."""
    return pad_batch(encode_texts(tokenizer, texts, max_length), tokenizer.pad_id, device)


def encode_texts(tokenizer, texts: list[str], max_length: int) -> list[list[int]]:
    """Each text's ids, left-truncated to max_length; an empty text is one pad token."""
    return [(tokenizer.encode(t) or [tokenizer.pad_id])[-max_length:] for t in texts]


def pad_batch(seqs: list[list[int]], pad_id: int, device) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s, dtype=torch.long)
        mask[i, : len(s)] = 1
    return ids.to(device), mask.to(device)
