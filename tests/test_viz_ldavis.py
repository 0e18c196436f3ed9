"""Offline pyLDAvis pages: inlined assets, model topic order, names, escaping, robust MDS."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon

from topics.errors import ConfigError
from topics.viz import js_mds, ldavis_page


def _model(k: int, v: int = 12, d: int = 8, seed: int = 0):
    rng = np.random.default_rng(seed)
    return dict(
        topic_word=rng.dirichlet(np.full(v, 0.3), k),
        doc_topic=rng.dirichlet(np.full(k, 0.5), d),
        doc_lengths=rng.integers(5, 40, d),
        vocab=[f"word{i}" for i in range(v)],
        term_frequency=rng.integers(1, 20, v),
    )


def _data(page: str) -> dict:
    """The JSON that the page hands to LDAvis (``var data = {...};``)."""
    match = re.search(r"var data = (\{.*?\});\n", page)
    assert match, "no LDAvis data in the page"
    return json.loads(match.group(1))


def test_js_mds_handles_one_two_and_many_topics():
    assert np.array_equal(js_mds(np.array([[0.5, 0.5]])), np.zeros((1, 2)))
    p, q = np.array([0.9, 0.1, 0.0]), np.array([0.1, 0.2, 0.7])
    two = js_mds(np.vstack([p, q]))
    assert two.shape == (2, 2) and np.allclose(two[:, 1], 0.0)
    assert np.linalg.norm(two[0] - two[1]) == pytest.approx(jensenshannon(p, q))
    three = js_mds(np.random.default_rng(1).dirichlet(np.ones(6), 3))
    assert np.isrealobj(three) and np.isfinite(three).all()
    same = js_mds(np.tile([0.2, 0.8], (4, 1)))  # identical topics: all at the origin
    assert np.allclose(same, 0.0)


def test_js_mds_reproduces_distances_of_three_topics():
    dists = np.random.default_rng(2).dirichlet(np.ones(8), 3)
    coords = js_mds(dists)
    for i, j in ((0, 1), (0, 2), (1, 2)):
        assert np.linalg.norm(coords[i] - coords[j]) == pytest.approx(jensenshannon(dists[i], dists[j]))


def test_page_is_offline_and_keeps_model_topic_order(tmp_path):
    model = _model(4)
    model["doc_topic"][:, 2] += 5.0  # topic 2 dominates; sorting would move it first
    path = ldavis_page(**model, path=tmp_path / "pages" / "lda.html", title="LDA K=4")
    page = path.read_text(encoding="utf-8")
    assert "<script src" not in page and "<link" not in page and "cdn." not in page
    assert "d3js.org v5" in page and "var LDAvis = function" in page  # inlined assets
    data = _data(page)
    assert data["mdsDat"]["topics"] == [1, 2, 3, 4]
    assert data["topic.order"] == [1, 2, 3, 4]
    freq = data["mdsDat"]["Freq"]
    assert int(np.argmax(freq)) == 2 and sum(freq) == pytest.approx(100.0)
    assert data["R"] == 12  # capped at the vocabulary size
    assert [p.name for p in path.parent.iterdir()] == ["lda.html"]


def test_topic_names_are_shown_and_escaped(tmp_path):
    names = ["Energy", None, "<script>alert(1)</script>"]
    model = _model(3)
    model["vocab"][0] = "</script><script>alert(2)</script>"
    page = ldavis_page(**model, path=tmp_path / "p.html", topic_names=names).read_text()
    assert "<td>Energy</td>" in page and "<i>unnamed</i>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "alert(1)</script>" not in page and "<script>alert(2)" not in page
    assert "Topic 3 (model topic 2): \\u003cscript\\u003ealert(1)" in page
    assert "</script><script>alert(2)</script>" in json.dumps(_data(page), ensure_ascii=False)


def test_zero_probabilities_and_empty_documents_give_finite_data(tmp_path):
    model = _model(2, v=5, d=3)
    model["topic_word"] = np.array([[0.5, 0.5, 0.0, 0.0, 0.0], [0.0, 0.0, 0.2, 0.3, 0.5]])
    model["doc_topic"][1] = 0.0
    page = ldavis_page(**model, path=tmp_path / "p.html").read_text()
    assert "Infinity" not in page.split("var data = ")[1].split(";\n")[0]
    assert "NaN" not in page.split("var data = ")[1].split(";\n")[0]
    one = ldavis_page(**_model(1), path=tmp_path / "one.html")
    assert _data(one.read_text())["mdsDat"]["topics"] == [1]


@pytest.mark.parametrize("change, key", [
    (dict(doc_topic=np.ones((8, 3))), "doc_topic"),
    (dict(doc_lengths=[1, 2]), "doc_lengths"),
    (dict(vocab=["a", "b"]), "vocab"),
    (dict(term_frequency=np.ones(11)), "term_frequency"),
    (dict(topic_word=-np.ones((4, 12))), "topic_word"),
    (dict(lambda_step=0.0), "lambda_step"),
    (dict(n_terms=0), "n_terms"),
    (dict(topic_names=["a", "b"]), "topic_names"),
])
def test_bad_options_name_the_parameter(tmp_path, change, key):
    args = {**_model(4), "path": tmp_path / "p.html", **change}
    with pytest.raises(ConfigError) as err:
        ldavis_page(**args)
    assert err.value.key == key
    assert not (tmp_path / "p.html").exists()


def _prepare_model(k: int, v: int, d: int, seed: int, ties: bool):
    """A model as ldavis_page hands it on (rows normalised); ``ties``: a few distinct
    probabilities, so relevance rankings tie everywhere."""
    from topics.viz.ldavis import _check_arrays

    rng = np.random.default_rng(seed)
    tw = rng.dirichlet(np.full(v, 0.1), k)
    dt = rng.dirichlet(np.full(k, 0.5), d)
    if ties:
        tw, dt = np.round(tw * 50) + 1, np.round(dt * 4) + 0.5
    vocab = [f"w{i:05d}" if i % 7 else f"Z{i}" for i in range(v)]  # sorting != id order
    tw, dt, lengths, tf = _check_arrays(tw, dt, rng.integers(5, 300, d), vocab,
                                        rng.integers(1, 50, v))
    return tw, dt, lengths, vocab, tf


@pytest.mark.parametrize("k, v, d, seed, ties, step", [
    (1, 40, 10, 0, False, 0.01), (3, 12, 8, 1, True, 0.01), (6, 400, 50, 2, True, 0.01),
    (12, 1500, 200, 3, False, 0.01), (8, 900, 100, 4, False, 0.1)])
def test_page_data_are_pyldavis_prepare_data(k, v, d, seed, ties, step):
    """The NumPy computation gives pyLDAvis.prepare's JSON, character for character (ties
    in the relevance rankings, fewer words than bars, another lambda step)."""
    import pyLDAvis
    from pyLDAvis.utils import NumPyEncoder

    from topics.viz.ldavis_data import prepared_data

    tw, dt, lengths, vocab, tf = _prepare_model(k, v, d, seed, ties)
    r = min(30, v)
    theirs = pyLDAvis.prepare(tw, dt, lengths, vocab, tf, R=r, lambda_step=step, mds=js_mds,
                              n_jobs=1, sort_topics=False, start_index=1).to_json()
    ours = prepared_data(tw, dt, lengths, vocab, R=r, lambda_step=step, mds=js_mds)
    assert json.dumps(ours, cls=NumPyEncoder) == theirs
    assert json.dumps(ours) == theirs  # plain Python values: no encoder needed


def test_page_imports_neither_pyldavis_nor_matplotlib(tmp_path):
    """A pool worker writing pages does not pay for importing pyLDAvis (scikit-learn) or
    matplotlib."""
    import subprocess
    import sys

    code = ("import sys, numpy as np; from topics.viz.ldavis import ldavis_page; "
            "r = np.random.default_rng(0); "
            f"ldavis_page(topic_word=r.dirichlet(np.ones(9), 3), doc_topic=r.dirichlet("
            f"np.ones(3), 4), doc_lengths=[3, 4, 5, 6], vocab=list('abcdefghi'), "
            f"term_frequency=np.ones(9), path={str(tmp_path / 'p.html')!r}); "
            "print(sorted(m for m in ('pyLDAvis', 'sklearn', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
    assert "var LDAvis = function" in (tmp_path / "p.html").read_text(encoding="utf-8")
