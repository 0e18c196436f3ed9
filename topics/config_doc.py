"""The config reference, ``docs/config.md``, generated from the schema in :mod:`topics.config`.

Every key of every section with its type and allowed values (each check describes itself,
see :func:`topics.checks.describe`), its default and its one-line doc.  Regenerate with::

    python -m topics.config_doc docs/config.md        # or: make docs

``tests/test_config_doc.py`` fails when the file and :func:`render_config_doc` disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from topics.checks import describe
from topics.config import SECTIONS, TOP_LEVEL, Field

#: Top-level keys that are not sections: (type and allowed values, default, meaning).
TOP_LEVEL_DOCS = {
    "name": ("string", "the config file's name without `.yaml`",
             "experiment name; the experiment folder defaults to `runs/<name>`"),
    "themes": ("mapping: theme name -> non-empty list of words or phrases; or the path of a "
               "YAML file holding that mapping (optionally under a `themes:` key)", "`{}`",
               "seed words of the themes looked for in every run (see the README, Themes)"),
}

#: One line per section, shown under its heading (a section missing here gets none).
SECTION_DOCS = {
    "corpus": "What to read: a folder of `.txt` files, a CSV/JSONL/Parquet table or OCTIS's "
              "TSV, and which columns hold the text, id, title and date; or a built-in "
              "dataset (`dataset: sotu`, see `topics datasets`) instead of all those.",
    "preprocess": "From raw text to tokens: normalisation, tokens, stopwords, lemmas, phrases, "
                  "paragraph segmentation, vocabulary filters, cache.",
    "grid": "The models to train.  Every key may be one value or a list; a list is an axis "
            "of the grid, which is the product of its axes times `seeds` (one seed or a list).  "
            "`null` means the engine's own default (README, Engines and defaults).",
    "scoring": "How every run is scored: coherence measures and top-N words, diversity, an "
               "optional reference corpus, held-out perplexity.",
    "topwords": "How top words are ranked everywhere (scores, figures, report).",
    "runner": "Where the runs execute.",
    "output": "What is written, and where.",
}

HEADER = """\
# Config reference

<!-- Generated from topics/config.py by `python -m topics.config_doc docs/config.md`
     (`make docs`); do not edit by hand: tests/test_config_doc.py compares the two. -->

A config is a YAML file (read with `yaml.safe_load`) holding the sections below; every key
is optional unless marked *required*.  Unknown keys, wrong types and out-of-range values
are errors naming the key path (`grid.num_topics[2]: expected an integer >= 2, got 'ten'`).
Relative paths (`corpus.path`, `corpus.metadata`, `scoring.reference`, `output.dir`, a
`themes:` file) are resolved against the config file's folder.  `topics run CONFIG --set
KEY=VALUE` overrides any key (`--set grid.num_topics=[5,10]`).  `topics init PATH` writes a
commented starter config for a corpus.
"""


def yaml_value(value: Any) -> str:
    """``value`` as written in a YAML config: ``null``, ``true``, ``[c_v, c_npmi]``, ``text``."""
    dumped = yaml.safe_dump([value], default_flow_style=True, width=10_000,
                            allow_unicode=True).strip()
    return dumped[1:-1]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _default(key: str, field: Field) -> str:
    if key == "path" and field.default is None:
        return "*required* (unless `corpus.dataset`)"
    return f"`{_cell(yaml_value(field.default))}`"


def _section(name: str, fields: dict[str, Field]) -> list[str]:
    lines = [f"## `{name}`", ""]
    if SECTION_DOCS.get(name):
        lines += [SECTION_DOCS[name], ""]
    lines += ["| key | type and allowed values | default | meaning |", "|---|---|---|---|"]
    for key, field in fields.items():
        lines.append(f"| `{name}.{key}` | {_cell(describe(field.check))} | "
                     f"{_default(key, field)} | {_cell(field.doc)} |")
    return lines + [""]


def render_config_doc() -> str:
    """The Markdown text of ``docs/config.md``."""
    lines = [HEADER, "## Top level", "",
             "| key | type and allowed values | default | meaning |", "|---|---|---|---|"]
    for key in TOP_LEVEL:
        if key in SECTIONS:
            lines.append(f"| `{key}` | section | | see [`{key}`](#{key}) |")
            continue
        if key not in TOP_LEVEL_DOCS:
            raise ValueError(f"top-level config key {key!r} has no entry in "
                             "topics.config_doc.TOP_LEVEL_DOCS")
        kind, default, meaning = TOP_LEVEL_DOCS[key]
        lines.append(f"| `{key}` | {_cell(kind)} | {default} | {_cell(meaning)} |")
    lines.append("")
    for name, fields in SECTIONS.items():
        lines += _section(name, fields)
    return "\n".join(lines).rstrip("\n") + "\n"


def write_config_doc(path: str | Path) -> Path:
    """Write :func:`render_config_doc` to ``path`` (atomically)."""
    from topics.atomic import write_atomic

    path = Path(path)
    write_atomic(path, render_config_doc())
    return path


def main(argv: list[str] | None = None) -> int:
    """``python -m topics.config_doc PATH``: write the config reference to PATH."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m topics.config_doc docs/config.md\n")
        return 2
    write_config_doc(args[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
