"""Reliability round two, the smaller cases (issue 16, item 11).

Text in a script written without spaces (Chinese, Japanese, Thai) became whole clauses as
single tokens without a word: now a warning names the median token length and points to the
README recipe, which works.  A theme with 1,000 missing seeds printed them all three times:
now a count and the first few, once.  ``title_column: headline`` beside a ``title`` column,
and paragraph chunks over a user column named ``parent_id``, silently overwrote a column:
now one line names it.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from topics.documents import Document
from topics.errors import ConfigError, InputError
from topics.io import read_documents
from topics.preprocess import prepare_corpus
from topics.preprocess.scripts import token_length_profile

from ._cli import assert_user_error, run_topics, write_config

LIGHT = {"lemmatize": False, "phrases": False, "no_below": 1, "no_above": 1.0}

CHINESE = ["我们今天去北京，天气很好。中华人民共和国成立于一九四九年，首都是北京市。",
           "上海是中国最大的城市之一，经济非常发达。北京是中国的首都，历史悠久。",
           "他们明天要去上海旅游，听说那里的风景很美。我们一起去吧，好不好？"]
JAPANESE = ["東京は日本の首都であり、世界最大の都市圏の一つです。経済の中心地として知られています。",
            "大阪は食べ物がおいしい街として有名です。多くの観光客が訪れます。",
            "京都には古いお寺や神社がたくさんあります。秋の紅葉はとても美しいです。"]
THAI = ["ประเทศไทยเป็นประเทศในเอเชียตะวันออกเฉียงใต้ มีกรุงเทพมหานครเป็นเมืองหลวง",
        "กรุงเทพมหานครเป็นเมืองที่มีประชากรมากที่สุดในประเทศไทย และเป็นศูนย์กลางเศรษฐกิจ",
        "เชียงใหม่เป็นเมืองที่มีชื่อเสียงด้านวัฒนธรรมและธรรมชาติที่สวยงาม"]
ENGLISH = ["Markets rallied as inflation eased and the central bank paused rates.",
           "The central bank raised rates again and markets fell on inflation fears.",
           "Inflation eased, rates held, and markets rallied on the central bank news."]
GERMAN = ["Die Bundesregierung beschloss die Haushaltsplanung und Steuererleichterungen.",
          "Die Verkehrsministerkonferenz diskutierte Geschwindigkeitsbegrenzungen.",
          "Der Bundestagsabgeordnete kritisierte die Krankenversicherungsreform scharf."]
README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_recipe() -> dict:
    """The README's recipe for Chinese and Japanese (one character per token), as written."""
    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    return yaml.safe_load(next(b for b in blocks if "token_pattern" in b))["preprocess"]


def _docs(texts: list[str]) -> list[Document]:
    return [Document(id=str(i), text=t, meta={}) for i, t in enumerate(texts)]


def _long_token_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.levelno == logging.WARNING and "median token" in r.getMessage()]


# ---------------------------------------------------------------- scripts without spaces
@pytest.mark.parametrize("texts", [CHINESE, JAPANESE, THAI, [t.replace("，", "")
                                                          for t in CHINESE]],
                         ids=["chinese", "japanese", "thai", "chinese-fewer-commas"])
def test_scripts_without_spaces_warn_naming_the_median_length(texts, caplog):
    with caplog.at_level(logging.WARNING):
        corpus = prepare_corpus(_docs(texts), **LIGHT)
    warnings = _long_token_warnings(caplog)
    assert len(warnings) == 1, caplog.text
    assert f"{corpus.stats['median_token_chars']} characters" in warnings[0]
    assert "token_pattern" in warnings[0] and "README" in warnings[0]


@pytest.mark.parametrize("texts", [ENGLISH, GERMAN], ids=["english", "german"])
def test_spaced_scripts_do_not_warn(texts, caplog):
    with caplog.at_level(logging.WARNING):
        prepare_corpus(_docs(texts), **LIGHT)
    assert not _long_token_warnings(caplog)


def test_the_readme_recipe_reads_one_character_per_token(caplog):
    with caplog.at_level(logging.WARNING):
        corpus = prepare_corpus(_docs(CHINESE + JAPANESE), **{**LIGHT, **_readme_recipe()})
    assert not _long_token_warnings(caplog)
    assert {"北", "京", "東"} <= set(corpus.vocab) and all(len(w) == 1 for w in corpus.vocab)


def test_pre_segmented_text_does_not_warn(caplog):
    segmented = ["我们 今天 去 北京 天气 很 好", "上海 是 中国 最大 的 城市 之一",
                 "北京 是 中国 的 首都 历史 悠久"]
    with caplog.at_level(logging.WARNING):
        prepare_corpus(_docs(segmented), **{**LIGHT, "min_length": 1})
    assert not _long_token_warnings(caplog)


def test_the_warning_is_repeated_on_a_cache_hit(tmp_path, caplog):
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            prepare_corpus(_docs(THAI), cache_dir=tmp_path / "cache", **LIGHT)
        assert len(_long_token_warnings(caplog)) == 1


def test_profile_of_mixed_text_follows_the_main_script():
    profile = token_length_profile(["markets", "rallied", "inflation", "北京是中国的首都"])
    assert profile["token_script"] == "spaced" and profile["median_token_chars"] == 7
    assert token_length_profile([])["median_token_chars"] == 0


