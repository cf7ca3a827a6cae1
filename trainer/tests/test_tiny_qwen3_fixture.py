"""The tiny Qwen3 fixture is what the hf-path tests rely on: a real 151k vocabulary and a real chat template."""

from transformers import AutoModelForCausalLM, AutoTokenizer


def test_tiny_qwen3_has_the_real_vocabulary_and_chat_template(tiny_qwen3_dir):
    tok = AutoTokenizer.from_pretrained(tiny_qwen3_dir, local_files_only=True)
    assert len(tok) == 151669
    text = tok.apply_chat_template(
        [{"role": "system", "content": "be brief"}, {"role": "user", "content": "2+2?"}],
        tokenize=False,
        add_generation_prompt=True,
    )
    assert text.startswith("<|im_start|>system\nbe brief<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n")
    assert text.rstrip().endswith("<|im_start|>assistant")
    model = AutoModelForCausalLM.from_pretrained(tiny_qwen3_dir, local_files_only=True)
    assert model.config.vocab_size == 151669
    assert model.config.eos_token_id == tok.convert_tokens_to_ids("<|im_end|>")
