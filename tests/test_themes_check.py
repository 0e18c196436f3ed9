"""The lexicon check (`topics themes`, topics.check_themes): frequencies, dominance, NPMI."""

from __future__ import annotations

import math

import pytest
import yaml

import topics
from topics.cli import main
from topics.errors import ConfigError
from topics.themes import check_lexicon, format_check, resolve_themes
from topics.themes.check import npmi

VOCAB = ("war", "soviet", "kremlin", "goal", "striker", "oil")


def resolved(themes):
    return resolve_themes(themes, transform=str.split, vocab=VOCAB, strict=False, quiet=True)


def test_npmi_by_hand():
    docs = [frozenset({1, 2}), frozenset({1, 2}), frozenset({1}), frozenset({3})]
    p1, p2, p12 = 3 / 4, 2 / 4, 2 / 4
    assert npmi(docs, [1, 2]) == pytest.approx(math.log(p12 / (p1 * p2)) / -math.log(p12))
    assert npmi(docs, [1, 3]) == -1.0  # never together
    assert npmi(docs, [1, 2, 3]) == pytest.approx(
        (math.log(p12 / (p1 * p2)) / -math.log(p12) - 1 - 1) / 3)
    assert math.isnan(npmi(docs, [1]))


def test_check_counts_dominance_and_co_occurrence():
    bow = [[(1, 5), (2, 1)], [(1, 4), (0, 2)], [(3, 1), (4, 1)], [(5, 1)]]
    frame = check_lexicon(resolved({"cold": ["soviet", "kremlin", "iron curtain"],
                                    "sport": ["goal", "striker"], "none": ["zzz"]}),
                          bow).set_index("theme")
    assert frame.loc["cold", "tokens"] == [("soviet", 9), ("kremlin", 1)]
    assert frame.loc["cold", "top_share"] == pytest.approx(0.9)
    assert (frame.loc["cold", "found"], frame.loc["cold", "seeds"]) == (2, 3)
    assert frame.loc["cold", "missing"] == ["iron curtain"]
    assert any("'soviet' carries 90%" in w for w in frame.loc["cold", "warnings"])
    assert frame.loc["sport", "npmi"] == pytest.approx(1.0) and frame.loc["sport", "warnings"] == []
    assert frame.loc["none", "warnings"] == ["no seed is in the vocabulary"]
    # Grouped (chunks of one parent): soviet and kremlin now share a document.
    grouped = check_lexicon(resolved({"cold": ["soviet", "war"]}), bow, groups=["a", "a", "b", "c"])
    assert grouped.loc[0, "npmi"] == pytest.approx(1.0)
    text = format_check(frame.reset_index())
    assert "cold: 2 of 3 seeds found; top token soviet (90%)" in text
    assert "not in the vocabulary: iron curtain" in text and "WARNING: no seed" in text


@pytest.fixture
def config(tmp_path):
    corpus = tmp_path / "txt"
    corpus.mkdir()
    words = ["soviet kremlin soviet war treaty", "soviet kremlin border army", "goal striker goal"]
    for i, text in enumerate(words * 2):
        (corpus / f"{i}.txt").write_text(text, encoding="utf-8")
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump({
        "corpus": {"path": str(corpus)}, "output": {"dir": str(tmp_path / "out")},
        "preprocess": {"lemmatize": False, "phrases": False, "no_below": 1, "no_above": 1.0},
        "themes": {"cold": ["soviet", "kremlin"], "absent": ["zzz"]}}, sort_keys=False))
    return path


def test_cli_themes_and_preprocess_report_the_lexicon(config, capsys):
    assert main(["themes", str(config)]) == 0
    out = capsys.readouterr().out
    assert "cold: 2 of 2 seeds found; top token soviet (60%); NPMI 1.00" in out
    assert "absent: 0 of 1 seeds found" in out and "WARNING: no seed is in the vocabulary" in out
    assert main(["preprocess", str(config)]) == 0
    assert "absent: 0 of 1 seeds found" in capsys.readouterr().out
    frame = topics.check_themes(config)
    assert list(frame["theme"]) == ["cold", "absent"]


def test_check_without_themes_is_a_config_error(config, tmp_path, capsys):
    raw = yaml.safe_load(config.read_text())
    del raw["themes"]
    bare = tmp_path / "bare.yaml"
    bare.write_text(yaml.safe_dump(raw))
    with pytest.raises(ConfigError, match="themes"):
        topics.check_themes(bare)
    assert main(["themes", str(bare)]) == 2
    assert "themes" in capsys.readouterr().err
