"""The ``Corpus``: document ids and metadata, token lists, a gensim ``Dictionary`` and the
bag-of-words, with their on-disk form (read by the runner's worker processes).

A saved corpus is a folder of plain files, written atomically (temporary folder, then rename):

- ``corpus.json``: format version, cache key, number of documents
- ``docs.json``: ``[{"id": ..., "meta": {...}}, ...]`` in corpus order
- ``texts.txt``: one document per line, tokens separated by single spaces
- ``dictionary.gensim``: the ``Dictionary`` in gensim's own format (``Dictionary.load``)
- ``bow.mm`` (+ ``bow.mm.index``): the bag-of-words in Matrix Market (``MmCorpus``)
- ``stats.json``: what preprocessing did (see ``build_corpus``)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any

from gensim.corpora import Dictionary, MmCorpus

from topics.errors import ConfigError, StoreError

logger = logging.getLogger(__name__)

FORMAT = 1
TOP_N = 20
PHRASE_DELIMITER = "_"


class BowView(Sequence):
    """The bag-of-words of ``texts`` under ``dictionary``, computed per document on access
    (a gensim-compatible corpus that stores nothing)."""

    def __init__(self, dictionary: Dictionary, texts: Sequence[list[str]]):
        self.dictionary = dictionary
        self.texts = texts

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.dictionary.doc2bow(t) for t in self.texts[i]]
        return self.dictionary.doc2bow(self.texts[i])

    def __iter__(self) -> Iterator[list[tuple[int, int]]]:
        return (self.dictionary.doc2bow(t) for t in self.texts)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or len(other) != len(self):
            return False
        return all(a == b for a, b in zip(self, other))

    __hash__ = None


@dataclass(frozen=True)
class Corpus:
    """A preprocessed corpus.  ``texts`` hold only dictionary words; ``bow[i]`` is
    ``dictionary.doc2bow(texts[i])``.  ``key`` is the cache key, ``content_hash`` the
    ``corpus_hash`` of the input documents, ``path`` the folder it is saved in (None if not
    saved), ``preprocessor`` the fitted transformation that made it, when known (see
    ``topics.preprocess``).  Equality compares all but ``dictionary`` (through ``bow``),
    ``path`` and ``preprocessor``."""

    doc_ids: list[str]
    meta: list[dict[str, Any]]
    texts: list[list[str]]
    dictionary: Dictionary = field(compare=False, repr=False)
    bow: BowView = field(repr=False)
    stats: dict[str, Any] = field(repr=False)
    key: str = ""
    content_hash: str = ""
    path: Path | None = field(default=None, compare=False)
    preprocessor: Any = field(default=None, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.doc_ids)

    @property
    def vocab(self) -> dict[str, int]:
        """Word -> id in ``dictionary``."""
        return self.dictionary.token2id

    def transform_text(self, text: str) -> list[str]:
        """``text`` through the same fitted preprocessing (phrases included) as the corpus."""
        if self.preprocessor is None:
            raise ValueError("this Corpus has no preprocessor: build it with "
                             "topics.preprocess.prepare_corpus")
        return self.preprocessor.transform_text(text)

    def _file(self, name: str) -> Path | None:
        return None if self.path is None else self.path / name

    @property
    def mm_path(self) -> Path | None:
        """The Matrix Market bag-of-words file (``MmCorpus(path)``), None if not saved."""
        return self._file("bow.mm")

    @property
    def dictionary_path(self) -> Path | None:
        """The saved ``Dictionary`` (``Dictionary.load(path)``), None if not saved."""
        return self._file("dictionary.gensim")

    @property
    def texts_path(self) -> Path | None:
        """The token lists, one document per line, None if not saved."""
        return self._file("texts.txt")


def corpus_hash(documents: Iterable[Any]) -> str:
    """sha256 over the documents' ids, texts, pre-set tokens and metadata, in order."""
    digest = hashlib.sha256()
    for doc in documents:
        tokens = None if doc.tokens is None else list(doc.tokens)
        head = json.dumps([doc.id, doc.meta, tokens], sort_keys=True, default=str)
        for part in (head, doc.text):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
    return digest.hexdigest()


