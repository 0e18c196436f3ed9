"""Value checks for the config schema: each returns the normalised value or raises a
``ValueError`` whose message says what was expected and shows the bad value.

``Located`` carries the path below the key being checked (``[2]``, ``.regime_change``) so
that :mod:`topics.config` can name the full key path, e.g. ``grid.num_topics[2]``.

Every check describes itself: ``describe(check)`` is a short phrase of the values it accepts
(``integer >= 1``, ``one of: csv, jsonl``, ``list of strings``), read by the config reference
(``docs/config.md``) and ``topics init``.  A new check sets its own with :func:`described`.
"""

from __future__ import annotations

import math
import reprlib
from typing import Any, Callable

Check = Callable[[Any], Any]


def described(check: Check, description: str) -> Check:
    """Attach ``description`` (the accepted values, in a few words) to ``check``."""
    check.describe = description  # type: ignore[attr-defined]
    return check


def describes(description: str) -> Callable[[Check], Check]:
    """Decorator form of :func:`described` for checks defined with ``def``."""
    return lambda check: described(check, description)


def describe(check: Check) -> str:
    """The values ``check`` accepts, in a few words (``"integer >= 1"``)."""
    description = getattr(check, "describe", None)
    if not isinstance(description, str):
        raise ValueError(f"the check {getattr(check, '__name__', check)!r} does not describe "
                         "itself: wrap it with topics.checks.described(check, '...')")
    return description


def _bounds(minimum: Any, maximum: Any, low: str = ">=") -> str:
    parts = [f"{low} {minimum}" if minimum is not None else "",
             f"<= {maximum}" if maximum is not None else ""]
    return " and ".join(p for p in parts if p)


def show(value: Any, limit: int = 80) -> str:
    """The bad value as the message shows it: quoted if a string, cut to ``limit`` chars."""
    shown = reprlib.repr(value) if isinstance(value, (list, dict, tuple, set)) else (
        repr(value) if isinstance(value, str) else str(value))
    return shown if len(shown) <= limit else shown[:limit - 3] + "..."


#: The largest integer a config accepts anywhere: the engines (and worker pools) pass
#: counts to C, whose ``int`` holds 2**31 - 1.
INT_MAX = 2**31 - 1


def integer(minimum: int | None = None, maximum: int | None = None) -> Check:
    """An int (not a bool) in [minimum, maximum]; without ``maximum``, at most ``INT_MAX``
    (named in the message only when exceeded)."""
    def check(value: Any) -> int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        high = INT_MAX if maximum is None else maximum
        if not ok or (minimum is not None and value < minimum) or value > high:
            bounds = " >= %d" % minimum if minimum is not None else ""
            if maximum is not None or (ok and value > high):
                bounds += (" and" if bounds else "") + " <= %d" % high
            raise ValueError(f"expected an integer{bounds}, got {show(value)}")
        return value
    return described(check, f"integer {_bounds(minimum, maximum)}".strip())


def _finite_number(value: Any) -> bool:
    """A real number (not a bool) that is neither NaN nor infinite."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def number(minimum: float | None = None, maximum: float | None = None, *,
           strict_min: bool = False) -> Check:
    """A finite number in the bounds: NaN and infinities are refused, whatever the bounds."""
    def check(value: Any) -> float:
        ok = _finite_number(value)
        low_bad = minimum is not None and ok and (
            value <= minimum if strict_min else value < minimum)
        high_bad = maximum is not None and ok and value > maximum
        if not ok or low_bad or high_bad:
            sign = ">" if strict_min else ">="
            bounds = f" {sign} {minimum}" if minimum is not None else ""
            bounds += f" and <= {maximum}" if maximum is not None else ""
            raise ValueError(f"expected a number{bounds}, got {show(value)}")
        return float(value)
    return described(check, f"number {_bounds(minimum, maximum, '>' if strict_min else '>=')}"
                     .strip())


@describes("true or false")
def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {show(value)}")
    return value


@describes("string")
def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a non-empty string, got {show(value)}")
    return value


def optional(check: Check) -> Check:
    def inner(value: Any) -> Any:
        return None if value is None else check(value)
    return described(inner, f"{describe(check)}, or null")


def choice(*options: Any) -> Check:
    def check(value: Any) -> Any:
        # Same type as well as equal: 0 is not False, 1.0 is not "1".
        if not any(value == o and type(value) is type(o) for o in options):
            raise ValueError(f"expected one of {', '.join(map(str, options))}; got {show(value)}")
        return value
    return described(check, "one of: " + ", ".join(_yaml_word(o) for o in options))


def choice_or_number(*options: str) -> Check:
    """A named prior (``symmetric``, ``auto``, ...) or a positive number."""
    def check(value: Any) -> Any:
        if isinstance(value, str) and value in options:
            return value
        if _finite_number(value) and value > 0:
            return float(value)
        raise ValueError(
            f"expected one of {', '.join(options)} or a number > 0, got {show(value)}")
    return described(check, f"one of: {', '.join(options)}; or a number > 0")


def list_of(check: Check, *, allow_empty: bool = True) -> Check:
    def inner(value: Any) -> list:
        if not isinstance(value, list):
            raise ValueError(f"expected a list, got {show(value)}")
        if not value and not allow_empty:
            raise ValueError("expected a non-empty list, got []")
        return [located(check, item, f"[{i}]") for i, item in enumerate(value)]
    return described(inner, ("non-empty " if not allow_empty else "")
                     + f"list; each item: {describe(check)}")


@describes("mapping: theme name -> non-empty list of words or phrases")
def mapping_of_lists(value: Any) -> dict[str, list[str]]:
    """``themes:``: a mapping of theme name to a non-empty list of seed words or phrases."""
    if not isinstance(value, dict):
        raise ValueError(f"expected a mapping of theme name to a list of words, got {show(value)}")
    out = {}
    for name, words in value.items():
        key = f".{name}"
        if not isinstance(name, str) or not name.strip():
            raise Located(key, f"expected a theme name, got {show(name)}")
        out[name] = located(list_of(text, allow_empty=False), words, key)
    return out


def _yaml_word(value: Any) -> str:
    """A choice as it is written in YAML: ``false``, ``null``, ``paragraph``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


class Located(ValueError):
    """A ValueError that knows the path suffix below the current key."""

    def __init__(self, suffix: str, message: str):
        super().__init__(message)
        self.suffix = suffix


def located(check: Check, value: Any, suffix: str) -> Any:
    """``check(value)``; a failure is raised as ``Located`` with ``suffix`` prefixed."""
    try:
        return check(value)
    except Located as err:
        raise Located(suffix + err.suffix, str(err)) from None
    except ValueError as err:
        raise Located(suffix, str(err)) from None
