"""Collocations with gensim ``Phrases``: frequent pairs ("regime change") become one token
("regime_change"); an optional second pass forms three- and four-word phrases."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

from gensim.models.phrases import FrozenPhrases, Phrases

logger = logging.getLogger(__name__)

DELIMITER = "_"
#: Bound on the (word + pair) counts Phrases holds while learning; gensim notes that 40M
#: entries need about 3.6 GB, so this keeps it near 0.5 GB (rarer entries are pruned).
MAX_VOCAB_SIZE = 5_000_000


def learn_phrases(texts: Sequence[list[str]], *, min_count: int, threshold: float,
                  scoring: str = "default", trigrams: bool = False) -> list[FrozenPhrases]:
    """Learn the bigram model (and a trigram model on its output) from token lists."""
    models = []
    stream = texts
    for _ in range(2 if trigrams else 1):
        model = Phrases(stream, min_count=min_count, threshold=threshold, scoring=scoring,
                        max_vocab_size=MAX_VOCAB_SIZE, delimiter=DELIMITER)
        frozen = model.freeze()
        # gensim's freeze() drops the count its load() expects (it warns when missing)
        frozen.corpus_word_count = model.corpus_word_count
        del model  # the full counts are not needed any more
        logger.info("learned %d phrases", len(frozen.phrasegrams))
        models.append(frozen)
        stream = frozen[texts] if trigrams else texts
    return models


def apply_phrases(tokens: list[str], models: Sequence[FrozenPhrases]) -> list[str]:
    """Join the learned phrases in one token list."""
    for model in models:
        tokens = model[tokens]
    return tokens


def save_phrases(models: Sequence[FrozenPhrases], folder: Path) -> None:
    """Save each model as ``phrases_<n>.json`` in ``folder``: its phrases with their scores
    and the settings that apply them (JSON; gensim's own ``save`` is a pickle)."""
    for i, model in enumerate(models):
        value = {"phrasegrams": dict(model.phrasegrams), "threshold": model.threshold,
                 "min_count": model.min_count, "delimiter": model.delimiter,
                 "scoring": model.scoring if isinstance(model.scoring, str) else "default",
                 "connector_words": sorted(model.connector_words),
                 "corpus_word_count": getattr(model, "corpus_word_count", 0)}
        with open(folder / f"phrases_{i}.json", "w", encoding="utf-8") as f:
            json.dump(value, f)


def load_phrases(folder: Path, count: int) -> list[FrozenPhrases]:
    """Load the ``count`` models saved by ``save_phrases`` (ValueError if one is damaged)."""
    return [_load_one(folder / f"phrases_{i}.json") for i in range(count)]


def _load_one(path: Path) -> FrozenPhrases:
    with open(path, encoding="utf-8") as f:
        value = json.load(f)
    try:
        grams = value["phrasegrams"]
        if not (isinstance(grams, dict) and all(isinstance(v, (int, float))
                                                for v in grams.values())):
            raise TypeError("phrasegrams")
        empty = Phrases(None, min_count=value["min_count"], threshold=value["threshold"],
                        delimiter=value["delimiter"], scoring=value["scoring"],
                        connector_words=frozenset(value["connector_words"]))
    except (KeyError, TypeError, ValueError) as err:
        raise ValueError(f"{path}: damaged saved phrases ({err!r})") from None
    model = empty.freeze()
    model.phrasegrams = {str(k): float(v) for k, v in grams.items()}
    model.corpus_word_count = value.get("corpus_word_count", 0)
    return model