def make_dictionary(texts: Sequence[list[str]]) -> Dictionary:
    """The same ``Dictionary`` as ``Dictionary(texts)`` (ids, ``dfs``, ``cfs``, ``num_docs``,
    ``num_pos``, ``num_nnz``), with the counting done by ``collections.Counter`` (in C, about
    3x faster).  Like gensim, new words get the next ids in sorted order per document."""
    token2id: dict[str, int] = {}
    dfs: Counter[str] = Counter()
    for text in texts:
        unique = set(text)
        dfs.update(unique)
        new = unique.difference(token2id)
        if new:
            token2id.update(zip(sorted(new), range(len(token2id), len(token2id) + len(new))))
    cfs = Counter(chain.from_iterable(texts))
    dictionary = Dictionary()
    dictionary.token2id = token2id
    dictionary.dfs = {token2id[t]: n for t, n in dfs.items()}
    dictionary.cfs = {token2id[t]: n for t, n in cfs.items()}
    dictionary.num_docs = len(texts)
    dictionary.num_pos = cfs.total()
    dictionary.num_nnz = dfs.total()
    return dictionary


def _filter_dictionary(dictionary: Dictionary, no_below: int, no_above: float,
                       keep_n: int | None) -> None:
    """Apply the three filters one at a time so that an emptied vocabulary names its filter."""
    steps = (("no_below", no_below, no_below > 1, dict(no_below=no_below, no_above=1.0, keep_n=None)),
             ("no_above", no_above, no_above < 1, dict(no_below=1, no_above=no_above, keep_n=None)),
             ("keep_n", keep_n, keep_n is not None, dict(no_below=1, no_above=1.0, keep_n=keep_n)))
    for name, value, active, kwargs in steps:
        if not active:
            continue
        before = len(dictionary)
        dictionary.filter_extremes(**kwargs)
        if not dictionary:
            raise ConfigError(
                f"preprocess.{name}",
                f"{name}={value} removes every word ({before} words over {dictionary.num_docs} "
                "documents): the corpus would be empty; relax it")


def _top(dictionary: Dictionary, phrases: bool) -> list[list[Any]]:
    items = ((dictionary[i], n) for i, n in dictionary.cfs.items()
             if not phrases or PHRASE_DELIMITER in dictionary[i])
    return [[w, n] for w, n in sorted(items, key=lambda x: (-x[1], x[0]))[:TOP_N]]


def _drop_empty(doc_ids, meta, texts) -> tuple[list, list, list, list[str]]:
    keep = [i for i, t in enumerate(texts) if t]
    emptied = [doc_ids[i] for i in range(len(texts)) if not texts[i]]
    return [doc_ids[i] for i in keep], [meta[i] for i in keep], [texts[i] for i in keep], emptied


def _restrict_texts(dictionary: Dictionary, texts: list[list[str]]) -> None:
    """Keep only dictionary words, in place, sharing the dictionary's string objects; fix the
    dictionary's document counters for the documents that are left."""
    canon = {token: token for token in dictionary.token2id}
    num_docs = num_pos = num_nnz = 0
    for i, text in enumerate(texts):
        texts[i] = kept = [canon[t] for t in text if t in canon]
        if kept:
            num_docs += 1
            num_pos += len(kept)
            num_nnz += len(set(kept))
    dictionary.num_docs, dictionary.num_pos, dictionary.num_nnz = num_docs, num_pos, num_nnz


