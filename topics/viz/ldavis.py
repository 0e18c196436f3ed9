"""Offline pyLDAvis pages: one self-contained HTML file per model, with topic names.

The data are ``pyLDAvis.prepare``'s, value for value, computed in NumPy
(:mod:`topics.viz.ldavis_data`: about 15x faster, and without importing pyLDAvis, which
imports scikit-learn); the page is ours, not ``pyLDAvis.save_html``'s, because
that one loads d3 and LDAvis from a CDN. Here the d3 v5, LDAvis JS and CSS files that the
pyLDAvis package ships (its ``js/`` folder) are inlined, so the page works from ``file://``
with no network.

Workarounds, checked against pyLDAvis 3.4.1 with pandas 3 and numpy 2:

* the default ``js_PCoA`` uses the general ``numpy.linalg.eig`` on a matrix that is symmetric
  only up to rounding: on small random models it returned complex coordinates about one time
  in twenty (which ``json`` cannot serialise), and it yields a K x 1 result for K = 1, which
  ``prepare`` rejects with an ``AssertionError``. :func:`js_mds` uses ``eigh`` on the double-centred matrix of Jensen-Shannon
  distances, clips negative eigenvalues, pads missing dimensions with zeros and fixes the sign
  of each axis, so K = 1, K = 2 and identical topics all work and the map is reproducible;
* zero probabilities in ``topic_word`` make ``log`` return ``-inf`` in the relevance table
  (serialised as ``-Infinity``, and breaking the lambda slider's ordering); the matrix is
  floored at 1e-12 and renormalised, which changes no displayed rounded value.

pyLDAvis numbers topics from 1 in the order given (``sort_topics=False``): circle ``n`` is
the model's topic ``n - 1``. The page states this in a table under the map, with each topic's
name (for guided topics) and share of tokens; names also show as tooltips on the circles.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.spatial.distance import pdist, squareform

from topics.errors import ConfigError, SetupError
from topics.atomic import atomic_file
from topics.viz._checks import weight_matrix
from topics.viz.ldavis_data import prepared_data

log = logging.getLogger(__name__)

PROB_FLOOR = 1e-12
JS_FILES = ("d3.v5.min.js", "ldavis.v3.0.0.js")
CSS_FILE = "ldavis.v1.0.0.css"


def js_mds(distributions: np.ndarray) -> np.ndarray:
    """2-D classical MDS of the rows of ``distributions`` under the Jensen-Shannon distance.

    Works for any number of rows (zeros for one row, one axis for two), returns real finite
    coordinates, and orients each axis so that its largest absolute coordinate is positive.
    """
    dist = np.asarray(distributions, dtype="float64")
    n = dist.shape[0]
    if n < 2:
        return np.zeros((n, 2))
    d = squareform(np.nan_to_num(pdist(dist, metric="jensenshannon"), nan=0.0))
    centre = np.eye(n) - np.full((n, n), 1.0 / n)
    b = -0.5 * centre @ (d**2) @ centre
    eigvals, eigvecs = np.linalg.eigh((b + b.T) / 2)
    order = np.argsort(eigvals)[::-1][:2]
    coords = eigvecs[:, order] * np.sqrt(np.clip(eigvals[order], 0.0, None))
    if coords.shape[1] < 2:
        coords = np.hstack([coords, np.zeros((n, 2 - coords.shape[1]))])
    for j in range(2):
        if coords[np.argmax(np.abs(coords[:, j])), j] < 0:
            coords[:, j] = -coords[:, j]
    return coords


def ldavis_page(
    *,
    topic_word: Any,
    doc_topic: Any,
    doc_lengths: Any,
    vocab: Sequence[str],
    term_frequency: Any,
    path: str | os.PathLike,
    topic_names: Sequence[str | None] | None = None,
    title: str = "Topic model",
    lambda_step: float = 0.01,
    n_terms: int = 30,
    lambda_start: float = 1.0,
) -> Path:
    """Write an offline pyLDAvis page to ``path`` (atomically) and return ``path``.

    ``topic_word`` (K x V, rows are distributions over ``vocab``), ``doc_topic`` (D x K),
    ``doc_lengths`` (D token counts) and ``term_frequency`` (V corpus counts) are plain arrays.
    Rows are renormalised; a document whose row is all zeros gets a uniform row. Topics keep
    the model's order. ``topic_names`` (K entries, ``None`` for unnamed topics) label the
    topics in a table on the page and in the circles' tooltips. ``lambda_step`` is the step
    of the relevance slider, ``n_terms`` the number of bars (pyLDAvis' ``R``). The page
    opens with the slider at ``lambda_start`` (the config's ``topwords.lambda`` for top words
    by relevance, so the page and the report rank a topic's words alike), unless its address
    already names a state (``#topic=k&lambda=l&term=``).
    """
    tw, dt, lengths, tf = _check_arrays(topic_word, doc_topic, doc_lengths, vocab, term_frequency)
    names = _check_names(topic_names, tw.shape[0])
    if isinstance(lambda_step, bool) or not isinstance(lambda_step, (int, float)) \
            or not 0.0 < lambda_step <= 0.5:
        raise ConfigError("lambda_step", f"must be a number in (0, 0.5], got {lambda_step!r}")
    if isinstance(lambda_start, bool) or not isinstance(lambda_start, (int, float)) \
            or not 0.0 <= lambda_start <= 1.0:
        raise ConfigError("lambda_start", f"must be a number in [0, 1], got {lambda_start!r}")
    if isinstance(n_terms, bool) or not isinstance(n_terms, int) or n_terms < 1:
        raise ConfigError("n_terms", f"must be an integer >= 1, got {n_terms!r}")
    data = prepared_data(tw, dt, lengths, [str(w) for w in vocab], R=min(n_terms, tw.shape[1]),
                         lambda_step=float(lambda_step), mds=js_mds)
    shares = np.asarray(data["mdsDat"]["Freq"])
    page = _page(json.dumps(data), names, shares, str(title), float(lambda_start))
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(target, text=True) as handle:
        handle.write(page)
    log.info("wrote pyLDAvis page %s (%d topics)", target, tw.shape[0])
    return target


def _check_arrays(topic_word, doc_topic, doc_lengths, vocab, term_frequency):
    tw = weight_matrix(topic_word, "topic_word")
    dt = weight_matrix(doc_topic, "doc_topic")
    k, v = tw.shape
    if dt.shape[1] != k:
        raise ConfigError("doc_topic", f"has {dt.shape[1]} topic columns but topic_word has {k} topics")
    lengths = _vector(doc_lengths, "doc_lengths", dt.shape[0])
    if isinstance(vocab, (str, bytes)) or len(vocab) != v:
        raise ConfigError("vocab", f"expected {v} words (columns of topic_word), got {len(vocab)}")
    tf = _vector(term_frequency, "term_frequency", v)
    if (tw.sum(axis=1) <= 0).any():
        raise ConfigError("topic_word", "has a topic whose weights are all zero")
    tw = np.maximum(tw / tw.sum(axis=1, keepdims=True), PROB_FLOOR)
    tw /= tw.sum(axis=1, keepdims=True)
    empty = dt.sum(axis=1) <= 0
    if empty.any():
        log.warning("%d document(s) have an all-zero doc_topic row; using uniform rows", empty.sum())
        dt[empty] = 1.0
    dt = dt / dt.sum(axis=1, keepdims=True)
    if lengths.sum() <= 0:
        raise ConfigError("doc_lengths", "all documents have length 0")
    return tw, dt, lengths, tf


def _vector(x: Any, name: str, size: int) -> np.ndarray:
    try:
        vec = np.array(x, dtype="float64").reshape(-1)
    except (TypeError, ValueError):
        raise ConfigError(name, "expected a 1-D numeric array") from None
    if vec.size != size:
        raise ConfigError(name, f"expected {size} values, got {vec.size}")
    if not np.isfinite(vec).all() or (vec < 0).any():
        raise ConfigError(name, "values must be finite and non-negative")
    return vec


def _check_names(topic_names: Any, k: int) -> list[str | None]:
    if topic_names is None:
        return [None] * k
    if isinstance(topic_names, (str, bytes)) or len(topic_names) != k:
        raise ConfigError("topic_names", f"expected {k} names (one per topic), got {topic_names!r:.80}")
    return [None if n is None or str(n).strip() == "" else str(n) for n in topic_names]


def _script_safe(text: str) -> str:
    """JSON/JS text made safe inside ``<script>``: no ``</script>``, ``<!--`` or ``]]>``."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@functools.lru_cache(maxsize=None)
def _asset(name: str) -> str:
    """A file of pyLDAvis' ``js/`` folder (found without importing pyLDAvis, which imports
    scikit-learn)."""
    spec = importlib.util.find_spec("pyLDAvis")
    if spec is None or not spec.submodule_search_locations:
        raise SetupError("pyLDAvis is not installed: pip install pyLDAvis")
    folder = Path(list(spec.submodule_search_locations)[0]) / "js"
    text = (folder / name).read_text(encoding="utf-8")
    if "</script" in text.lower() or "</style" in text.lower():
        raise RuntimeError(f"pyLDAvis asset {name} cannot be inlined: it contains a closing tag")
    return text


def _legend(names: list[str | None], shares: np.ndarray) -> str:
    rows = "\n".join(
        f"<tr><td>{i + 1}</td><td>{i}</td><td>{html.escape(n) if n else '<i>unnamed</i>'}</td>"
        f"<td>{s:.1f}%</td></tr>"
        for i, (n, s) in enumerate(zip(names, shares)))
    return ("<table id=\"topic-names\"><caption>Circle number, model topic id and name"
            "</caption><thead><tr><th>circle</th><th>model topic</th><th>name</th>"
            f"<th>share of tokens</th></tr></thead><tbody>\n{rows}\n</tbody></table>")


def _page(data_json: str, names: list[str | None], shares: np.ndarray, title: str,
          lambda_start: float = 1.0) -> str:
    scripts = "\n".join(f"<script>\n{_asset(name)}\n</script>" for name in JS_FILES)
    tooltips = [f"Topic {i + 1} (model topic {i})" + (f": {n}" if n else "")
                for i, n in enumerate(names)]
    return _TEMPLATE.format(
        title=html.escape(title), css=_asset(CSS_FILE), scripts=scripts,
        legend=_legend(names, shares), data=_script_safe(data_json),
        tooltips=_script_safe(json.dumps(tooltips)), start=json.dumps(
            f"#topic=0&lambda={lambda_start:g}&term="))


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
{css}
body {{ font-family: sans-serif; margin: 1em; }}
#topic-names {{ border-collapse: collapse; margin-top: 1em; font-size: 14px; }}
#topic-names td, #topic-names th {{ border: 1px solid #ccc; padding: 2px 8px; text-align: left; }}
.note {{ color: #444; font-size: 14px; }}
#topic-names caption {{ text-align: left; font-weight: bold; padding-bottom: 4px; }}
</style>
{scripts}
</head>
<body>
<h1>{title}</h1>
<p class="note">Circle <i>n</i> is the model's topic <i>n</i> - 1; the table under the map
gives each topic's name, and hovering a circle shows it.</p>
<div id="ldavis" style="background-color:white;"></div>
{legend}
<script>
(function () {{
  var data = {data};
  var tooltips = {tooltips};
  if (!location.hash) {{  // open at the configured relevance (LDAvis reads the address)
    try {{ history.replaceState(null, "", {start}); }} catch (e) {{ location.hash = {start}; }}
  }}
  new LDAvis("#ldavis", data);
  d3.selectAll("#ldavis svg circle.dot").each(function (d) {{
    var title = document.createElementNS("http://www.w3.org/2000/svg", "title");
    title.textContent = tooltips[d.topics - 1];
    this.appendChild(title);
  }});
}})();
</script>
</body>
</html>
"""
