"""One source of defaults: what a hand-written RunSpec leaves out of `scratch(...)` or `lora(...)` gets the language
catalogue's default (model_defaults.json, generated from SCRATCH_PARAMETERS / LORA_PARAMETERS; the TypeScript side
of the agreement is test/build/model-defaults.test.ts and `npm run check:generated`)."""

import dataclasses
import json
import os

import pytest
from conftest import REPO_ROOT
from helpers import lazy_team_data

from mas_trainer.spec import AdapterSpec, ModelSource, parse_spec

DEFAULTS_FILE = os.path.join(REPO_ROOT, "trainer", "mas_trainer", "model_defaults.json")


def catalogue_defaults() -> dict:
    with open(DEFAULTS_FILE, encoding="utf-8") as f:
        return json.load(f)


def dataclass_defaults(cls) -> dict:
    return {f.name: f.default for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING}


def test_the_scratch_source_defaults_are_the_catalogues():
    defaults = dataclass_defaults(ModelSource)
    defaults.pop("id")  # an hf source's; scratch(...) has no such argument
    for key in ("url", "model", "key_env", "timeout", "retries", "concurrency"):  # an openai source's
        defaults.pop(key)
    assert defaults == catalogue_defaults()["scratch"]


def test_the_lora_defaults_are_the_catalogues_where_the_trainer_has_one():
    """rank and alpha stay required (compiled specs always carry them); dropout falls back; `from` (from_path) has no
    catalogue default: left out, the adapter is a new one."""
    defaults = dataclass_defaults(AdapterSpec)
    assert defaults.pop("from_path") is None and "from" not in catalogue_defaults()["lora"]
    assert defaults and all(defaults[k] == catalogue_defaults()["lora"][k] for k in defaults)


@pytest.mark.parametrize("key", ["layers", "hidden", "heads", "context", "vocab"])
def test_a_scratch_argument_left_out_of_a_spec_gets_the_catalogue_default(key):
    data = lazy_team_data()
    del data["models"][0]["source"][key]
    source = parse_spec(data).models[0].source
    assert getattr(source, key) == catalogue_defaults()["scratch"][key]


def test_the_context_default_is_no_longer_the_trainers_own():
    """The disagreement issue 12 found: the trainer fell back on 256 where the language says 512."""
    data = lazy_team_data()
    del data["models"][0]["source"]["context"]
    assert parse_spec(data).models[0].source.context == 512 == catalogue_defaults()["scratch"]["context"]


def test_the_critics_parameter_defaults_are_the_catalogues():
    """critic/learner.py keeps its own DEFAULT_* constants (the value model is built outside the estimator registry);
    what critic_params({}) gives must be what the catalogue documents."""
    from mas_trainer.credit import method_info, methods_where
    from mas_trainer.critic.learner import critic_params

    critic_methods = methods_where(lambda info: info.needs_critic)
    assert critic_methods
    for method in critic_methods:
        catalogue = {p["name"]: p["default"] for p in method_info(method).parameters}
        assert critic_params({}) == catalogue
