"""Scoring settings, scoring a run, and re-scoring completed runs from their saved matrices.

A run's id hashes what it was trained on (parameters, corpus, the themes of guided runs,
the held-out split), not how it is scored.  The settings its scores depend on are
:func:`scoring_settings`: the coherence measures, ``scoring.topn`` and ``diversity_topn``,
the reference corpus (its path and a hash of its files), how top words are ranked
(``topwords.method``, and ``lambda`` under ``relevance``) and the label field of NMI, ARI
and purity.  Every run records them (the store's ``scoring`` column), and so does the
manifest.  :func:`refresh_runs` re-scores every completed run recorded under other settings,
or whose ``top_words.json`` is missing or damaged, from its saved matrices (no training,
nothing unpickled); a run whose matrices cannot be read is marked failed, so that it trains
again.  ``topwords.topn`` (words shown) and the themes (guided runs have them in their ids)
do not change scores.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from pathlib import Path
from typing import Any, Callable

from topics.errors import InputError, StoreError
from topics.store import RunRecord, Store, read_json, write_json

log = logging.getLogger(__name__)

#: Bumped when scoring code changes its values: every run is then re-scored.
SCORING_VERSION = 1


def reference_hash(path: str | os.PathLike) -> str:
    """sha256 over the reference corpus's files (names and bytes; a folder recursively)."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file or folder (scoring.reference)")
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    digest = hashlib.sha256()
    for file in files:
        digest.update(str(file.relative_to(path) if file != path else "").encode() + b"\0")
        try:
            with open(file, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
        except OSError as err:  # the reader skips it too; its state is part of the hash
            digest.update(type(err).__name__.encode())
    return digest.hexdigest()


def scoring_settings(config, labels: str | None) -> dict[str, Any]:
    """Everything a run's scores depend on beyond its trained matrices (``labels``: the
    resolved label field, see ``topics.workflow.labels_field``)."""
    scoring, topwords = config.scoring, config.topwords
    reference = scoring["reference"]
    relevance = topwords["method"] == "relevance"
    return {"version": SCORING_VERSION, "measures": sorted(scoring["measures"]),
            "topn": scoring["topn"], "diversity_topn": scoring["diversity_topn"],
            "reference": None if reference is None else str(reference),
            "reference_sha256": None if reference is None else reference_hash(reference),
            "topwords_method": topwords["method"],
            "topwords_lambda": float(topwords["lambda"]) if relevance else None,
            "labels": labels}


def make_scorer(config, corpus):
    """The shared coherence accumulator over the reference texts (the training texts unless
    ``scoring.reference`` names another corpus)."""
    from topics.scoring import CoherenceScorer

    reference = config.scoring["reference"]
    texts = _reference_texts(reference, corpus) if reference else corpus.texts
    return CoherenceScorer(texts, dictionary=None if reference else corpus.dictionary,
                           measures=config.scoring["measures"], topn=config.scoring["topn"])


def _reference_texts(reference: str, corpus) -> list[list[str]]:
    from topics.io import read_documents

    documents, _ = read_documents(reference)
    return [corpus.transform_text(d.text) if d.tokens is None else list(d.tokens)
            for d in documents]


def score_words(run_id: str, top_words: list[list[str]], diversity_words: list[list[str]],
                scorer, config) -> dict[str, float]:
    """Mean coherence of each configured measure, and topic diversity, of one run."""
    from topics.scoring import coherence_means, diversity

    scorer.add_models({run_id: top_words})
    # A run's value is the mean over its topics as gensim's get_coherence and the notebook's
    # coherence_means take it: a topic scoring NaN (no known word) makes the run's value NaN.
    means = coherence_means(scorer.score(run_id)).iloc[0]
    metrics = {m: float(means[m]) for m in config.scoring["measures"]}
    metrics["diversity"] = float(diversity(diversity_words,
                                           topn=config.scoring["diversity_topn"]))
    return metrics


def top_words_of(output, config, topn: int) -> list[list[str]]:
    """The top words of a saved run, ranked as ``topwords`` says (as its worker did)."""
    from topics import topwords

    tw = config.topwords
    return topwords.top_words(output.topic_word, output.vocab, topn=topn, method=tw["method"],
                              lam=tw["lambda"], term_frequency=output.term_frequency)


def _scored_keys() -> set[str]:
    """The metrics re-scoring recomputes (stability is recomputed per seed group after it);
    the others (perplexity, held-out tokens) come from training and are kept."""
    from topics.scoring import LABEL_METRICS, MEASURES

    return {*MEASURES, *LABEL_METRICS, "diversity", "stability"}


def _top_words_ok(path: Path) -> bool:
    try:
        value = read_json(path)
    except StoreError:
        return False
    return isinstance(value, list) and all(
        isinstance(t, list) and all(isinstance(w, str) for w in t) for t in value)


def runs_intact(folder: Path, run_ids: list[str]) -> bool:
    """Whether the manifest is a JSON object, the cached corpus's head and dictionary and
    each run's model files and top words are readable (headers and sizes only: cheap).  A rerun with nothing to do trusts its stamp
    only then; otherwise the full run repairs what is damaged (:func:`refresh_runs`)."""
    from topics.corpus import check_corpus_files
    from topics.engines import check_model_files
    from topics.store import read_manifest

    try:
        manifest = read_manifest(folder)
        check_corpus_files(folder / "cache" / str(manifest.get("corpus_key")) / "corpus")
        for run_id in run_ids:
            check_model_files(folder / "models" / run_id)
    except StoreError as err:
        log.warning("%s: repairing the experiment folder", err)
        return False
    return all(_top_words_ok(folder / "models" / r / "top_words.json") for r in run_ids)


def refresh_runs(store: Store, *, corpus, folder: Path, config, settings: dict[str, Any],
                 scorer: Callable[[], Any]) -> int:
    """Re-score the completed runs of ``corpus`` recorded under other scoring settings, or
    whose ``top_words.json`` is missing or damaged; mark those whose matrices cannot be read
    as failed (they train again).  ``scorer()`` gives the shared accumulator (built on first
    use).  Returns the number of runs re-scored."""
    from topics.engines import check_model_files

    done = store.completed_ids()
    stale = []
    for run in store.runs(status="done"):
        if run.run_id not in done or run.corpus_key != corpus.key:
            continue
        model_dir = (folder / (run.model_dir or f"models/{run.run_id}")).resolve()
        try:
            if folder.resolve() not in model_dir.parents:
                raise StoreError(f"{model_dir}: outside the experiment folder")
            check_model_files(model_dir)
        except StoreError as err:
            _retrain(store, run, err)
            continue
        if not _top_words_ok(model_dir / "top_words.json"):
            log.warning("run %s: top_words.json missing or damaged: re-scoring the run from "
                        "its saved matrices", run.run_id)
        elif run.scoring == settings:
            continue
        stale.append(run)
    if stale:
        log.info("re-scoring %d completed runs under the current scoring settings", len(stale))
    rescored = 0
    for run in stale:
        rescored += _rescore(store, run, corpus=corpus, folder=folder, config=config,
                             settings=settings, scorer=scorer)
    return rescored


def _retrain(store: Store, run: RunRecord, err: StoreError) -> None:
    log.warning("run %s: its saved model cannot be read (%s): it will train again if it is "
                "in the grid", run.run_id, err)
    store.mark_failed(run.run_id, f"model files damaged: {err}")


def _rescore(store: Store, run: RunRecord, *, corpus, folder: Path, config,
             settings: dict[str, Any], scorer: Callable[[], Any]) -> bool:
    from topics.engines import load_model

    model_dir = (folder / (run.model_dir or f"models/{run.run_id}")).resolve()
    try:
        output = load_model(model_dir, native=False)
    except StoreError as err:
        _retrain(store, run, err)
        return False
    t0 = time.perf_counter()
    shared = scorer()  # a reference corpus that cannot be read stops here, failing no run
    diverse = top_words_of(output, config, config.scoring["diversity_topn"])
    try:
        metrics = score_words(run.run_id, top_words_of(output, config, config.scoring["topn"]),
                              diverse, shared, config)
        if settings["labels"]:
            metrics.update(label_scores(output, corpus, settings["labels"]))
    except Exception as err:  # noqa: BLE001 - as in a new run: scoring fails this run only
        store.mark_failed(run.run_id, f"scoring: {type(err).__name__}: {err}")
        return False
    kept = {k: v for k, v in run.metrics.items() if k not in _scored_keys()}
    write_json(model_dir / "top_words.json", diverse)
    store.rescore(run.run_id, metrics={**kept, **metrics}, scoring=settings,
                  score_s=time.perf_counter() - t0)
    return True


def label_scores(output, corpus, field: str) -> dict[str, float]:
    """NMI, ARI and purity of a saved run's main topics against the ``field`` of its
    training documents (matched by id)."""
    from topics.scoring import label_agreement

    meta = dict(zip(corpus.doc_ids, corpus.meta))
    return label_agreement(output.doc_topic, [meta.get(d, {}).get(field)
                                              for d in output.doc_ids])