def test_cli_preprocess_warns_once_for_chinese(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n"
                            for i, t in enumerate(CHINESE)), encoding="utf-8")
    config = write_config(tmp_path / "c.yaml", {"corpus": {"path": str(path)},
                                                 "preprocess": LIGHT})
    result = run_topics("preprocess", config, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr.count("median token") == 1, result.stderr[-2000:]


# ---------------------------------------------------------------- many missing seeds
MISSING = [f"zzabsent{i:04d}" for i in range(1000)]


def test_a_thousand_missing_seeds_log_a_count_and_the_first_few(caplog):
    from topics.themes import resolve_themes

    with caplog.at_level(logging.WARNING):
        resolved = resolve_themes({"money": ["markets", *MISSING]}, transform=str.split,
                                  vocab={"markets": 0, "rates": 1})
    lines = [r.getMessage() for r in caplog.records if "zzabsent" in r.getMessage()]
    assert len(lines) == 1 and "1000" in lines[0] and len(lines[0]) < 400, lines
    assert "zzabsent0000" in lines[0] and "zzabsent0999" not in lines[0]
    assert len(resolved.missing["money"]) == 1000  # all of them, for the report


def test_a_theme_with_none_of_a_thousand_seeds_is_a_short_error():
    from topics.themes import resolve_themes

    with pytest.raises(ConfigError) as err:
        resolve_themes({"ghosts": MISSING}, transform=str.split, vocab={"markets": 0})
    assert err.value.key == "themes.ghosts"
    assert "1000" in str(err.value) and len(str(err.value)) < 500, str(err.value)


@pytest.mark.slow
def test_cli_run_prints_missing_seeds_once(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i, text in enumerate(ENGLISH):
        (folder / f"doc{i}.txt").write_text(text, encoding="utf-8")
    config = write_config(tmp_path / "c.yaml", {
        "corpus": {"path": str(folder)}, "preprocess": LIGHT,
        "grid": {"engine": "gensim", "num_topics": 2, "passes": 1, "iterations": 5},
        "scoring": {"measures": ["c_npmi"]},
        "themes": {"money": ["markets", "inflation", *MISSING]},
        "output": {"ldavis": False, "report": True}, "runner": {"n_jobs": 1}})
    result = run_topics("run", config, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout + result.stderr
    assert output.count("zzabsent0000") == 1, output[-3000:]
    assert "zzabsent0999" not in output and "1000 of its" in output
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "zzabsent0999" in report  # the report still lists every missing seed


# ---------------------------------------------------------------- columns overwritten
def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind,option", [("title", "title_column"), ("date", "date_column")])
def test_csv_renamed_column_beside_the_standard_one_is_refused(tmp_path, kind, option):
    path = _csv(tmp_path / "c.csv", f"id,text,{kind},other\na,alpha,x,2022-01-01\n")
    with pytest.raises(InputError) as err:
        read_documents(path, **{option: "other"})
    assert f"'{kind}'" in str(err.value) and "'other'" in str(err.value)


def test_jsonl_headline_beside_title_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "alpha", "headline": "H"}) + "\n"
                    + json.dumps({"id": "b", "text": "beta", "headline": "H", "title": "T"})
                    + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_documents(path, title_column="headline")
    assert err.value.row == 2 and "'title'" in str(err.value)


def test_parquet_headline_beside_title_is_refused(tmp_path):
    path = tmp_path / "c.parquet"
    pd.DataFrame({"text": ["alpha"], "headline": ["H"], "title": ["T"]}).to_parquet(path)
    with pytest.raises(InputError, match="'title'"):
        read_documents(path, title_column="headline")


def test_txt_metadata_headline_beside_title_is_refused(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("alpha words", encoding="utf-8")
    (folder / "metadata.csv").write_text("file,headline,title\na.txt,H,T\n", encoding="utf-8")
    with pytest.raises(InputError, match="'title'"):
        read_documents(folder, title_column="headline")


def test_headline_alone_is_still_the_title(tmp_path):
    path = _csv(tmp_path / "c.csv", "id,text,headline\na,alpha,The headline\n")
    docs, _ = read_documents(path, title_column="headline")
    assert docs[0].meta == {"title": "The headline"}


def test_cli_title_column_collision_is_one_line(tmp_path):
    path = _csv(tmp_path / "c.csv", "id,text,headline,title\na,markets rallied,H,T\n")
    config = write_config(tmp_path / "c.yaml", {"corpus": {"path": str(path),
                                                           "title_column": "headline"}})
    result = run_topics("preprocess", config, "--out", tmp_path / "out")
    assert_user_error(result, str(path), "'title'", "'headline'")


@pytest.mark.parametrize("column", ["parent_id", "chunk"])
def test_segmenting_over_a_user_parent_id_column_is_refused(column):
    docs = [Document(id="a", text="First paragraph here.\n\nSecond one.",
                     meta={column: "mine"})]
    with pytest.raises(ConfigError) as err:
        prepare_corpus(docs, **{**LIGHT, "segment": "paragraph"})
    assert err.value.key == "preprocess.segment" and f"'{column}'" in str(err.value)


def test_a_parent_id_column_without_segmenting_is_kept():
    docs = [Document(id="a", text="markets rallied again", meta={"parent_id": "mine"})]
    corpus = prepare_corpus(docs, **LIGHT)
    assert corpus.meta[0]["parent_id"] == "mine"


def test_cli_segment_over_parent_id_is_one_line(tmp_path):
    path = _csv(tmp_path / "c.csv", "id,text,parent_id\na,markets rallied,p1\n")
    config = write_config(tmp_path / "c.yaml", {"corpus": {"path": str(path)},
                                                "preprocess": {**LIGHT, "segment": "paragraph"}})
    result = run_topics("preprocess", config, "--out", tmp_path / "out")
    assert_user_error(result, "preprocess.segment", "'parent_id'", only_line=False)
