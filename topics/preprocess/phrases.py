"""Collocations with gensim ``Phrases``: frequent pairs ("regime change") become one token
("regime_change"); an optional second pass forms three- and four-word phrases."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from gensim.models.phrases import NEGATIVE_INFINITY, FrozenPhrases, Phrases

logger = logging.getLogger(__name__)

DELIMITER = "_"
#: Bound on the (word + pair) counts Phrases holds while learning; gensim notes that 40M
#: entries need about 3.6 GB, so this keeps it near 0.5 GB (rarer entries are pruned).
MAX_VOCAB_SIZE = 5_000_000


def learn_phrases(texts: Iterable[list[str]], *, min_count: int, threshold: float,
                  scoring: str = "default", trigrams: bool = False) -> list[FrozenPhrases]:
    """Learn the bigram model (and a trigram model on its output) from token lists (read
    once per model: a list or a re-iterable).  The models are those gensim's
    ``Phrases(texts, ..., max_vocab_size=MAX_VOCAB_SIZE).freeze()`` gives (same phrases and
    scores): the counting and the scoring are done faster here (``count_pairs``,
    ``export_phrases``)."""
    models = []
    stream: Iterable[list[str]] = texts
    for _ in range(2 if trigrams else 1):
        vocab, total_words = count_pairs(stream, delimiter=DELIMITER,
                                         max_vocab_size=MAX_VOCAB_SIZE)
        frozen = _empty(min_count=min_count, threshold=threshold, delimiter=DELIMITER,
                        scoring=scoring, connector_words=frozenset())
        frozen.phrasegrams = export_phrases(vocab, total_words, min_count=min_count,
                                            threshold=threshold, scoring=scoring)
        # gensim's freeze() drops the count its load() expects (it warns when missing)
        frozen.corpus_word_count = total_words
        del vocab  # the full counts are not needed any more
        logger.info("learned %d phrases", len(frozen.phrasegrams))
        models.append(frozen)
        stream = _Phrased(texts, frozen)
    return models


class _Phrased:
    """``texts`` (re-iterable) with the phrases of ``model`` joined, re-iterable."""

    def __init__(self, texts: Iterable[list[str]], model: FrozenPhrases):
        self.texts, self.model = texts, model

    def __iter__(self) -> Iterator[list[str]]:
        return (apply_phrases(tokens, (self.model,)) for tokens in self.texts)


def count_pairs(texts: Iterable[list[str]], *, delimiter: str = DELIMITER,
                max_vocab_size: int = MAX_VOCAB_SIZE) -> tuple[dict[str, int], int]:
    """The word and adjacent-pair counts of gensim's ``Phrases._learn_vocab`` (no connector
    words): ``(vocab, total_words)``, equal counts in the same key order, pruned in the
    same way (as ``gensim.utils.prune_vocab`` does, after each text whenever more than
    ``max_vocab_size`` entries are held), with the counting done by ``Counter`` in C."""
    vocab: Counter[str] = Counter()
    total_words, min_reduce = 0, 1
    join = delimiter.join
    for text in texts:
        n = len(text)
        total_words += n
        if n > 1:
            # gensim's order of first sight: w1, w2, w1_w2, w3, w2_w3, ...
            seq: list[str] = [text[0]] * (2 * n - 1)
            seq[1::2] = text[1:]
            seq[2::2] = map(join, zip(text, text[1:]))
            vocab.update(seq)
        elif n:
            vocab[text[0]] += 1
        if len(vocab) > max_vocab_size:  # gensim.utils.prune_vocab: drop counts < min_reduce
            for word in [w for w, c in vocab.items() if c < min_reduce]:
                del vocab[word]  # in place: no second table of millions of entries
            min_reduce += 1
    return vocab, total_words


def export_phrases(vocab: dict[str, int], total_words: int, *, min_count: int,
                   threshold: float, scoring: str = "default",
                   delimiter: str = DELIMITER) -> dict[str, float]:
    """What gensim's ``Phrases.export_phrases`` returns for these counts (phrase -> score),
    scored by gensim itself; pairs seen fewer than ``min_count`` times are skipped up front
    when no scorer could pass them (both score them <= 0, or -inf, and the threshold is
    positive for "default")."""
    model = Phrases(None, min_count=min_count, threshold=threshold, scoring=scoring,
                    delimiter=delimiter)
    model.vocab, model.corpus_word_count = vocab, total_words
    skip_rare = scoring == "npmi" or threshold >= 0
    result = {}
    for token, count in vocab.items():
        if skip_rare and count < min_count or delimiter not in token:
            continue
        unigrams = token.split(delimiter)
        phrase, score = model.score_candidate(unigrams[0], unigrams[-1], unigrams[1:-1])
        if score is not None:
            result[phrase] = score
    return result


def _empty(**settings) -> FrozenPhrases:
    """A frozen model without phrases, with gensim's settings (``scoring`` a name)."""
    return Phrases(None, **settings).freeze()


def apply_phrases(tokens: list[str], models: Sequence[FrozenPhrases]) -> list[str]:
    """Join the learned phrases in one token list: what ``model[tokens]`` gives (left to
    right, a word joins the pair it starts when that pair scores above the threshold),
    without gensim's per-token generator when no adjacent pair is a phrase."""
    for model in models:
        tokens = _join_pairs(tokens, model.phrasegrams, model.threshold, model.delimiter)
    return tokens


def _join_pairs(tokens: list[str], grams: dict[str, float], threshold: float,
                delimiter: str) -> list[str]:
    if len(tokens) < 2 or not grams:
        return list(tokens)
    pairs = list(map(delimiter.join, zip(tokens, tokens[1:])))
    if grams.keys().isdisjoint(pairs):
        return list(tokens)
    out, i, n = [], 0, len(tokens)
    while i < n - 1:
        if grams.get(pairs[i], NEGATIVE_INFINITY) > threshold:
            out.append(pairs[i])
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    if i == n - 1:
        out.append(tokens[i])
    return out


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
