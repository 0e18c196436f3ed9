"""The ``Corpus``: document ids and metadata, token lists, a gensim ``Dictionary`` and the
bag-of-words, with their on-disk form (read by the runner's worker processes).

A saved corpus is a folder of plain files, written atomically (temporary folder, then rename):

- ``corpus.json``: format version, cache key, number of documents
- ``docs.json``: ``[{"id": ..., "meta": {...}}, ...]`` in corpus order
- ``texts.jsonl``: one document per line, its tokens as a JSON list of strings
- ``dictionary.json``: the ``Dictionary`` (``topics.corpus_texts.load_dictionary``; JSON, not
  gensim's pickle)
- ``bow.mm`` (+ ``bow.mm.index``): the bag-of-words in Matrix Market, the bytes of gensim's
  ``MmCorpus.serialize`` (``topics.corpus_mm``; the index is a pickle, as gensim's: only
  training workers open it, for corpora too large for memory)
- ``stats.json``: what preprocessing did (see ``build_corpus``)
"""

from __future__ import annotations

import hashlib
import heapq
import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from topics.atomic import atomic_folder
from topics.corpus_mm import write_bow_mm
from topics.corpus_texts import (LazySequence, TextsFile, TextsWriter, TokenLines,
                                 check_dictionary, line_offsets, load_dictionary, save_dictionary)
from topics.errors import ConfigError, StoreError

logger = logging.getLogger(__name__)

# gensim is imported where it is used: a rerun with nothing to do only checks the files.
if TYPE_CHECKING:
    from gensim.corpora import Dictionary

FORMAT = 3  # 3: the dictionary in JSON (2: gensim's pickle)
DICTIONARY_FILE = "dictionary.json"
TEXTS_FILE = "texts.jsonl"
TOP_N = 20
PHRASE_DELIMITER = "_"


def doc2bow(token2id: dict[str, int], text: Iterable[str]) -> list[tuple[int, int]]:
    """``Dictionary.doc2bow(text)`` (words not in ``token2id`` skipped; (id, count) pairs in
    id order) with the counting done by ``collections.Counter`` in C, about 3x faster."""
    counts = Counter(map(token2id.get, text))
    counts.pop(None, None)
    return sorted(counts.items())


class BowView(LazySequence):
    """The bag-of-words of ``texts`` under ``dictionary``, computed per document on access
    (a gensim-compatible corpus that stores nothing); ``doc2bow`` gives each document."""

    def __init__(self, dictionary: Dictionary, texts: Sequence[list[str]]):
        self.dictionary = dictionary
        self.texts = texts

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, i):
        token2id = self.dictionary.token2id
        if isinstance(i, slice):
            return [doc2bow(token2id, t) for t in self.texts[i]]
        return doc2bow(token2id, self.texts[i])

    def __iter__(self) -> Iterator[list[tuple[int, int]]]:
        token2id = self.dictionary.token2id
        return (doc2bow(token2id, t) for t in self.texts)


@dataclass(frozen=True)
class Corpus:
    """A preprocessed corpus.  ``texts`` hold only dictionary words (a list, or a ``TextsFile``
    reading them from disk on access); ``bow[i]`` is ``dictionary.doc2bow(texts[i])``.  ``key`` is the cache key, ``content_hash`` the
    ``corpus_hash`` of the input documents, ``path`` the folder it is saved in (None if not
    saved), ``preprocessor`` the fitted transformation that made it, when known (see
    ``topics.preprocess``).  Equality compares all but ``dictionary`` (through ``bow``),
    ``path`` and ``preprocessor``."""

    doc_ids: list[str]
    meta: list[dict[str, Any]]
    texts: Sequence[list[str]]
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
        """The saved ``Dictionary`` (``load_dictionary(path)``), None if not saved."""
        return self._file(DICTIONARY_FILE)

    @property
    def texts_path(self) -> Path | None:
        """The token lists, one JSON list per line (``TokenLines(path)``), None if not saved."""
        return self._file(TEXTS_FILE)


