"""Validation of the scoring functions' arguments: each error names the parameter and value."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

from topics.errors import ConfigError

Topics = tuple[tuple[str, ...], ...]


def check_measures(measures: str | Iterable[str], known: Iterable[str]) -> tuple[str, ...]:
    """The measure names, in order without repeats; a single name may be given as a string."""
    known = sorted(known)
    names = (measures,) if isinstance(measures, str) else measures
    try:
        names = tuple(dict.fromkeys(names))
    except TypeError:
        raise ConfigError("measures", f"expected measure names, got {measures!r}") from None
    if not names:
        raise ConfigError("measures", f"no measure given; known: {', '.join(known)}")
    for name in names:
        if name not in known:
            raise ConfigError("measures", f"unknown measure {name!r}; known: {', '.join(known)}")
    return names


def check_positive_int(value: Any, name: str) -> int:
    """``value`` if it is an integer >= 1 (bools refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(name, f"expected an integer >= 1, got {value!r}")
    return value


def check_topics(topics: Any, key: str) -> Topics:
    """One model's topics: a non-empty sequence of non-empty sequences of words."""
    if isinstance(topics, (str, bytes)) or not isinstance(topics, Sequence) or not topics:
        raise ConfigError(key, f"expected a non-empty list of topics, got {topics!r:.80}")
    checked = []
    for number, topic in enumerate(topics):
        where = f"{key}[{number}]"
        if isinstance(topic, (str, bytes)) or not isinstance(topic, Sequence):
            raise ConfigError(where, f"expected a list of words, got {topic!r:.80}")
        if not topic:
            raise ConfigError(where, "empty topic: a topic needs at least one word")
        for word in topic:
            if not isinstance(word, str):
                raise ConfigError(where, f"expected words (str), got {word!r:.40}")
        checked.append(tuple(topic))
    return tuple(checked)


def check_topic_sets(topic_sets: Any) -> dict[Hashable, Topics]:
    """``{model_id: topics}`` from a dict, or from a list (ids 0, 1, ...)."""
    if isinstance(topic_sets, Mapping):
        items = list(topic_sets.items())
    elif isinstance(topic_sets, Sequence) and not isinstance(topic_sets, (str, bytes)):
        if topic_sets and _looks_like_one_model(topic_sets):
            raise ConfigError("topic_sets", "this is one model's topics (a list of word lists); "
                                            "pass [topics] or {model_id: topics}")
        items = list(enumerate(topic_sets))
    else:
        raise ConfigError("topic_sets", f"expected a dict or list of models' topics, "
                                        f"got {topic_sets!r:.80}")
    if not items:
        raise ConfigError("topic_sets", "no model given")
    return {model: check_topics(topics, f"topic_sets[{model!r}]") for model, topics in items}


def _looks_like_one_model(topic_sets: Sequence) -> bool:
    first = topic_sets[0]
    return (isinstance(first, Sequence) and not isinstance(first, str) and len(first) > 0
            and isinstance(first[0], str))


def vocabulary_of(dictionary: Any) -> frozenset[str] | None:
    """The known words of ``dictionary``: a gensim ``Dictionary`` (or anything with a
    ``token2id`` mapping), a mapping from words, or a collection of words; None stays None."""
    if dictionary is None:
        return None
    words = getattr(dictionary, "token2id", dictionary)
    if isinstance(words, (str, bytes)) or not isinstance(words, Iterable):
        raise ConfigError("dictionary", f"expected a gensim Dictionary, a mapping or a "
                                        f"collection of words, got {dictionary!r:.80}")
    return frozenset(words)
