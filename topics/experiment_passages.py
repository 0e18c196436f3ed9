"""Passages as evidence: the raw texts of an experiment's documents, the passages that carry a
theme most (:func:`passages`), and highlight spans for the reading page.

Texts are read again from the configured corpus (the cache keeps tokens, not text), with the
same debris removal and segmentation as the corpus, so a chunk's text is the text it was
modelled from; a warning says when the files changed since.  A *passage* is a paragraph
chunk of a chunked corpus, else a sentence.  Its score is the theme rate of
:mod:`topics.themes.scores` on the passage: ``(n + s*M) / (N + s)`` with ``n`` of its ``N``
vocabulary tokens the theme's, ``M`` the model's theme mass of the chunk (of the document, for
sentences) averaged over the runs, shown as a lift over the corpus mean rate of documents.
Only passages that use the theme's words are passages of it.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from topics.errors import ConfigError
from topics.experiment_themes import select_runs

if TYPE_CHECKING:  # pragma: no cover
    from topics.experiment import Experiment

log = logging.getLogger(__name__)

SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(\[]?[A-Z0-9])")
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
COLUMNS = ["document", "passage", "score", "count", "words", "text"]


def read_texts(exp: Experiment) -> dict[str, str]:
    """Document id (and chunk id, for chunked corpora) -> the text the corpus was built from."""
    from topics.corpus import corpus_hash
    from topics.preprocess import remove_debris, segment_documents

    c = exp.config.get("corpus") or {}  # as resolved when the experiment ran (absolute paths)
    if c.get("dataset"):
        from topics.datasets import read_dataset

        documents, _ = read_dataset(c["dataset"])
    else:
        from topics.io import read_documents

        keys = ("format", "text_column", "id_column", "title_column", "date_column",
                "metadata", "metadata_key", "encoding_errors")
        documents, _ = read_documents(c["path"], **{k: c[k] for k in keys if k in c})
    if exp.corpus.content_hash and corpus_hash(documents) != exp.corpus.content_hash:
        log.warning("the corpus at %s changed since the experiment ran: passages may not "
                    "match the model", c.get("path") or c.get("dataset"))
    options = exp.corpus.stats.get("options", {})
    if options.get("debris") is True:
        documents, _ = remove_debris(documents)
    texts = {d.id: d.text for d in documents}
    if options.get("segment") == "paragraph":
        for chunk in segment_documents(documents, min_words=options["chunk_min_words"],
                                       max_words=options["chunk_max_words"]):
            texts[chunk.id] = chunk.text
    return texts


def _units(exp: Experiment, theme_counts: pd.Series, document: Any) -> list[tuple]:
    """(document, passage id, text, tokens or None, model key) of the candidate passages."""
    texts = exp.document_texts()
    meta = exp.documents()
    if "parent_id" in meta.columns:
        position = {d: i for i, d in enumerate(exp.corpus.doc_ids)}
        parents = meta["parent_id"]
        return [(parents[c], c, texts.get(c, ""), exp.corpus.texts[position[c]], c)
                for c in meta.index
                if (document is None or parents[c] == document) and theme_counts.get(c, 0) > 0]
    out = []
    for doc in meta.index:
        if (document is None or doc == document) and theme_counts.get(doc, 0) > 0:
            for i, sentence in enumerate(SENTENCE.split(texts.get(doc, ""))):
                out.append((doc, f"{doc}:{i}", sentence.strip(), None, doc))
    return out


def passages(exp: Experiment, theme: str, *, document: Any = None, n: int = 5,
             runs: Any = None, smoothing: float) -> pd.DataFrame:
    """The ``n`` passages carrying ``theme`` most (see the module doc), strongest first:
    ``document, passage, score, count`` (theme tokens), ``words`` (``word xN, ...``) and
    ``text``.  ``document`` limits them to one document."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ConfigError("n", f"expected an integer >= 1, got {n!r}")
    chosen = select_runs(exp, runs)
    first = exp.run_themes(chosen[0], fold=False, smoothing=smoothing)
    if theme not in first.counts.columns:
        raise ConfigError("theme", f"no theme {theme!r}; themes: {', '.join(first.counts)}")
    if document is not None and document not in set(exp.run_themes(chosen[0]).counts.index):
        raise ConfigError("document", f"no scored document {document!r}")
    words = set(first.resolved[theme].words)
    vocab = exp.corpus.dictionary.token2id
    mass = np.mean([exp.run_themes(r, fold=False, smoothing=smoothing).mass[theme]
                    for r in chosen], axis=0)
    mass = pd.Series(mass, index=first.mass.index)
    scale = float(np.mean([exp.run_themes(r, smoothing=smoothing).rates[theme].mean()
                           for r in chosen]))
    rows = []
    for doc, pid, text, tokens, key in _units(exp, first.counts[theme], document):
        if tokens is None:
            tokens = [t for t in exp.corpus.transform_text(text) if t in vocab]
        used = Counter(t for t in tokens if t in words)
        if not used:
            continue
        count = sum(used.values())
        rate = (count + smoothing * mass[key]) / (len(tokens) + smoothing)
        rows.append((doc, pid, rate / scale if scale > 0 else 0.0, count,
                     ", ".join(f"{w} x{c}" for w, c in used.most_common()), text))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame = frame.sort_values(["score", "count"], ascending=False, kind="stable")
    return frame.head(n).reset_index(drop=True)


def highlight(exp: Experiment, text: str, theme_words: dict[str, set]) -> list[tuple]:
    """``text`` as spans ``(piece, theme or None)``: each word (and each pair of words the
    phrase model joins) whose token is a theme word is marked with its theme."""
    cache: dict[str, list[str]] = {}

    def transform(piece: str) -> list[str]:
        if piece not in cache:
            cache[piece] = exp.corpus.transform_text(piece)
        return cache[piece]

    owner = {w: t for t, ws in theme_words.items() for w in ws}
    words = list(WORD.finditer(text))
    mark: dict[int, str] = {}
    for i, m in enumerate(words):
        if i + 1 < len(words) and text[m.end():words[i + 1].start()].strip() == "":
            pair = transform(f"{m.group()} {words[i + 1].group()}")
            if len(pair) == 1 and "_" in pair[0] and pair[0] in owner:  # a joined phrase
                mark[i] = mark[i + 1] = owner[pair[0]]
        if i not in mark:
            token = transform(m.group())
            if len(token) == 1 and token[0] in owner:
                mark[i] = owner[token[0]]
    spans, at = [], 0
    for i, m in enumerate(words):
        if i in mark:
            spans += [(text[at:m.start()], None), (m.group(), mark[i])]
            at = m.end()
    spans.append((text[at:], None))
    return [s for s in spans if s[0]]
