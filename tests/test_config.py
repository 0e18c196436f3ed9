"""The config schema: defaults, key-path errors, overrides, safe YAML."""

from __future__ import annotations

import pytest

from topics.config import SECTIONS, apply_overrides, load_config, validate
from topics.errors import ConfigError


def _raw(**sections):
    return {"corpus": {"path": "corpus"}, **sections}


def test_defaults_fill_every_section_and_paths_resolve_against_the_config(tmp_path):
    path = tmp_path / "conf" / "x.yaml"
    path.parent.mkdir()
    path.write_text("corpus:\n  path: ../data\ngrid:\n  num_topics: [5, 10]\n")
    config = load_config(path)
    assert config.name == "x"
    assert config.corpus["path"] == str((tmp_path / "data").resolve())
    assert config.grid["num_topics"] == [5, 10]
    assert config.grid["engine"] == ["dmm"]  # a scalar becomes a one-value axis
    assert set(config.resolved()) == {"name", "themes", *SECTIONS}


def test_bad_list_item_names_its_index():
    with pytest.raises(ConfigError) as err:
        validate(_raw(grid={"num_topics": [5, 10, "ten"]}))
    assert str(err.value) == "grid.num_topics[2]: expected an integer >= 2, got 'ten'"


@pytest.mark.parametrize("section, key, value, fragment", [
    ("grid", "engine", "mallet", "grid.engine[0]: expected one of gensim, tomotopy"),
    ("grid", "num_topics", 1, "grid.num_topics[0]: expected an integer >= 2, got 1"),
    ("grid", "num_topics", [], "grid.num_topics: expected a non-empty list"),
    ("grid", "seeds", [], "grid.seeds: expected a non-empty list"),
    ("grid", "alpha", -1, "grid.alpha[0]: expected one of symmetric, asymmetric, auto or a number > 0"),
    ("preprocess", "no_above", 1.5, "preprocess.no_above: expected a number > 0 and <= 1"),
    ("preprocess", "min_length", 0, "preprocess.min_length: expected an integer >= 1, got 0"),
    ("preprocess", "lemmatize", "yes", "preprocess.lemmatize: expected true or false, got 'yes'"),
    ("scoring", "measures", ["c_w2v"], "scoring.measures[0]: expected one of c_v, c_npmi"),
    ("scoring", "topn", 1, "scoring.topn: expected an integer >= 2, got 1"),
    ("topwords", "lambda", 2, "topwords.lambda: expected a number >= 0 and <= 1, got 2"),
    ("runner", "executor", "spark", "runner.executor: expected one of local, dask"),
    ("corpus", "format", "xml", "corpus.format: expected one of auto, txt"),
])
def test_bad_values_name_the_key(section, key, value, fragment):
    raw = _raw()
    raw.setdefault(section, {})[key] = value
    with pytest.raises(ConfigError) as err:
        validate(raw)
    assert str(err.value).startswith(fragment), str(err.value)


def test_unknown_keys_and_sections_are_rejected():
    with pytest.raises(ConfigError, match=r"^grid\.num_topic: unknown key; known keys: .*num_topics"):
        validate(_raw(grid={"num_topic": 5}))
    with pytest.raises(ConfigError, match=r"^modle: unknown section"):
        validate(_raw(modle={}))


def test_themes_must_map_names_to_word_lists():
    with pytest.raises(ConfigError, match=r"^themes\.regime_change: expected a non-empty list"):
        validate(_raw(themes={"regime_change": []}))
    with pytest.raises(ConfigError, match=r"^themes\.x\[1\]: expected a non-empty string"):
        validate(_raw(themes={"x": ["ok", 3]}))
    assert validate(_raw(themes={"x": ["regime change"]})).themes == {"x": ["regime change"]}


def test_guided_runs_need_themes():
    with pytest.raises(ConfigError, match=r"^grid\.guided: guided runs need a themes"):
        validate(_raw(grid={"guided": True}))


def test_overrides_are_yaml_and_validated(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("corpus: {path: .}\n")
    config = load_config(path, ["grid.num_topics=[3,4]", "preprocess.no_below=7"])
    assert config.grid["num_topics"] == [3, 4]
    assert config.preprocess["no_below"] == 7
    with pytest.raises(ConfigError, match=r"grid\.num_topics\[0\]: expected an integer"):
        load_config(path, ["grid.num_topics=[x]"])
    with pytest.raises(ConfigError, match=r"^--set: expected key=value"):
        load_config(path, ["grid.num_topics"])
    assert apply_overrides({"a": {"b": 1}}, {"a.c": 2}) == {"a": {"b": 1, "c": 2}}


def test_yaml_errors_name_the_file_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("corpus:\n  path: [unclosed\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml: invalid YAML at line \d+"):
        load_config(path)
    with pytest.raises(ConfigError, match=r"missing\.yaml: config file not found"):
        load_config(tmp_path / "missing.yaml")


def test_python_tags_are_not_executed(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("corpus: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_config(path)


def test_themes_may_live_in_their_own_file(tmp_path):
    (tmp_path / "lex.yaml").write_text("themes:\n  a: [x, y z]\n")
    (tmp_path / "bad.yaml").write_text("themes:\n  a: []\n")
    assert validate(_raw(themes="lex.yaml"), source=tmp_path / "c.yaml").themes == {"a": ["x", "y z"]}
    with pytest.raises(ConfigError, match=r"^themes\.a: expected a non-empty list.*bad\.yaml"):
        validate(_raw(themes="bad.yaml"), source=tmp_path / "c.yaml")
