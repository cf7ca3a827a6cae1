"""The `openai` model source in the RunSpec (TS twin: ModelSource {kind: 'openai'} in protocol/run-spec.ts)."""

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from helpers import lazy_team_data

from mas_trainer.errors import EXIT_BAD_SPEC, MasError
from mas_trainer.spec import parse_spec

API_SOURCE = {
    "kind": "openai",
    "url": "http://127.0.0.1:8000/v1",
    "model": "qwen3-8b",
    "key_env": "OPENAI_API_KEY",
    "timeout": 60,
    "retries": 2,
    "concurrency": 4,
}


def _with_api_model(**source_changes) -> dict:
    data = lazy_team_data()
    api = copy.deepcopy(data["models"][0])
    api.update(name="gpt", source={**API_SOURCE, **source_changes})
    data["models"].append(api)
    return data


def test_an_openai_source_round_trips_with_only_its_keys():
    out = parse_spec(_with_api_model()).to_json()
    assert out["models"][1]["source"] == API_SOURCE


def test_a_hand_written_spec_gets_the_api_defaults():
    data = _with_api_model()
    for key in ("timeout", "retries", "concurrency"):
        del data["models"][1]["source"][key]
    src = parse_spec(data).models[1].source
    assert (src.timeout, src.retries, src.concurrency) == (60.0, 2, 4)


@pytest.mark.parametrize(
    "change,word",
    [
        ({"url": "ftp://host/v1"}, "url"),
        ({"model": ""}, "model"),
        ({"key_env": 7}, "key_env"),
        ({"timeout": 0}, "timeout"),
        ({"retries": -1}, "retries"),
        ({"concurrency": 0}, "concurrency"),
        ({"concurrency": True}, "concurrency"),
    ],
)
def test_a_bad_openai_source_is_a_bad_spec(change, word):
    with pytest.raises(MasError) as err:
        parse_spec(_with_api_model(**change))
    assert err.value.exit_code == EXIT_BAD_SPEC
    assert word in str(err.value)


def _source_schema() -> dict:
    """The schema's ModelSource (the anyOf holding the `openai` variant)."""
    schema = json.loads((Path(__file__).parents[2] / "protocol/schemas/run-spec.schema.json").read_text())

    def walk(node):
        if isinstance(node, dict):
            variants = node.get("anyOf")
            if isinstance(variants, list) and any(
                v.get("properties", {}).get("kind") == {"const": "openai"} for v in variants if isinstance(v, dict)
            ):
                return node
            node = list(node.values())
        if isinstance(node, list):
            return next((found for found in map(walk, node) if found is not None), None)
        return None

    found = walk(schema)
    assert found is not None, "the RunSpec schema has no openai model source"
    return found


def test_the_schema_takes_the_openai_source_and_refuses_a_key_value():
    schema = _source_schema()
    jsonschema.validate(API_SOURCE, schema)
    jsonschema.validate({**API_SOURCE, "key_env": None}, schema)
    for bad in (
        {**API_SOURCE, "key": "sk-secret"},
        {**API_SOURCE, "url": "file:///etc"},
        {**API_SOURCE, "retries": -1},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