def corpus_hash(documents: Iterable[Any]) -> str:
    """sha256 over the documents' ids, texts, pre-set tokens and metadata, in order (each
    part's UTF-8 length, then the part; the hash takes them in batches, the same digest)."""
    digest = hashlib.sha256()
    head = json.JSONEncoder(sort_keys=True, default=str).encode  # json.dumps' output
    batch: list[bytes] = []
    for doc in documents:
        tokens = None if doc.tokens is None else list(doc.tokens)
        for part in (head([doc.id, doc.meta, tokens]), doc.text):
            data = part.encode("utf-8", "surrogatepass")
            batch += (len(data).to_bytes(8, "little"), data)
        if len(batch) >= 4096:
            digest.update(b"".join(batch))
            batch.clear()
    digest.update(b"".join(batch))
    return digest.hexdigest()


def make_dictionary(texts: Iterable[list[str]]) -> Dictionary:
    """The same ``Dictionary`` as ``Dictionary(texts)`` (ids, ``dfs``, ``cfs``, ``num_docs``,
    ``num_pos``, ``num_nnz``) in one pass over ``texts`` (any iterable), with the counting
    done by ``collections.Counter`` (in C, about 3x faster).  Like gensim, new words get the
    next ids in sorted order per document."""
    token2id: dict[str, int] = {}
    dfs: Counter[str] = Counter()
    cfs: Counter[str] = Counter()
    num_docs = 0
    for text in texts:
        num_docs += 1
        unique = set(text)
        dfs.update(unique)
        cfs.update(text)
        new = unique.difference(token2id)
        if new:
            token2id.update(zip(sorted(new), range(len(token2id), len(token2id) + len(new))))
    from gensim.corpora import Dictionary

    dictionary = Dictionary()
    dictionary.token2id = token2id
    dictionary.dfs = {token2id[t]: n for t, n in dfs.items()}
    dictionary.cfs = {token2id[t]: n for t, n in cfs.items()}
    dictionary.num_docs = num_docs
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


def _top(counts: dict[str, int], phrases: bool) -> list[list[Any]]:
    items = ((w, n) for w, n in counts.items() if not phrases or PHRASE_DELIMITER in w)
    return [[w, n] for w, n in heapq.nsmallest(TOP_N, items, key=lambda x: (-x[1], x[0]))]


def _nonempty(texts: Iterable[list[str]], empty: list[int]) -> Iterator[list[str]]:
    for i, text in enumerate(texts):
        if text:
            yield text
        else:
            empty.append(i)


def _restrict(dictionary: Dictionary, texts: Iterable[list[str]], skip: set[int],
              emit, *, filtered: bool = True) -> list[int]:
    """Emit each text but those in ``skip`` with only dictionary words (sharing the
    dictionary's string objects; as they are when not ``filtered``: every word is in the
    dictionary, whose strings they share), unless left empty; fix the dictionary's document
    counters for the documents emitted.  Returns the indices left empty."""
    canonical = {token: token for token in dictionary.token2id}.get
    num_docs = 0
    emptied = []
    for i, text in enumerate(texts):
        if i in skip:
            continue
        if not filtered:
            emit(text)
            num_docs += 1
            continue
        kept = list(filter(None, map(canonical, text)))  # tokens are non-empty strings
        if not kept:
            emptied.append(i)
            continue
        emit(kept)
        num_docs += 1
    # every occurrence and every (document, word) pair of a kept word is in an emitted text
    dictionary.num_docs = num_docs
    dictionary.num_pos = sum(dictionary.cfs.values())
    dictionary.num_nnz = sum(dictionary.dfs.values())
    return emptied


def _stats(dictionary: Dictionary, report: Any, n_input: int, n_out: int,
           emptied_ids: list[str], n_empty_pre: int, before: tuple[int, int],
           extra_stats: dict | None) -> dict[str, Any]:
    rep = report.as_dict() if report is not None else {"read": n_input, "skipped": [], "repaired": []}
    counts = {w: dictionary.cfs[i] for w, i in dictionary.token2id.items()}
    return {
        "documents_read": rep["read"], "skipped": rep["skipped"], "repaired": rep["repaired"],
        "documents_in": n_input, "documents_out": n_out,
        "emptied_by_preprocessing": n_empty_pre,
        "emptied_by_filters": len(emptied_ids) - n_empty_pre,
        "emptied_ids": emptied_ids[:100],
        "tokens_before_filters": before[1], "tokens_after_filters": dictionary.num_pos,
        "vocabulary_before_filters": before[0], "vocabulary_after_filters": len(dictionary),
        "top_terms": _top(counts, False), "top_phrases": _top(counts, True),
        **(extra_stats or {}),
    }