def build_corpus(doc_ids: list[str], meta: list[dict[str, Any]], texts: list[list[str]], *,
                 no_below: int = 1, no_above: float = 1.0, keep_n: int | None = None,
                 report: Any = None, key: str = "", content_hash: str = "",
                 extra_stats: dict | None = None) -> Corpus:
    """Build the Dictionary, apply the vocabulary filters, drop the documents left empty.

    ``texts`` is consumed (filtered in place).  ``report`` is the reader's ``ReadReport``.
    ``stats`` records documents read/skipped (with reasons), emptied by preprocessing and by
    the filters, tokens and vocabulary size before/after the filters, and the top terms and
    phrases with their counts, plus ``extra_stats``.  Raises ``ConfigError`` when no document
    is left, naming the filter responsible.
    """
    if not texts:
        raise ConfigError("corpus.path", "no documents to preprocess")
    n_input = len(texts)
    doc_ids, meta, texts, empty_pre = _drop_empty(doc_ids, meta, texts)
    if not texts:
        raise ConfigError("preprocess", f"all {n_input} documents are empty after tokenising, "
                          "stopwords and min_length: check the corpus and those options")
    dictionary = make_dictionary(texts)
    vocab_before, tokens_before = len(dictionary), dictionary.num_pos
    _filter_dictionary(dictionary, no_below, no_above, keep_n)
    if len(dictionary) < vocab_before:
        _restrict_texts(dictionary, texts)
    doc_ids, meta, texts, empty_filters = _drop_empty(doc_ids, meta, texts)
    rep = report.as_dict() if report is not None else {"read": n_input, "skipped": [], "repaired": []}
    stats = {
        "documents_read": rep["read"], "skipped": rep["skipped"], "repaired": rep["repaired"],
        "documents_in": n_input, "documents_out": len(texts),
        "emptied_by_preprocessing": len(empty_pre), "emptied_by_filters": len(empty_filters),
        "emptied_ids": (empty_pre + empty_filters)[:100],
        "tokens_before_filters": tokens_before, "tokens_after_filters": dictionary.num_pos,
        "vocabulary_before_filters": vocab_before, "vocabulary_after_filters": len(dictionary),
        "top_terms": _top(dictionary, False), "top_phrases": _top(dictionary, True),
        **(extra_stats or {}),
    }
    logger.info("corpus: %d documents, %d words, %d tokens (%d documents emptied)",
                len(texts), len(dictionary), dictionary.num_pos, len(empty_pre) + len(empty_filters))
    return Corpus(doc_ids=doc_ids, meta=meta, texts=texts, dictionary=dictionary,
                  bow=BowView(dictionary, texts), stats=stats, key=key, content_hash=content_hash)


def _write_json(path: Path, value: Any) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, default=str)


def write_corpus_files(corpus: Corpus, folder: Path) -> None:
    """Write the corpus files into an existing (empty) ``folder``, not atomically."""
    corpus.dictionary.save(str(folder / "dictionary.gensim"))
    MmCorpus.serialize(str(folder / "bow.mm"), corpus.bow, id2word=corpus.dictionary)
    with open(folder / "texts.txt", "w", encoding="utf-8") as f:
        for text in corpus.texts:
            f.write(" ".join(text))
            f.write("\n")
    _write_json(folder / "docs.json", [{"id": i, "meta": m} for i, m in zip(corpus.doc_ids, corpus.meta)])
    _write_json(folder / "stats.json", corpus.stats)
    _write_json(folder / "corpus.json", {"format": FORMAT, "key": corpus.key,
                                         "content_hash": corpus.content_hash,
                                         "documents": len(corpus)})


def replace_folder(tmp: Path, folder: Path) -> None:
    """Move the finished folder ``tmp`` to ``folder``, replacing an older one."""
    if folder.exists():
        old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.old-"))
        os.replace(folder, old / "x")
        os.replace(tmp, folder)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, folder)


def save_corpus(corpus: Corpus, folder: str | Path) -> Corpus:
    """Save ``corpus`` to ``folder`` atomically; returns it with ``path`` set to ``folder``."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.tmp-"))
    try:
        write_corpus_files(corpus, tmp)
        replace_folder(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return replace(corpus, path=folder)


def _read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as err:
        raise StoreError(f"{path}: cannot read the saved corpus ({err})") from None


def load_corpus(folder: str | Path) -> Corpus:
    """Load a corpus saved by ``save_corpus`` (token strings shared with the dictionary)."""
    folder = Path(folder)
    head = _read_json(folder / "corpus.json")
    if head.get("format") != FORMAT:
        raise StoreError(f"{folder}: corpus format {head.get('format')!r}, expected {FORMAT}")
    docs = _read_json(folder / "docs.json")
    try:
        dictionary = Dictionary.load(str(folder / "dictionary.gensim"))
        canon = {token: token for token in dictionary.token2id}
        with open(folder / "texts.txt", encoding="utf-8") as f:
            texts = [[canon[t] for t in line.split()] for line in f]
    except (OSError, KeyError, ValueError) as err:
        raise StoreError(f"{folder}: damaged saved corpus ({err!r})") from None
    if len(texts) != len(docs) or len(docs) != head.get("documents"):
        raise StoreError(f"{folder}: damaged saved corpus (document counts differ)")
    return Corpus(doc_ids=[d["id"] for d in docs], meta=[d["meta"] for d in docs], texts=texts,
                  dictionary=dictionary, bow=BowView(dictionary, texts),
                  stats=_read_json(folder / "stats.json"), key=head.get("key", ""),
                  content_hash=head.get("content_hash", ""), path=folder)
