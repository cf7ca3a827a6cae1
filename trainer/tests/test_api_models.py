"""ApiModel against a fake OpenAI-compatible endpoint on loopback (tests/fake_openai_server.py)."""

from __future__ import annotations

import socket
import traceback

import pytest
from fake_openai_server import FakeOpenAi

from mas_trainer.api_models import ApiModel, ApiModelError
from mas_trainer.errors import EXIT_API_MODEL

SECRET = "sk-test-SECRET-9f3a71c2"


def _source(url: str, **extra: object) -> dict:
    return {"kind": "openai", "url": url, "model": "qwen3-8b", "key_env": "MAS_TEST_KEY", **extra}


def _model(url: str, **extra: object) -> ApiModel:
    return ApiModel("gpt", _source(url, **extra), environ={"MAS_TEST_KEY": SECRET})


def _batch(n: int) -> list[list[dict[str, str]]]:
    return [[{"role": "system", "content": "be brief"}, {"role": "user", "content": f"q{i}"}] for i in range(n)]


def _assert_clean(err: ApiModelError, url: str) -> None:
    """The error names model and URL, carries the exit code, and neither message nor traceback shows the key."""
    assert err.exit_code == EXIT_API_MODEL
    assert "`gpt`" in str(err) and url in str(err)
    assert SECRET not in "".join(traceback.format_exception(err))


def test_ok_batch_in_order_with_key_and_settings() -> None:
    with FakeOpenAi("ok") as fake:
        out = _model(fake.url, concurrency=3).chat(_batch(7), max_tokens=16, temperature=0.5, stop=["\n"])
    assert out == [f"echo: q{i}" for i in range(7)]
    assert fake.calls == 7
    assert set(fake.auth) == {f"Bearer {SECRET}"}
    assert {r["model"] for r in fake.requests} == {"qwen3-8b"}
    assert all(r["max_tokens"] == 16 and r["temperature"] == 0.5 and r["stop"] == ["\n"] for r in fake.requests)
    assert all(r["messages"][0] == {"role": "system", "content": "be brief"} for r in fake.requests)


def test_empty_batch_makes_no_call() -> None:
    with FakeOpenAi("ok") as fake:
        assert _model(fake.url).chat([], max_tokens=4, temperature=0.0) == []
    assert fake.calls == 0


def test_500_then_ok_is_retried() -> None:
    with FakeOpenAi("500-then-ok") as fake:
        assert _model(fake.url, retries=2).chat(_batch(1), max_tokens=4, temperature=0.0) == ["echo: q0"]
    assert fake.calls == 2


def test_always_500_fails_after_retries() -> None:
    with FakeOpenAi("always-500") as fake:
        with pytest.raises(ApiModelError, match="HTTP 500 after 2 tries") as info:
            _model(fake.url, retries=1).chat(_batch(1), max_tokens=4, temperature=0.0)
    assert fake.calls == 2
    _assert_clean(info.value, fake.url)


@pytest.mark.parametrize("mode", ["garbage", "no-choices"])
def test_garbage_reply_fails_after_retries(mode: str) -> None:
    with FakeOpenAi(mode) as fake:
        with pytest.raises(ApiModelError, match="after 2 tries") as info:
            _model(fake.url, retries=1).chat(_batch(1), max_tokens=4, temperature=0.0)
    assert fake.calls == 2
    _assert_clean(info.value, fake.url)


def test_slow_endpoint_times_out() -> None:
    with FakeOpenAi("slow", slow_seconds=30) as fake:
        with pytest.raises(ApiModelError, match="no answer within the timeout") as info:
            _model(fake.url, timeout=0.3, retries=0).chat(_batch(1), max_tokens=4, temperature=0.0)
    _assert_clean(info.value, fake.url)


def test_down_endpoint_cannot_connect() -> None:
    with socket.socket() as s:  # a port nobody listens on: bind, read it, close
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    with pytest.raises(ApiModelError, match="cannot connect after 1 tries") as info:
        _model(url, retries=0).chat(_batch(1), max_tokens=4, temperature=0.0)
    _assert_clean(info.value, url)


def test_missing_key_variable_names_it() -> None:
    with pytest.raises(ApiModelError, match="environment variable MAS_TEST_KEY") as info:
        ApiModel("gpt", _source("http://127.0.0.1:1/v1"), environ={})
    assert info.value.exit_code == EXIT_API_MODEL


def test_no_key_env_sends_a_placeholder() -> None:
    with FakeOpenAi("ok") as fake:
        ApiModel("gpt", _source(fake.url, key_env=None), environ={}).chat(_batch(1), max_tokens=4, temperature=0.0)
    assert fake.auth == ["Bearer unused"]


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        ({"url": "ftp://x/v1"}, "http:// or https://"),
        ({"key_env": "1BAD-NAME"}, "environment variable name"),
        ({"timeout": 0}, "timeout > 0"),
        ({"concurrency": 0}, "concurrency >= 1"),
        ({"retries": "3"}, "`retries` must be a number"),
    ],
)
def test_bad_settings_are_refused(extra: dict, match: str) -> None:
    with pytest.raises(ApiModelError, match=match):
        ApiModel("gpt", {**_source("http://127.0.0.1:1/v1"), **extra}, environ={"MAS_TEST_KEY": SECRET})


def test_repr_hides_the_key() -> None:
    assert SECRET not in repr(_model("http://127.0.0.1:1/v1"))
