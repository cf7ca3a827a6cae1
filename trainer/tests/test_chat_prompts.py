"""Chat prompts (issue 13 item 1): a model whose tokenizer has a chat template is prompted through it, with the
agent's `system` (else its role's description) as the system message; the records keep the messages."""

import copy

import pytest
from helpers import lazy_team_data, scripted_generate

from mas_trainer.chat import RAW, prompt_format, prompt_formats
from mas_trainer.errors import EXIT_BAD_SPEC, MasError
from mas_trainer.metrics import trajectory_records
from mas_trainer.models import build_base
from mas_trainer.rewards import Score
from mas_trainer.rollout import GraphWalker
from mas_trainer.spec import parse_spec

SYSTEM = "<|im_start|>system\n"
ASSISTANT = "<|im_start|>assistant\n"


@pytest.fixture(scope="module")
def qwen_tokenizer(tiny_qwen3_dir):
    model = parse_spec(hf_data(tiny_qwen3_dir)).models[0]
    return build_base(model)[1]


def hf_data(folder: str, **model_settings) -> dict:
    """The lazy team on an hf model (the tiny Qwen3), every agent on it."""
    data = lazy_team_data()
    data["models"][0]["source"] = {"kind": "hf", "id": folder}
    data["models"][0].update(model_settings)
    return data


def test_a_chat_prompt_is_the_template_over_the_role_description_and_the_prompt(tiny_qwen3_dir, qwen_tokenizer):
    spec = parse_spec(hf_data(tiny_qwen3_dir))
    agent = spec.agents[0]
    text, messages = prompt_format(spec, agent, qwen_tokenizer).render("A? >")
    assert messages == [
        {"role": "system", "content": "writes the first letter in the asked case"},
        {"role": "user", "content": "A? >"},
    ]
    expected = qwen_tokenizer.inner.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    assert text == expected
    assert text.startswith(SYSTEM + "writes the first letter in the asked case<|im_end|>\n<|im_start|>user\nA? >")
    assert text.endswith(ASSISTANT)  # the generation prompt: the model answers as the assistant
    # the template's special tokens are single tokens of the real vocabulary, not their characters
    im_start = qwen_tokenizer.inner.convert_tokens_to_ids("<|im_start|>")
    assert qwen_tokenizer.encode(text).count(im_start) == 3


def test_the_agents_system_replaces_the_role_description_and_an_empty_one_is_left_out(tiny_qwen3_dir, qwen_tokenizer):
    data = hf_data(tiny_qwen3_dir)
    data["agents"][0]["system"] = "Answer with one letter."
    data["agents"][1]["system"] = ""
    spec = parse_spec(data)
    first, second = (prompt_format(spec, a, qwen_tokenizer).render("x")[1] for a in spec.agents[:2])
    assert first[0] == {"role": "system", "content": "Answer with one letter."}
    assert second == [{"role": "user", "content": "x"}]


def test_the_format_follows_the_setting_and_the_tokenizer(tiny_qwen3_dir, qwen_tokenizer):
    spec = parse_spec(hf_data(tiny_qwen3_dir, format="raw"))
    assert prompt_format(spec, spec.agents[0], qwen_tokenizer) is RAW
    assert RAW.render("plain") == ("plain", None)
    spec = parse_spec(hf_data(tiny_qwen3_dir))  # format left out: chat, since the tokenizer has a template
    assert prompt_format(spec, spec.agents[0], qwen_tokenizer).is_chat


def test_chat_without_a_chat_template_is_a_bad_spec_with_the_fix(tiny_qwen3_dir, qwen_tokenizer):
    bare = copy.copy(qwen_tokenizer)
    bare.inner = copy.copy(qwen_tokenizer.inner)
    bare.inner.chat_template = None
    spec = parse_spec(hf_data(tiny_qwen3_dir))
    assert prompt_format(spec, spec.agents[0], bare) is RAW  # the default falls back on raw
    spec = parse_spec(hf_data(tiny_qwen3_dir, format="chat"))
    with pytest.raises(MasError) as caught:
        prompt_format(spec, spec.agents[0], bare)
    assert caught.value.exit_code == EXIT_BAD_SPEC and "format: raw" in str(caught.value)


def test_scratch_models_are_raw_and_refuse_format_chat():
    spec = parse_spec(lazy_team_data())
    tokenizer = build_base(spec.models[0])[1]
    assert all(f is RAW for f in prompt_formats(spec, {a.name: tokenizer for a in spec.agents}).values())
    data = lazy_team_data()
    data["models"][0]["format"] = "chat"
    with pytest.raises(MasError) as caught:
        parse_spec(data)
    assert caught.value.exit_code == EXIT_BAD_SPEC and "format: raw" in str(caught.value)


def test_the_sampler_gets_the_rendered_prompt_and_the_records_keep_the_messages(tiny_qwen3_dir, qwen_tokenizer):
    spec = parse_spec(hf_data(tiny_qwen3_dir))
    formats = prompt_formats(spec, {a.name: qwen_tokenizer for a in spec.agents})
    seen = []

    def script(agent, prompt, n):
        seen.append(prompt)
        return "a"

    states = GraphWalker(spec, formats=formats).run([{"a": "u", "b": "l"}], scripted_generate(script))
    assert seen and all(p.startswith(SYSTEM) and p.endswith(ASSISTANT) for p in seen)
    score = Score(reward=0.0, criteria={}, errors={}, success=False, decision_rewards=[])
    record = trajectory_records(1, states, [score], {}, group=1)[0]
    turn = record["turns"][0]
    assert turn["prompt"] == seen[0]
    assert [m["role"] for m in turn["messages"]] == ["system", "user"]
    assert turn["messages"][1]["content"] in turn["prompt"]


def test_raw_records_have_no_messages():
    spec = parse_spec(lazy_team_data())
    states = GraphWalker(spec).run([{"a": "u", "b": "l"}], scripted_generate(lambda *_: "a"))
    score = Score(reward=0.0, criteria={}, errors={}, success=False, decision_rewards=[])
    assert all("messages" not in t for t in trajectory_records(1, states, [score], {}, group=1)[0]["turns"])