def build_corpus(doc_ids: list[str], meta: list[dict[str, Any]], texts: Iterable[list[str]], *,
                 no_below: int = 1, no_above: float = 1.0, keep_n: int | None = None,
                 report: Any = None, key: str = "", content_hash: str = "",
                 extra_stats: dict | None = None, folder: str | Path | None = None,
                 dictionary: Dictionary | None = None) -> Corpus:
    """Build the Dictionary, apply the vocabulary filters, drop the documents left empty.

    ``texts`` (one token list per id, read twice: a list or a re-iterable such as
    ``TokenLines``) is not modified.  ``report`` is the reader's ``ReadReport`` (recorded in
    ``stats``).  ``stats`` records documents read/skipped (with reasons), emptied by
    preprocessing and by the filters, tokens and vocabulary size before/after the filters,
    and the top terms and phrases with their counts, plus ``extra_stats``.  With ``folder``
    (an existing empty folder) the corpus files are written there as the texts stream by,
    and the returned corpus reads its texts from disk (``path`` is ``folder``); otherwise
    they are kept in memory.  Raises ``ConfigError`` when no document is left, naming the
    filter responsible.  ``dictionary``, when the caller counted it already, is
    ``make_dictionary`` of the non-empty texts, built from the very string objects of
    ``texts`` (``topics.preprocess.counts``); it is filtered in place.
    """
    n_input = len(doc_ids)
    if not n_input:
        raise ConfigError("corpus.path", "no documents to preprocess")
    empty_pre: list[int] = []
    shared = dictionary is not None
    if shared:
        empty_pre = [i for i, text in enumerate(texts) if not text]
    else:
        dictionary = make_dictionary(_nonempty(texts, empty_pre))
    if not dictionary.num_docs:
        raise ConfigError("preprocess", f"all {n_input} documents are empty after tokenising, "
                          "stopwords and min_length: check the corpus and those options")
    vocab_before, tokens_before = len(dictionary), dictionary.num_pos
    _filter_dictionary(dictionary, no_below, no_above, keep_n)
    filtered = not shared or len(dictionary) < vocab_before
    if folder is None:
        kept: list[list[str]] = []
        empty_filters = _restrict(dictionary, texts, set(empty_pre), kept.append,
                                  filtered=filtered)
    else:
        folder = Path(folder)
        with TextsWriter(folder / TEXTS_FILE) as writer:
            empty_filters = _restrict(dictionary, texts, set(empty_pre), writer.write,
                                      filtered=filtered)
        kept = TextsFile(folder / TEXTS_FILE, dictionary, writer.offsets)
    dropped = set(empty_pre).union(empty_filters)
    emptied_ids = [doc_ids[i] for i in empty_pre] + [doc_ids[i] for i in empty_filters]
    stats = _stats(dictionary, report, n_input, len(kept), emptied_ids, len(empty_pre),
                   (vocab_before, tokens_before), extra_stats)
    logger.info("corpus: %d documents, %d words, %d tokens (%d documents emptied)",
                len(kept), len(dictionary), dictionary.num_pos, len(dropped))
    corpus = Corpus(doc_ids=[d for i, d in enumerate(doc_ids) if i not in dropped],
                    meta=[m for i, m in enumerate(meta) if i not in dropped], texts=kept,
                    dictionary=dictionary, bow=BowView(dictionary, kept), stats=stats, key=key,
                    content_hash=content_hash, path=folder)
    if folder is not None:
        _write_rest(corpus, folder)
    return corpus


def _write_json(path: Path, value: Any) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, default=str)


