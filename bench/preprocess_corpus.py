"""The corpus of ``bench/preprocess.py``: real paragraphs, then documents made of real
sentences with a vocabulary that keeps growing (see ``build_documents``)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from topics.documents import Document

#: Sentences per made document, drawn uniformly from this range.
SENTENCES = (1, 5)
#: Share of a made document's words replaced by made-up names.
NEW_WORD_RATE = 0.03
#: The names drawn by a Zipf law (exponent ``ZIPF_S``) over the first ``K n^BETA`` names
#: after ``n`` draws (Heaps' law), so new ones keep appearing.
ZIPF_S, HEAPS_K, HEAPS_BETA = 1.07, 3.5, 0.85
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_LETTERS = "bcdfghjklmnpqrstvwxz"


def name(i: int) -> str:
    """Made-up name ``i``: 'Qa' then the base-20 digits of i as consonants ('Qab', ...)."""
    out = []
    while True:
        i, r = divmod(i, len(_LETTERS))
        out.append(_LETTERS[r])
        if not i:
            return "Qa" + "".join(reversed(out))


def real_paragraphs(bbc: Path) -> list[Document]:
    """Every distinct paragraph of the BBC articles and of the State of the Union addresses,
    one document each, in reading order (a repeated paragraph is kept once)."""
    from topics.datasets import read_dataset
    from topics.io import read_documents
    from topics.preprocess import split_paragraphs

    sources = [("bbc", read_documents(bbc)[0]), ("sotu", read_dataset("sotu")[0])]
    seen: set[str] = set()
    out = []
    for source, documents in sources:
        for doc in documents:
            for k, paragraph in enumerate(split_paragraphs(doc.text)):
                if paragraph not in seen:
                    seen.add(paragraph)
                    out.append(Document(id=f"{source}/{doc.id}#{k}", text=paragraph))
    return out


def _zipf_rank(rng: np.random.Generator, vocab: int) -> int:
    """One Zipf-distributed rank in [0, vocab) (inverse CDF of the power law)."""
    top = float(vocab) ** (1 - ZIPF_S)
    rank = int(((top - 1) * rng.random() + 1) ** (1 / (1 - ZIPF_S))) - 1
    return min(max(rank, 0), vocab - 1)


def made_documents(paragraphs: list[Document], n_docs: int, seen: set[str], *,
                   seed: int = 0) -> list[Document]:
    """``n_docs`` documents of 1-5 sentences drawn at random from ``paragraphs``, with
    ``NEW_WORD_RATE`` of their words replaced by made-up names (Zipf over a Heaps'-law
    vocabulary); a text already in ``seen`` is drawn again."""
    rng = np.random.default_rng(seed)
    sentences = [s for p in paragraphs for s in _SENTENCE_END.split(p.text)
                 if len(s.split()) >= 3]
    out, draws = [], 0
    while len(out) < n_docs:
        picks = rng.integers(0, len(sentences), size=rng.integers(*SENTENCES, endpoint=True))
        words = " ".join(sentences[i] for i in picks).split(" ")
        for j in np.flatnonzero(rng.random(len(words)) < NEW_WORD_RATE):
            draws += 1
            words[j] = name(_zipf_rank(rng, int(HEAPS_K * draws ** HEAPS_BETA) + 1))
        text = " ".join(words)
        if text not in seen:
            seen.add(text)
            out.append(Document(id=f"made/{len(out)}", text=text))
    return out


def build_documents(bbc: Path, n_docs: int, *, seed: int = 0) -> list[Document]:
    """The first ``n_docs`` documents of: every distinct real paragraph (BBC, then the State
    of the Union), then made documents (``made_documents``) up to ``n_docs``."""
    real = real_paragraphs(bbc)[:n_docs]
    seen = {d.text for d in real}
    return real + made_documents(real, n_docs - len(real), seen, seed=seed)
