"""Bad configs and untrusted config content: every error names its key path, in one line.

A table-driven test gives every field of every section of ``topics.config.SECTIONS`` values
of the wrong type and checks that the ``ConfigError`` starts with the field's key path and
shows the value; named cases cover unknown engines and measures, empty grid axes, zero and
negative counts, more topics than documents and themes with no word in the vocabulary (both
through ``topics run``).  Configs are read with ``yaml.safe_load``: Python tags are refused
with a one-line error and never executed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from topics.config import SECTIONS, load_config, validate
from topics.errors import ConfigError

from ._cli import assert_user_error, run_topics, write_config

BASE = {"corpus": {"path": "corpus"}}
FIELDS = [(section, key, field) for section, fields in SECTIONS.items()
          for key, field in fields.items()]
BAD_MAPPING = {"not": "a value"}


def _with(section: str, key: str, value: Any) -> dict:
    raw = {"corpus": dict(BASE["corpus"])}
    raw.setdefault(section, {})[key] = value
    return raw


def wrong_values(field) -> list[tuple[Any, str]]:
    """(wrongly typed value, how the error shows it) for one field: a mapping, a list of
    mappings, and a scalar of the wrong kind (a string for true/false fields, else true)."""
    scalar = ("true", "'true'") if isinstance(field.default, bool) else (True, "True")
    if not isinstance(field.default, bool) and _accepts(field, True):  # e.g. auto | true | false
        scalar = (12345, "12345")
    return [(BAD_MAPPING, str(BAD_MAPPING)), ([BAD_MAPPING], str(BAD_MAPPING)), scalar]


def _accepts(field, value) -> bool:
    try:
        field.check(value)
    except (ValueError, TypeError):
        return False
    return True


def test_every_section_has_fields_to_check():
    assert len(FIELDS) >= 40 and {s for s, _, _ in FIELDS} == set(SECTIONS)


@pytest.mark.parametrize("section,key,field", FIELDS, ids=[f"{s}.{k}" for s, k, _ in FIELDS])
def test_a_wrongly_typed_value_for_every_field_names_its_key_path(section, key, field):
    for value, shown in wrong_values(field):
        with pytest.raises(ConfigError) as err:
            validate(_with(section, key, value))
        message = str(err.value)
        assert message.startswith(f"{section}.{key}"), (value, message)
        assert err.value.key.startswith(f"{section}.{key}")
        assert shown in message, (value, message)
        assert "\n" not in message


@pytest.mark.parametrize("top,value,key", [
    ("name", BAD_MAPPING, "name"), ("name", "   ", "name"),
    ("themes", ["economy"], "themes"), ("themes", {"economy": BAD_MAPPING}, "themes.economy"),
    ("themes", {"economy": []}, "themes.economy"),
    ("themes", {"economy": ["markets", 42]}, "themes.economy[1]"),
    ("corpus", ["a", "list"], "corpus"), ("grids", {}, "grids"),
])
def test_wrong_top_level_values_name_their_key(top, value, key):
    raw = {**BASE, top: value} if top != "corpus" else {"corpus": value}
    with pytest.raises(ConfigError) as err:
        validate(raw)
    assert str(err.value).startswith(f"{key}:"), str(err.value)


#: (key path, value, key path the error starts with, words of the message)
NAMED = [
    ("grid.engine", "mallet", "grid.engine[0]", "gensim, tomotopy"),
    ("grid.engine", ["gensim", "sklearn"], "grid.engine[1]", "sklearn"),
    ("scoring.measures", ["c_v", "c_w2v"], "scoring.measures[1]", "c_w2v"),
    ("scoring.measures", [], "scoring.measures", "non-empty"),
    ("grid.num_topics", [], "grid.num_topics", "non-empty"),
    ("grid.alpha", [], "grid.alpha", "non-empty"),
    ("grid.seeds", [], "grid.seeds", "non-empty"),
    ("grid.num_topics", 0, "grid.num_topics[0]", ">= 2"),
    ("grid.num_topics", -5, "grid.num_topics[0]", "-5"),
    ("grid.num_topics", [5, 10, 1], "grid.num_topics[2]", "got 1"),
    ("grid.seeds", [0, -1], "grid.seeds[1]", "-1"),
    ("grid.passes", 0, "grid.passes[0]", ">= 1"),
    ("grid.iterations", -100, "grid.iterations[0]", "-100"),
    ("grid.chunksize", 0, "grid.chunksize[0]", ">= 1"),
    ("grid.burn_in", -1, "grid.burn_in[0]", ">= 0"),
    ("grid.workers", 0, "grid.workers[0]", ">= 1"),
    ("grid.alpha", -0.1, "grid.alpha[0]", "-0.1"),
    ("grid.alpha", 0, "grid.alpha[0]", "got 0"),
    ("grid.eta", "asymmetric", "grid.eta[0]", "asymmetric"),
    ("grid.guided_boost", 0, "grid.guided_boost[0]", "> 1"),
    ("grid.guided_boost", 0.5, "grid.guided_boost[0]", "> 1 and <= 1000000, got 0.5"),
    ("grid.guided_boost", 1, "grid.guided_boost[0]", "> 1 and <= 1000000, got 1"),
    ("preprocess.min_length", 0, "preprocess.min_length", ">= 1"),
    ("preprocess.no_below", 0, "preprocess.no_below", ">= 1"),
    ("preprocess.no_above", 0, "preprocess.no_above", "got 0"),
    ("preprocess.no_above", 1.5, "preprocess.no_above", "1.5"),
    ("preprocess.keep_n", 0, "preprocess.keep_n", ">= 1"),
    ("preprocess.chunk_min_words", -3, "preprocess.chunk_min_words", "-3"),
    ("preprocess.chunk_max_words", 1, "preprocess.chunk_max_words", ">= 2"),
    ("preprocess.phrase_min_count", 0, "preprocess.phrase_min_count", ">= 1"),
    ("preprocess.phrase_threshold", -1, "preprocess.phrase_threshold", "-1"),
    ("scoring.topn", 1, "scoring.topn", ">= 2"),
    ("scoring.diversity_topn", 0, "scoring.diversity_topn", ">= 1"),
    ("topwords.topn", -1, "topwords.topn", "-1"),
    ("topwords.lambda", 1.5, "topwords.lambda", "1.5"),
    ("runner.n_jobs", 0, "runner.n_jobs", ">= 1"),
    ("runner.executor", "slurm", "runner.executor", "slurm"),
    ("corpus.format", "xml", "corpus.format", "xml"),
    ("grid.num_topic", 5, "grid.num_topic", "unknown key"),
]


@pytest.mark.parametrize("path,value,key,words", NAMED,
                         ids=[f"{p}={v!r}" for p, v, _, _ in NAMED])
def test_named_bad_values(path, value, key, words):
    section, name = path.split(".")
    with pytest.raises(ConfigError) as err:
        validate(_with(section, name, value))
    assert str(err.value).startswith(f"{key}:"), str(err.value)
    assert words in str(err.value)


def test_chunk_bounds_must_be_ordered():
    raw = {**BASE, "preprocess": {"chunk_min_words": 100, "chunk_max_words": 50}}
    with pytest.raises(ConfigError, match=r"^preprocess\.chunk_max_words: .*100.*50"):
        validate(raw)


def test_zero_is_not_false_for_segment():
    with pytest.raises(ConfigError, match=r"^preprocess\.segment"):
        validate({**BASE, "preprocess": {"segment": 0}})


# ---------------------------------------------------------------- through the CLI
#: One field per section through ``--set`` (the table above covers every field in-process).
CLI_FIELDS = [(s, next(iter(f))) for s, f in SECTIONS.items()]


@pytest.mark.parametrize("section,key", CLI_FIELDS, ids=[f"{s}.{k}" for s, k in CLI_FIELDS])
def test_cli_set_a_mapping_is_one_line_naming_the_key(section, key, tmp_path, tiny_corpus):
    config = write_config(tmp_path / "c.yaml", {"corpus": {"path": str(tiny_corpus)}})
    result = run_topics("preprocess", config, "--set", f"{section}.{key}={{not: a value}}")
    line = assert_user_error(result, f"{section}.{key}", "'not': 'a value'")
    assert line.startswith(f"topics: error: {config}: {section}.{key}")


def _light_run(corpus: Path, **sections: dict) -> dict:
    config = {"corpus": {"path": str(corpus)},
              "preprocess": {"lemmatize": False, "phrases": False, "no_below": 1,
                             "no_above": 1.0},
              "grid": {"engine": "gensim", "num_topics": 2, "passes": 1, "iterations": 5},
              "output": {"ldavis": False, "report": False},
              "runner": {"n_jobs": 1}}
    for name, values in sections.items():
        config[name] = {**config.get(name, {}), **values}
    return config


@pytest.mark.slow
def test_more_topics_than_documents_is_exit_2_naming_num_topics(tmp_path, tiny_corpus):
    config = write_config(tmp_path / "k.yaml", _light_run(tiny_corpus, grid={"num_topics": [2, 5]}))
    result = run_topics("run", config, "--out", tmp_path / "out")
    line = assert_user_error(result, "grid.num_topics", "5", only_line=False)
    assert "3 documents" in line


@pytest.mark.slow
def test_theme_with_no_word_in_the_vocabulary_is_exit_2_naming_it(tmp_path, tiny_corpus):
    raw = _light_run(tiny_corpus)
    raw["themes"] = {"markets": ["markets", "inflation"], "astronomy": ["nebula", "telescope"]}
    config = write_config(tmp_path / "t.yaml", raw)
    result = run_topics("run", config, "--out", tmp_path / "out")
    line = assert_user_error(result, "themes.astronomy", "nebula", only_line=False)
    assert "themes.markets" not in line


# ---------------------------------------------------------------- untrusted content
PYTHON_TAGS = [
    "name: !!python/object/apply:os.system ['touch {marker}']\n",
    "name: !!python/object/new:subprocess.Popen [['touch', '{marker}']]\n",
    "!!python/object/apply:os.system ['touch {marker}']\n",
    "corpus: !!python/name:os.system\n",
]


@pytest.mark.parametrize("template", PYTHON_TAGS)
def test_python_tags_are_refused_in_one_line_and_never_run(template, tmp_path, tiny_corpus):
    marker = tmp_path / "executed"
    config = tmp_path / "evil.yaml"
    config.write_text(f"corpus:\n  path: {tiny_corpus}\n" * ("corpus:" not in template)
                      + template.format(marker=marker), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(config)
    assert "python" in str(err.value) and str(config) in str(err.value)
    result = run_topics("preprocess", config)
    assert_user_error(result, str(config), "python")
    assert not marker.exists()


def test_python_tag_in_a_set_override_is_refused(tmp_path, tiny_corpus):
    marker = tmp_path / "executed"
    config = write_config(tmp_path / "c.yaml", {"corpus": {"path": str(tiny_corpus)}})
    result = run_topics("preprocess", config, "--set",
                        f"name=!!python/object/apply:os.system ['touch {marker}']")
    assert_user_error(result, "name")
    assert not marker.exists()


@pytest.mark.parametrize("content,words", [
    (b"corpus:\n  path: x\nname: caf\xe9\n", "cannot read config"),
    (b"corpus:\n  path: x\x00\n", "invalid YAML"),
    (b"corpus: [unclosed\n", "line"),
    (b"- just\n- a list\n", "mapping"),
])
def test_unreadable_configs_are_one_line(content, words, tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_bytes(content)
    result = run_topics("preprocess", config)
    assert_user_error(result, str(config), words)


@pytest.mark.slow
def test_deeply_nested_yaml_is_one_line(tmp_path):
    config = tmp_path / "deep.yaml"
    config.write_text("corpus:\n  path: x\nname: " + "[" * 3000 + "]" * 3000 + "\n",
                      encoding="utf-8")
    result = run_topics("preprocess", config)
    assert_user_error(result, str(config))


def _alias_bomb(levels: int) -> str:
    """A few hundred bytes of YAML whose aliases expand to 10**levels strings."""
    items = ["&a0 [x, x, x, x, x, x, x, x, x, x]"]
    items += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "corpus:\n  path: x\ngrid:\n  num_topics: [[" + ", ".join(items) + "]]\n"


def test_alias_bomb_gives_a_short_error(tmp_path):
    config = tmp_path / "bomb.yaml"
    config.write_text(_alias_bomb(6), encoding="utf-8")
    assert config.stat().st_size < 1000
    result = run_topics("preprocess", config)
    line = assert_user_error(result, "grid.num_topics[0]")
    assert len(line) < 2000, len(line)