def _write_rest(corpus: Corpus, folder: Path) -> None:
    """Every corpus file but the texts."""
    save_dictionary(corpus.dictionary, folder / DICTIONARY_FILE)
    write_bow_mm(folder / "bow.mm", corpus.texts, corpus.dictionary.token2id,
                 num_terms=len(corpus.dictionary))  # what MmCorpus.serialize writes
    _write_json(folder / "docs.json", [{"id": i, "meta": m} for i, m in zip(corpus.doc_ids, corpus.meta)])
    _write_json(folder / "stats.json", corpus.stats)
    _write_json(folder / "corpus.json", {"format": FORMAT, "key": corpus.key,
                                         "content_hash": corpus.content_hash,
                                         "documents": len(corpus)})


def write_corpus_files(corpus: Corpus, folder: Path) -> None:
    """Write the corpus files into an existing (empty) ``folder``, not atomically."""
    with TextsWriter(folder / TEXTS_FILE) as writer:
        for text in corpus.texts:
            writer.write(text)
    _write_rest(corpus, folder)


def save_corpus(corpus: Corpus, folder: str | Path) -> Corpus:
    """Save ``corpus`` to ``folder`` atomically; returns it with ``path`` set to ``folder``."""
    folder = Path(folder)
    with atomic_folder(folder) as staged:
        write_corpus_files(corpus, staged)
    return replace(corpus, path=folder)


def _read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as err:
        raise StoreError(f"{path}: cannot read the saved corpus ({err})") from None


#: Corpora with at most this many tokens are trained from bags of words held in memory;
#: larger ones stream from the Matrix Market file on every pass.
IN_MEMORY_TOKENS = 5_000_000


def training_bows(corpus: Corpus, *, in_memory_tokens: int = IN_MEMORY_TOKENS) -> Sequence:
    """The bags of words to train on: a list in memory, or (more than ``in_memory_tokens``
    tokens and a saved corpus) gensim's ``MmCorpus`` streaming ``bow.mm``."""
    tokens = corpus.stats.get("tokens_after_filters", 0)
    if tokens > in_memory_tokens and corpus.mm_path is not None and corpus.mm_path.exists():
        from gensim.corpora import MmCorpus

        return MmCorpus(str(corpus.mm_path))
    return list(corpus.bow)


def check_corpus_files(folder: str | Path) -> None:
    """Raise StoreError naming the folder if a saved corpus's head is not of this format or
    its dictionary cannot be read (a cheap check: the texts and bags of words are not read)."""
    folder = Path(folder)
    head = _read_json(folder / "corpus.json")
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise StoreError(f"{folder}: corpus format, expected {FORMAT}")
    try:
        check_dictionary(folder / DICTIONARY_FILE)
    except (OSError, ValueError) as err:
        raise StoreError(f"{folder}: damaged saved corpus ({err!r})") from None


def load_corpus(folder: str | Path) -> Corpus:
    """Load a corpus saved by ``save_corpus``; its texts stay on disk (``TextsFile``: read on
    access, token strings shared with the dictionary)."""
    folder = Path(folder)
    head = _read_json(folder / "corpus.json")
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        found = head.get("format") if isinstance(head, dict) else None
        raise StoreError(f"{folder}: corpus format {found!r}, expected {FORMAT} (written by "
                         "another version of topics)")
    docs = _read_json(folder / "docs.json")
    if not isinstance(docs, list) or not all(
            isinstance(d, dict) and "id" in d and isinstance(d.get("meta"), dict) for d in docs):
        raise StoreError(f"{folder}: damaged saved corpus (docs.json)")
    try:
        dictionary = load_dictionary(folder / DICTIONARY_FILE)
        texts = TextsFile(folder / TEXTS_FILE, dictionary, line_offsets(folder / TEXTS_FILE))
    except (OSError, ValueError) as err:
        raise StoreError(f"{folder}: damaged saved corpus ({err!r})") from None
    if len(texts) != len(docs) or len(docs) != head.get("documents"):
        raise StoreError(f"{folder}: damaged saved corpus (document counts differ)")
    return Corpus(doc_ids=[d["id"] for d in docs], meta=[d["meta"] for d in docs], texts=texts,
                  dictionary=dictionary, bow=BowView(dictionary, texts),
                  stats=_read_json(folder / "stats.json"), key=head.get("key", ""),
                  content_hash=head.get("content_hash", ""), path=folder)
