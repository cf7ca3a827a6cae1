"""The model and agent settings of issue 13 in the RunSpec: defaults for specs that lack them, words checked, and
run.json carries them back (the TS twin: ModelSpec / AgentSpec in protocol/run-spec.ts)."""

import pytest
from helpers import lazy_team_data

from mas_trainer.errors import EXIT_BAD_SPEC, MasError
from mas_trainer.spec import parse_spec


def test_a_spec_without_the_settings_gets_the_defaults():
    spec = parse_spec(lazy_team_data())
    model = spec.models[0]
    assert (model.format, model.dtype, model.attention, model.gradient_checkpointing) == (None, "auto", None, False)
    assert all(a.system is None for a in spec.agents)


def test_the_settings_are_read_and_written_back():
    data = lazy_team_data()
    data["models"][0].update(format="raw", dtype="fp32", attention="eager", gradient_checkpointing=True)
    data["agents"][0]["system"] = "Be brief."
    spec = parse_spec(data)
    out = spec.to_json()
    assert {k: out["models"][0][k] for k in ("format", "dtype", "attention", "gradient_checkpointing")} == {
        "format": "raw",
        "dtype": "fp32",
        "attention": "eager",
        "gradient_checkpointing": True,
    }
    assert out["agents"][0]["system"] == "Be brief."


@pytest.mark.parametrize(
    "key,value",
    [("format", "chatml"), ("dtype", "int4"), ("attention", "flash"), ("gradient_checkpointing", "yes")],
)
def test_an_unknown_model_setting_is_a_bad_spec(key, value):
    data = lazy_team_data()
    data["models"][0][key] = value
    with pytest.raises(MasError) as err:
        parse_spec(data)
    assert err.value.exit_code == EXIT_BAD_SPEC
    assert key in str(err.value)


def test_a_system_message_that_is_not_text_is_a_bad_spec():
    data = lazy_team_data()
    data["agents"][0]["system"] = ["not", "text"]
    with pytest.raises(MasError) as err:
        parse_spec(data)
    assert err.value.exit_code == EXIT_BAD_SPEC
