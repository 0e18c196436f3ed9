"""tomotopy's model families beyond LDA, behind the same matrices as the LDA engines.

* ``hdp`` - ``HDPModel``: the number of topics is inferred.  The output keeps the *live*
  topics (tomotopy's ``is_live_topic``), largest first, at most ``num_topics`` of them (the
  cap): ``topic_word`` and ``doc_topic`` have one row / column per kept topic (document rows
  renormalised over them), ``extras["topic_ids"]`` holds their tomotopy topic numbers and
  ``k_found`` (see :func:`engine_metrics`) the number of live topics before the cap.
* ``ctm`` - ``CTModel``: ``extras["correlations"]`` is the K x K correlation matrix of the
  topics' logistic-normal prior (tomotopy's ``get_correlations(k)`` per topic).
* ``pt`` - ``PTModel`` (pseudo-document topic model for short texts, Zuo et al. 2016).
* ``dmr`` - ``DMRModel``: each document's ``covariate`` field is its level; ``extras``
  holds ``levels`` and ``prevalence`` (levels x K: the topic prior of each level, scaled to
  sum to 1: the expected topic shares of a document of that level).
* ``dtm`` - ``DTModel`` over ``time_slices`` slices of the documents' ``date`` field
  (equal numbers of documents per slice, in date order; ISO dates sort as text).  ``extras``
  holds ``slice_start``/``slice_end`` (first and last date of each slice) and
  ``slice_topic_word`` (slices x K x V); ``topic_word`` is their mean weighted by the
  slices' document counts.

Documents without words are skipped by tomotopy and get the uniform row.  Word rows are
tomotopy's normalised distributions mapped to the dictionary's ids (a dictionary word the
training documents never used has weight 0).  Determinism: ``workers: 1`` trains on one
thread (``ParallelScheme.NONE``) and the same corpus, parameters and seed give identical
matrices; inference uses one thread and repeats too.  One exception measured with tomotopy
0.14: the word weights of the first ``DTModel`` trained in a process differ from those of
later identical ones in the last float32 digit (about 4e-9); the same run in two fresh
processes is identical, and document rows always are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import tomotopy as tp

from topics.engines.base import bow_words, normalise_rows
from topics.errors import ConfigError, InputError

MODEL_FILE = "model.tomotopy"
DEFAULT_INFER_ITERATIONS = 100
CLASSES = {"hdp": tp.HDPModel, "ctm": tp.CTModel, "pt": tp.PTModel, "dmr": tp.DMRModel,
           "dtm": tp.DTModel}


def _new_model(engine: str, params: dict[str, Any], num_slices: int):
    k, seed = params["num_topics"], params["seed"]
    alpha, eta = params["alpha"], params["eta"]
    if engine == "hdp":
        return tp.HDPModel(initial_k=2, alpha=alpha, eta=eta, gamma=0.1, seed=seed)
    if engine == "ctm":
        return tp.CTModel(k=k, smoothing_alpha=alpha, eta=eta, seed=seed)
    if engine == "pt":
        return tp.PTModel(k=k, p=params["pseudo_docs"], alpha=alpha, eta=eta, seed=seed)
    if engine == "dmr":
        return tp.DMRModel(k=k, alpha=alpha, eta=eta, sigma=1.0, seed=seed)
    # SGLD step size a = 0.1, not tomotopy's 0.01: on small test corpora 0.01 left the
    # topics of later slices mixed after 1,000 sweeps, 0.1 separated them in 200
    return tp.DTModel(k=k, t=num_slices, alpha_var=alpha, eta_var=eta, phi_var=0.1,
                      lr_a=0.1, seed=seed)


def field_values(engine: str, params: dict[str, Any], metadata: Sequence[Mapping] | None,
                 n_docs: int) -> list[str] | None:
    """Each document's level (``dmr``) or date (``dtm``); None for the other engines.
    Raises InputError naming the field when a document lacks it."""
    if engine not in ("dmr", "dtm"):
        return None
    field = params["covariate"] if engine == "dmr" else "date"
    metadata = list(metadata) if metadata is not None else [{}] * n_docs
    values = []
    for row, meta in enumerate(metadata):
        value = meta.get(field)
        if value is None or value == "":
            raise InputError("corpus", f"engine {engine!r} needs the {field!r} field of every "
                                       "document; this one has none", row=row)
        values.append(str(value))
    return values


def time_slices(dates: Sequence[str], num_slices: int) -> tuple[list[int], list[str], list[str]]:
    """Slice of each document (about equal document counts, in date order; one date is never
    split) and each slice's first and last date; empty slices are dropped."""
    order = sorted(range(len(dates)), key=lambda i: dates[i])
    first: dict[str, int] = {}
    for position, i in enumerate(order):
        first.setdefault(dates[i], position)
    raw = {date: position * num_slices // len(dates) for date, position in first.items()}
    renumber = {s: t for t, s in enumerate(sorted(set(raw.values())))}
    slices = [renumber[raw[date]] for date in dates]
    starts, ends = [""] * len(renumber), [""] * len(renumber)
    for date, t in sorted(zip(dates, slices)):
        starts[t] = starts[t] or date
        ends[t] = date
    return slices, starts, ends


def train(*, engine: str, vocab: Sequence[str], corpus: Iterable, params: dict[str, Any],
          metadata: Sequence[Mapping] | None) -> tuple[Any, np.ndarray, np.ndarray, dict]:
    """Train one family model: (native, K x V topic-word, D x K doc-topic, extras)."""
    bows = list(corpus)
    values = field_values(engine, params, metadata, len(bows))
    extras: dict[str, np.ndarray] = {}
    slices = None
    if engine == "dtm":
        slices, starts, ends = time_slices(values, params["time_slices"])
        extras.update(slice_start=np.array(starts), slice_end=np.array(ends))
    model = _new_model(engine, params, num_slices=len(extras.get("slice_start", [1])))
    slots = _add_docs(model, engine, bows, vocab, values, slices)
    if "optim_interval" in params:
        model.optim_interval = params["optim_interval"]
    model.burn_in = params["burn_in"] if "burn_in" in params else 0
    model.train(params["iterations"], workers=params["workers"],
                parallel=tp.ParallelScheme.NONE if params["workers"] == 1
                else tp.ParallelScheme.PARTITION)
    topics = _kept_topics(model, engine, params["num_topics"])
    extras.update(_family_extras(model, engine, topics, vocab, slices))
    if engine == "dtm":
        counts = np.bincount(slices, minlength=len(extras["slice_start"])).astype(float)
        topic_word = normalise_rows(np.tensordot(counts, extras["slice_topic_word"], axes=1))
    else:
        topic_word = _word_rows(model, vocab, topics)
    return model, topic_word, _doc_rows(model, slots, topics), extras


def _add_docs(model, engine: str, bows: list, vocab: Sequence[str],
              values: list[str] | None, slices: list[int] | None) -> list[int | None]:
    slots: list[int | None] = []
    added = 0
    for row, bow in enumerate(bows):
        words = bow_words(bow, vocab, row=row)
        options = ({"metadata": values[row]} if engine == "dmr" else
                   {"timepoint": slices[row]} if engine == "dtm" else {})
        if not words or model.add_doc(words, **options) is None:
            slots.append(None)
        else:
            slots.append(added)
            added += 1
    if added == 0:
        raise InputError("corpus", "no document has a word of the dictionary")
    return slots


def _kept_topics(model, engine: str, cap: int) -> list[int]:
    if engine != "hdp":
        return list(range(model.k))
    sizes = model.get_count_by_topics()
    live = [k for k in range(model.k) if model.is_live_topic(k)]
    return sorted(sorted(live, key=lambda k: -int(sizes[k]))[:cap])


def _word_rows(model, vocab: Sequence[str], topics: list[int], **options) -> np.ndarray:
    index = {word: i for i, word in enumerate(vocab)}
    columns = np.array([index[word] for word in model.used_vocabs], dtype=np.int64)
    rows = np.zeros((len(topics), len(vocab)))
    for row, topic in enumerate(topics):
        rows[row, columns] = model.get_topic_word_dist(topic, **options)
    return normalise_rows(rows)


def _doc_rows(model, slots: list[int | None], topics: list[int]) -> np.ndarray:
    rows = np.zeros((len(slots), len(topics)))
    docs = list(model.docs)
    for row, slot in enumerate(slots):
        if slot is not None:
            rows[row] = np.asarray(docs[slot].get_topic_dist())[topics]
    return normalise_rows(rows)


def _family_extras(model, engine: str, topics: list[int], vocab: Sequence[str],
                   slices: list[int] | None) -> dict[str, np.ndarray]:
    if engine == "hdp":
        return {"topic_ids": np.array(topics, dtype=np.int64),
                "k_found": np.array(sum(model.is_live_topic(k) for k in range(model.k)))}
    if engine == "ctm":  # tomotopy 0.14's get_correlations() without a topic is garbage
        return {"correlations": np.array([model.get_correlations(k) for k in topics],
                                         dtype=np.float64)}
    if engine == "dmr":
        levels = list(model.metadata_dict)
        prior = np.array([model.get_topic_prior(metadata=level) for level in levels])
        return {"levels": np.array(levels), "prevalence": normalise_rows(prior)}
    if engine == "dtm":
        return {"slice_topic_word": np.stack([
            _word_rows(model, vocab, topics, timepoint=t) for t in range(model.num_timepoints)])}
    return {}


def infer(model, documents: Iterable, *, engine: str, vocab: Sequence[str],
          extras: Mapping[str, np.ndarray], params: dict[str, Any],
          metadata: Sequence[Mapping] | None, iterations: int | None) -> np.ndarray:
    """Topic rows for new bag-of-words documents (one thread, repeatable).  ``dmr`` needs
    each document's level in ``metadata`` (a level unseen in training is an error); ``dtm``
    places a document in the slice of its ``date`` when given, else in the last slice."""
    documents = list(documents)
    topics = (extras["topic_ids"].tolist() if "topic_ids" in extras
              else list(range(model.k)))
    levels = _infer_levels(engine, params, extras, metadata, len(documents))
    known = set(model.used_vocabs)
    made = []
    for row, bow in enumerate(documents):
        words = [w for w in bow_words(bow, vocab, row=row) if w in known]
        if words:
            options = ({"metadata": levels[row]} if engine == "dmr" else
                       {"timepoint": levels[row]} if engine == "dtm" else {})
            made.append((row, model.make_doc(words, **options)))
    out = np.zeros((len(documents), len(topics)))
    if made:
        dists, _ = model.infer([doc for _, doc in made],
                               iterations=iterations or DEFAULT_INFER_ITERATIONS,
                               workers=1, parallel=tp.ParallelScheme.NONE)
        for (row, _), dist in zip(made, dists):
            out[row] = np.asarray(dist)[topics]
    return normalise_rows(out)


def _infer_levels(engine: str, params: dict[str, Any], extras: Mapping[str, np.ndarray],
                  metadata: Sequence[Mapping] | None, n_docs: int) -> list | None:
    if engine == "dmr":
        if metadata is None:
            raise ConfigError("metadata", f"engine 'dmr' infers with each document's "
                                          f"{params['covariate']!r} level: pass metadata")
        values = field_values(engine, params, metadata, n_docs)
        seen = set(extras["levels"].tolist())
        unknown = sorted(set(values) - seen)
        if unknown:  # tomotopy aborts the process on an unknown level: refuse it here
            raise ConfigError("metadata", f"level {unknown[0]!r} of {params['covariate']!r} "
                                          f"was not in training; known: {sorted(seen)}")
        return values
    if engine == "dtm":
        ends = extras["slice_end"].tolist()
        last = len(ends) - 1
        if metadata is None:
            return [last] * n_docs
        return [next((t for t, end in enumerate(ends) if str(m.get("date", "")) <= end), last)
                if m.get("date") else last for m in metadata]
    return None


def engine_metrics(engine: str, extras: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """Metrics a family adds to a run's row: ``k_found`` (hdp)."""
    if engine == "hdp":
        return {"k_found": int(extras["k_found"])}
    return {}


def save(model, folder: Path) -> None:
    model.save(str(folder / MODEL_FILE), full=False)


def loader(engine: str):
    def load(folder: Path):
        return CLASSES[engine].load(str(folder / MODEL_FILE))
    return load
