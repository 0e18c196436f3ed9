"""Value checks for the config schema: each returns the normalised value or raises a
``ValueError`` whose message says what was expected and shows the bad value.

``_Located`` carries the path below the key being checked (``[2]``, ``.regime_change``) so
that :mod:`topics.config` can name the full key path, e.g. ``grid.num_topics[2]``.
"""

from __future__ import annotations

import reprlib
from typing import Any, Callable

Check = Callable[[Any], Any]


def _show(value: Any, limit: int = 80) -> str:
    """The bad value as the message shows it: quoted if a string, cut to ``limit`` chars."""
    shown = reprlib.repr(value) if isinstance(value, (list, dict, tuple, set)) else (
        repr(value) if isinstance(value, str) else str(value))
    return shown if len(shown) <= limit else shown[:limit - 3] + "..."


def integer(minimum: int | None = None, maximum: int | None = None) -> Check:
    def check(value: Any) -> int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        if not ok or (minimum is not None and value < minimum) or (
                maximum is not None and value > maximum):
            bounds = " >= %d" % minimum if minimum is not None else ""
            bounds += (" and <= %d" % maximum) if maximum is not None else ""
            raise ValueError(f"expected an integer{bounds}, got {_show(value)}")
        return value
    return check


def number(minimum: float | None = None, maximum: float | None = None, *,
           strict_min: bool = False) -> Check:
    def check(value: Any) -> float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        low_bad = minimum is not None and ok and (
            value <= minimum if strict_min else value < minimum)
        high_bad = maximum is not None and ok and value > maximum
        if not ok or low_bad or high_bad:
            sign = ">" if strict_min else ">="
            bounds = f" {sign} {minimum}" if minimum is not None else ""
            bounds += f" and <= {maximum}" if maximum is not None else ""
            raise ValueError(f"expected a number{bounds}, got {_show(value)}")
        return float(value)
    return check


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {_show(value)}")
    return value


def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a non-empty string, got {_show(value)}")
    return value


def optional(check: Check) -> Check:
    def inner(value: Any) -> Any:
        return None if value is None else check(value)
    return inner


def choice(*options: Any) -> Check:
    def check(value: Any) -> Any:
        # Same type as well as equal: 0 is not False, 1.0 is not "1".
        if not any(value == o and type(value) is type(o) for o in options):
            raise ValueError(f"expected one of {', '.join(map(str, options))}; got {_show(value)}")
        return value
    return check


def choice_or_number(*options: str) -> Check:
    """A named prior (``symmetric``, ``auto``, ...) or a positive number."""
    def check(value: Any) -> Any:
        if isinstance(value, str) and value in options:
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            return float(value)
        raise ValueError(
            f"expected one of {', '.join(options)} or a number > 0, got {_show(value)}")
    return check


def list_of(check: Check, *, allow_empty: bool = True) -> Check:
    def inner(value: Any) -> list:
        if not isinstance(value, list):
            raise ValueError(f"expected a list, got {_show(value)}")
        if not value and not allow_empty:
            raise ValueError("expected a non-empty list, got []")
        return [_at(check, item, f"[{i}]") for i, item in enumerate(value)]
    return inner


def mapping_of_lists(value: Any) -> dict[str, list[str]]:
    """``themes:``: a mapping of theme name to a non-empty list of seed words or phrases."""
    if not isinstance(value, dict):
        raise ValueError(f"expected a mapping of theme name to a list of words, got {_show(value)}")
    out = {}
    for name, words in value.items():
        key = f".{name}"
        if not isinstance(name, str) or not name.strip():
            raise _Located(key, f"expected a theme name, got {_show(name)}")
        out[name] = _at(list_of(text, allow_empty=False), words, key)
    return out


class _Located(ValueError):
    """A ValueError that knows the path suffix below the current key."""

    def __init__(self, suffix: str, message: str):
        super().__init__(message)
        self.suffix = suffix


def _at(check: Check, value: Any, suffix: str) -> Any:
    try:
        return check(value)
    except _Located as err:
        raise _Located(suffix + err.suffix, str(err)) from None
    except ValueError as err:
        raise _Located(suffix, str(err)) from None
