"""Models served by an OpenAI-compatible chat endpoint (`from: openai "<url>" name "<model>"`).

Agents on them act in rollouts and are always frozen; judges call them too (judge_backends.py). The API key is read
from the named environment variable when the model is built and lives only in the client: it is never put in a
message, an exception, a log line or the run directory. API outputs are not reproducible: the seed does not reach the
server. TS twin of the source: ModelSource {kind: 'openai', ...} (protocol/run-spec.ts).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .errors import EXIT_API_MODEL, MasError

API_DEFAULTS = {"timeout": 60.0, "retries": 2, "concurrency": 4}  # TS twin: API_MODEL_DEFAULTS
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DETAIL_CHARS = 200  # a server's error body can be long; the first line says enough


class ApiModelError(MasError):
    """An API model that cannot answer: names the model and URL, never the key (exit EXIT_API_MODEL)."""

    def __init__(self, name: str, url: str, reason: str):
        super().__init__(f"API model `{name}` at {url}: {reason}", EXIT_API_MODEL)
        self.model_name = name
        self.url = url


def _number(source: Mapping[str, Any], key: str, name: str, url: str) -> float:
    value = source.get(key, API_DEFAULTS[key])
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ApiModelError(name, url, f"`{key}` must be a number, got {type(value).__name__}")
    return float(value)


class ApiModel:
    """One endpoint and model name; `chat` runs a batch with at most `concurrency` calls in flight."""

    def __init__(self, name: str, source: dict, environ: Mapping[str, str] = os.environ):
        import openai  # imported here: only runs with an API model need the SDK

        self.name = name
        self.url = str(source.get("url", ""))
        self.model = str(source.get("model", ""))
        if not re.match(r"^https?://", self.url):
            raise ApiModelError(name, self.url, "the URL must start with http:// or https://")
        timeout = _number(source, "timeout", name, self.url)
        retries = _number(source, "retries", name, self.url)
        concurrency = _number(source, "concurrency", name, self.url)
        if timeout <= 0 or retries < 0 or concurrency < 1:
            raise ApiModelError(name, self.url, "need timeout > 0, retries >= 0 and concurrency >= 1")
        self.retries = int(retries)
        self.concurrency = int(concurrency)
        key_env = source.get("key_env")
        key = "unused"  # the SDK requires some key; local servers ignore it
        if key_env is not None:
            if not isinstance(key_env, str) or not _ENV_NAME.match(key_env):
                raise ApiModelError(name, self.url, f"`key: env` needs an environment variable name, got {key_env!r}")
            if not environ.get(key_env):
                raise ApiModelError(
                    name, self.url, f"the environment variable {key_env} (its key) is not set; set it and run again"
                )
            key = environ[key_env]
        self._secret = key if key_env is not None else None
        # The SDK retries connection errors, timeouts, 408/409/429 and 5xx with exponential backoff.
        self._client = openai.OpenAI(base_url=self.url, api_key=key, timeout=timeout, max_retries=self.retries)
        self._openai = openai

    def __repr__(self) -> str:  # no key: the client holds it, repr never shows the client
        return f"ApiModel({self.name!r}, {self.url!r}, {self.model!r})"

    def chat(
        self,
        batch: list[list[dict[str, str]]],
        *,
        max_tokens: int,
        temperature: float,
        stop: list[str] | None = None,
    ) -> list[str]:
        """One completion text per message list, in order."""
        if not batch:
            return []
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(batch))) as pool:
            return list(pool.map(lambda messages: self._one(messages, max_tokens, temperature, stop), batch))

    def _one(self, messages: list[dict[str, str]], max_tokens: int, temperature: float, stop: list[str] | None) -> str:
        # A reply that is not a chat completion (garbage, no choices) is retried like a transport error: the SDK
        # does not retry those itself.
        reason = "no answer"
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(min(0.5 * 2 ** (attempt - 1), 8.0))
            try:
                reply = self._client.chat.completions.create(
                    model=self.model,
                    messages=messages,  # pyright: ignore[reportArgumentType]  # plain role/content dicts
                    max_tokens=max_tokens,
                    temperature=temperature,
                    stop=stop or None,
                )
            except self._openai.APIStatusError as e:
                raise self._error(f"HTTP {e.status_code} after {self.retries + 1} tries ({self._detail(e)})") from None
            except self._openai.APITimeoutError:
                raise self._error(f"no answer within the timeout after {self.retries + 1} tries") from None
            except self._openai.APIConnectionError:
                raise self._error(
                    f"cannot connect after {self.retries + 1} tries; is the server running at this URL?"
                ) from None
            except (self._openai.APIError, ValueError) as e:  # a body that is not JSON, or not the expected shape
                reason = f"not a chat completion ({self._detail(e)})"
                continue
            text = self._text(reply)
            if text is not None:
                return text
            reason = "the reply has no choices[0].message.content"
        raise self._error(f"{reason}, after {self.retries + 1} tries")

    @staticmethod
    def _text(reply: Any) -> str | None:
        choices = getattr(reply, "choices", None)
        if not isinstance(choices, list) or not choices:
            return None
        content = getattr(getattr(choices[0], "message", None), "content", None)
        return content if isinstance(content, str) else None

    def _detail(self, e: BaseException) -> str:
        text = str(e).splitlines()[0] if str(e) else type(e).__name__
        if self._secret:  # a server that echoes the request must not leak the key into our message
            text = text.replace(self._secret, "***")
        return text[:_DETAIL_CHARS]

    def _error(self, reason: str) -> ApiModelError:
        return ApiModelError(self.name, self.url, reason)
