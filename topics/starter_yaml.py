"""The text of a starter config (``topics init``): every key commented from the schema.

Each key gets the one-line doc, the allowed values and the default of its schema field
(:mod:`topics.config`), and the corpus keys also say how they were guessed
(:class:`topics.starter.CorpusGuess`), so a wrong guess is easy to spot and fix.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from topics.checks import describe
from topics.config import SECTIONS
from topics.config_doc import yaml_value
from topics.starter import CorpusGuess, wrap_comment

WORDS_PER_CHUNK = 150  # a rough size of a paragraph chunk, to estimate how many there are
LONG_DOCUMENT_WORDS = 1000


def _entry(section: str, key: str, value: Any, note: str = "") -> list[str]:
    field = SECTIONS[section][key]
    axis = "; a list of such values is an axis of the grid" if section == "grid" else ""
    doc = field.doc[:1].upper() + field.doc[1:]
    about = (f"{doc}. Allowed: {describe(field.check)}{axis}; "
             f"default: {yaml_value(field.default)}.")
    lines = wrap_comment(about, "  ") + (wrap_comment(note, "  ") if note else [])
    return lines + [f"  {key}: {yaml_value(value)}"]


def _reason(guess: CorpusGuess, key: str, missing: str) -> str:
    why = guess.reasons.get(key)
    return f"Guessed: {why}." if why else missing


def _corpus_path_note(guess: CorpusGuess) -> str:
    if guess.format == "txt":
        note = f"Found {guess.documents} .txt files, {guess.mean_words:.0f} words on average"
        if guess.labels:
            shown = ", ".join(guess.labels[:8]) + (", ..." if len(guess.labels) > 8 else "")
            note += f"; their sub-folders become the `label` metadata ({shown})"
        return note + "."
    if guess.format == "octis":
        return "OCTIS's pre-tokenised corpus: tokenising and lemmatising are skipped."
    return (f"Found {guess.documents} rows, {guess.mean_words:.0f} words of text on average; "
            f"columns: {', '.join(guess.columns)}.")


def _table_columns(guess: CorpusGuess) -> list[str]:
    lines = _entry("corpus", "text_column", guess.text_column,
                   _reason(guess, "text", ""))
    lines += _entry("corpus", "id_column", guess.id_column, _reason(
        guess, "id", "No column named like an id with unique values: documents are numbered "
        "by row (0, 1, ...); name a column of unique ids here to keep your own."))
    lines += _entry("corpus", "title_column", guess.title_column or "title", _reason(
        guess, "title", "No title column found; titles make the report easier to read."))
    lines += _entry("corpus", "date_column", guess.date_column or "date", _reason(
        guess, "date", "No date column found; dates give the figures over time."))
    return lines


def _txt_columns(guess: CorpusGuess) -> list[str]:
    if guess.metadata:
        found = (f"Found {guess.metadata} in the folder (read by default); its columns: "
                 f"{', '.join(guess.columns)}.")
    else:
        found = ("No metadata.csv in the folder: a CSV with one row per file (a `file` "
                 "column, then title, date, ...) adds metadata.")
    lines = _entry("corpus", "metadata", None, found)
    lines += _entry("corpus", "metadata_key", guess.metadata_key or "file",
                    _reason(guess, "metadata_key", ""))
    lines += _entry("corpus", "title_column", guess.title_column or "title", _reason(
        guess, "title", "A column of the metadata CSV; without one, a document's title is "
        "its first line."))
    lines += _entry("corpus", "date_column", guess.date_column or "date", _reason(
        guess, "date", "A column of the metadata CSV; no date column found."))
    return lines


def _corpus(guess: CorpusGuess, config_path: Path) -> list[str]:
    path = Path(os.path.relpath(guess.path, config_path.parent)).as_posix()
    lines = ["corpus:"] + _entry("corpus", "path", path, _corpus_path_note(guess))
    lines += _entry("corpus", "format", guess.format,
                    f"Guessed from the {'folder' if guess.path.is_dir() else 'extension'}.")
    if guess.format in ("csv", "jsonl", "parquet"):
        lines += _table_columns(guess)
    elif guess.format == "txt":
        lines += _txt_columns(guess)
    return lines + _entry("corpus", "encoding_errors", "replace")


def _units(guess: CorpusGuess, segment: bool) -> int:
    if not segment:
        return guess.documents
    return int(guess.documents * max(1.0, guess.mean_words / WORDS_PER_CHUNK))


def _preprocess(guess: CorpusGuess) -> tuple[list[str], bool]:
    segment = (guess.format != "octis" and guess.mean_words > LONG_DOCUMENT_WORDS
               and guess.documents < 5000)
    note = (f"Documents are long ({guess.mean_words:.0f} words on average): topics are "
            "found in their paragraphs, which figures and themes fold back to documents."
            if segment else "Documents are short enough to model whole.")
    lines = ["preprocess:"] + _entry("preprocess", "segment", "paragraph" if segment else False,
                                     note)
    lines += _entry("preprocess", "lemmatize", True)
    lines += _entry("preprocess", "phrases", True)
    lines += _entry("preprocess", "extra_stopwords", [],
                    "Words of no interest in this corpus, e.g. [said, also].")
    lines += _entry("preprocess", "no_below", 2)
    lines += _entry("preprocess", "no_above", 0.5)
    return lines, segment


def _grid(guess: CorpusGuess, segment: bool) -> list[str]:
    units = _units(guess, segment)
    ks = [k for k in (5, 10, 20) if k <= units // 2] or [max(2, min(5, units // 2))]
    lines = ["grid:"] + _entry("grid", "engine", "dmm",
                               "dmm: one topic per document, the best class recovery in "
                               "bench/generalise.py; tomotopy (LDA) for mixtures of topics.")
    lines += _entry("grid", "num_topics", ks, f"Chosen for about {units} documents"
                    f"{' (paragraph chunks)' if segment else ''}; try more once it runs.")
    return lines + _entry("grid", "seeds", [0], "More seeds, e.g. [0, 1, 2], measure "
                          "stability across seeds.")


def _rest() -> list[str]:
    lines = ["scoring:"] + _entry("scoring", "measures", ["c_v", "c_npmi", "c_uci", "u_mass"])
    lines += _entry("scoring", "topn", 10)
    lines += ["", "topwords:"] + _entry("topwords", "method", "relevance")
    lines += _entry("topwords", "lambda", 0.6)
    lines += ["", "runner:"] + _entry("runner", "n_jobs", None)
    lines += ["", "output:"] + _entry("output", "dir", None)
    lines += _entry("output", "ldavis", True)
    lines += _entry("output", "report", True)
    return lines


THEMES = """\
# Themes: theme name -> seed words or phrases looked for in every run (or the path of a YAML
# file holding them).  Seeds go through the corpus's preprocessing; a theme none of whose
# words is in the vocabulary is an error.  For example:
#   themes:
#     economy: [inflation, unemployment, interest rate]
#     health: [hospital, vaccine, public health]
themes: {}"""


def starter_config(guess: CorpusGuess, *, config_path: Path) -> str:
    """The YAML text of the starter config for ``guess``, to be saved at ``config_path``."""
    name = guess.path.name if guess.path.is_dir() else guess.path.stem
    preprocess, segment = _preprocess(guess)
    head = [
        f"# Starter config for {guess.path.name}, written by `topics init`.",
        "# Every key is commented: what it means, what else it can be, and for the corpus how",
        "# it was guessed.  Fix what is wrong, then check the corpus and run:",
        f"#   topics preprocess {config_path.name}   # read + preprocess, print statistics",
        f"#   topics run {config_path.name}          # train the grid, score, write the report",
        "# Every key, with types and defaults: docs/config.md.  Relative paths are relative to",
        "# this file.", "",
        *wrap_comment("Experiment name; the experiment folder is runs/<name> unless "
                      "output.dir says otherwise."),
        f"name: {yaml_value(name)}", ""]
    body = [*_corpus(guess, config_path), "", *preprocess, "", *_grid(guess, segment), "",
            *_rest(), "", THEMES]
    return "\n".join(head + body) + "\n"
