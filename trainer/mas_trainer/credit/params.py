"""Reading an estimator's params (RunSpec `credit(...)` arguments: numbers and strings) with defaults and checks.

Every unknown key or bad value is a ValueError with one sentence naming the estimator, the key and what is allowed,
so that a typo in a .mas file never silently falls back to a default.
"""

from __future__ import annotations

from typing import Mapping, Optional


class ParamReader:
    def __init__(self, method: str, params: Mapping[str, object] | None, known: set[str]):
        self.method = method
        self.params = dict(params or {})
        unknown = sorted(set(self.params) - known)
        if unknown:
            raise ValueError(
                f"credit `{method}` has no parameter {', '.join(repr(k) for k in unknown)}; "
                f"known: {', '.join(sorted(known)) or 'none'}"
            )

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.params.get(key, default)
        if value not in allowed:
            raise ValueError(f"credit `{self.method}`: `{key}` must be one of {', '.join(allowed)}, got {value!r}")
        return str(value)

    def non_negative_number(self, key: str, default: float) -> float:
        value = self.params.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
            raise ValueError(f"credit `{self.method}`: `{key}` must be a number >= 0, got {value!r}")
        return float(value)

    def positive_int(self, key: str, default: Optional[int]) -> Optional[int]:
        value = self.params.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value) or value < 1:
            raise ValueError(f"credit `{self.method}`: `{key}` must be a whole number >= 1, got {value!r}")
        return int(value)

    def positive_int_list(self, key: str) -> list[int]:
        """A required list of whole numbers >= 1 (`fanout: [2, 4]`)."""
        if key not in self.params:
            raise ValueError(f"credit `{self.method}` needs `{key}`, a list of whole numbers >= 1 (e.g. [2, 4])")
        value = self.params[key]
        if (
            not isinstance(value, (list, tuple))
            or not value
            or any(isinstance(v, bool) or not isinstance(v, (int, float)) or v != int(v) or v < 1 for v in value)
        ):
            raise ValueError(
                f"credit `{self.method}`: `{key}` must be a non-empty list of whole numbers >= 1, got {value!r}"
            )
        return [int(v) for v in value]
