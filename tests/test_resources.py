"""WordNet provisioning: the Debian copy really lemmatises, failures say what to run."""

from __future__ import annotations

import gzip
import pickle
import re
from pathlib import Path

import pytest

from topics.errors import ConfigError, SetupError
from topics.resources import (
    DEBIAN_WORDNET_DIR,
    WORDNET_FILES,
    ensure_wordnet,
    lexnames_text,
    load_lemmatizer,
    require_wordnet,
)

LEXNAMES_MAN = Path("/usr/share/man/man5/lexnames.5WN.gz")
COMMANDS = "apt-get install wordnet-base wordnet-sense-index"


def _debian_dir() -> Path:
    if not (DEBIAN_WORDNET_DIR / "data.noun").is_file():
        pytest.skip("needs Debian's wordnet-base and wordnet-sense-index in /usr/share/wordnet")
    return DEBIAN_WORDNET_DIR


@pytest.fixture(scope="module")
def assembled(tmp_path_factory):
    """A data dir filled from the Debian packages, over a stale half copy, and its report."""
    debian = _debian_dir()
    data_dir = tmp_path_factory.mktemp("nltk_data")
    stale = data_dir / "corpora" / "wordnet"
    stale.mkdir(parents=True)
    (stale / "lexnames").write_text("00\tadj.all\t3\n")
    report = ensure_wordnet(data_dir=data_dir, download=False, apt=False, debian_dir=debian)
    return data_dir, report


@pytest.fixture
def on_nltk_path(monkeypatch, assembled):
    import nltk

    data_dir, _ = assembled
    monkeypatch.setattr(nltk.data, "path", [str(data_dir), *nltk.data.path])
    return data_dir


def test_lexnames_match_the_manual_page():
    if not LEXNAMES_MAN.is_file():
        pytest.skip("the lexnames(5WN) manual page is not installed")
    page = gzip.decompress(LEXNAMES_MAN.read_bytes()).decode("latin-1")
    table = re.findall(r"^(\d\d)\t(\S+)\s*\t", page, flags=re.MULTILINE)
    assert len(table) == 45
    ours = [line.split("\t") for line in lexnames_text().splitlines()]
    assert [(number, name) for number, name, _ in ours] == table
    categories = {"noun": "1", "verb": "2", "adj": "3", "adv": "4"}
    assert all(cat == categories[name.split(".")[0]] for _, name, cat in ours)


@pytest.mark.slow
def test_debian_copy_replaces_a_stale_one_with_every_file(assembled):
    data_dir, report = assembled
    folder = data_dir / "corpora" / "wordnet"
    assert report.method == "debian"
    assert report.path == folder
    assert str(folder) in report.message
    assert sorted(p.name for p in folder.iterdir()) == sorted(WORDNET_FILES)
    assert (folder / "data.noun").read_bytes() == (DEBIAN_WORDNET_DIR / "data.noun").read_bytes()
    assert len((folder / "lexnames").read_text().splitlines()) == 45
    assert all((folder / name).stat().st_mode & 0o022 == 0 for name in WORDNET_FILES)
    assert [p.name for p in (data_dir / "corpora").iterdir()] == ["wordnet"]  # no staging left


@pytest.mark.slow
def test_second_run_finds_it_present(assembled):
    data_dir, _ = assembled
    again = ensure_wordnet(data_dir=data_dir, download=False, apt=False,
                           debian_dir=data_dir / "nothing-here")
    assert again.method == "present"
    assert again.path == data_dir / "corpora" / "wordnet"


@pytest.mark.slow
def test_lemmatiser_from_the_debian_copy_lemmatises(on_nltk_path):
    lemmatizer = load_lemmatizer(data_dir=on_nltk_path)
    assert lemmatizer.lemmatize("mice") == "mouse"
    assert lemmatizer.lemmatize("women") == "woman"
    assert lemmatizer.lemmatize("ran", "v") == "run"
    assert lemmatizer.lemmatize("better", "a") == "good"
    assert lemmatizer.lemmatize("zzqxv") == "zzqxv"


def test_nothing_available_raises_with_the_commands(tmp_path):
    empty = tmp_path / "no-wordnet"
    empty.mkdir()
    with pytest.raises(SetupError) as info:
        ensure_wordnet(data_dir=tmp_path / "data", download=False, apt=False, debian_dir=empty)
    message = str(info.value)
    assert COMMANDS in message
    assert "topics setup" in message
    assert "data.noun" in message  # says what was missing
    assert not (tmp_path / "data" / "corpora" / "wordnet").exists()


@pytest.mark.slow
def test_a_copy_nltk_cannot_load_is_never_published(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in WORDNET_FILES:
        (broken / name).write_text("not wordnet\n")
    data_dir = tmp_path / "data"
    with pytest.raises(SetupError, match="loading the new WordNet copy"):
        ensure_wordnet(data_dir=data_dir, download=False, apt=False, debian_dir=broken)
    assert list((data_dir / "corpora").iterdir()) == []


def test_load_lemmatizer_without_wordnet_raises(tmp_path):
    with pytest.raises(SetupError) as info:
        load_lemmatizer(data_dir=tmp_path)
    assert str(tmp_path) in str(info.value)
    assert COMMANDS in str(info.value)


@pytest.mark.parametrize("bad", [0, -1.0, "10", True])
def test_bad_timeout_is_a_config_error(bad):
    with pytest.raises(ConfigError) as info:
        ensure_wordnet(timeout=bad, download=False, apt=False)
    assert info.value.key == "timeout"
    assert repr(bad) in str(info.value)


@pytest.mark.slow
def test_default_lemmatiser_uses_nltk_data_path_and_pickles():
    import nltk

    try:
        nltk.data.find("corpora/wordnet")
    except LookupError:
        with pytest.raises(SetupError, match="topics setup"):
            require_wordnet()
        return
    require_wordnet()
    lemmatizer = pickle.loads(pickle.dumps(load_lemmatizer()))
    assert lemmatizer.lemmatize("geese") == "goose"
    assert lemmatizer.lemmatize("running", "v") == "run"


def _bbc_words(bbc_dir: Path, count: int) -> list[str]:
    """``count`` distinct words of the BBC articles as written (case kept), spread over the
    alphabet."""
    words = set()
    for path in sorted(bbc_dir.glob("*/*.txt")):
        words.update(re.findall(r"\w+(?:['-]\w+)*", path.read_text(encoding="latin-1")))
    ordered = sorted(words)
    return ordered[:: max(1, len(ordered) // count)]


@pytest.mark.slow
def test_lemmas_are_those_of_nltks_own_lemmatiser(bbc_dir):
    import nltk

    try:
        nltk.data.find("corpora/wordnet")
    except LookupError:
        pytest.skip("WordNet is not on NLTK's data path")
    from nltk.corpus import wordnet
    from nltk.stem import WordNetLemmatizer

    from topics.preprocess.steps import lemmatize_word

    # plus forms from WordNet's exception lists (adv.exc is the adverbs' only morphology)
    words = _bbc_words(bbc_dir, 4000) + ["best", "better", "further", "geese", "went", "women"]
    assert len(words) >= 4000
    ours, theirs = load_lemmatizer(), WordNetLemmatizer()
    changed = 0
    for pos in ("n", "v", "a", "r", "nv"):  # every lemmatize_pos of topics.preprocess
        expected = [lemmatize_word(theirs, word, pos) for word in words]
        assert [lemmatize_word(ours, word, pos) for word in words] == expected, pos
        changed += sum(lemma != word for lemma, word in zip(expected, words))
    assert changed > 1500
    assert [ours.morphy(w) for w in words] == [theirs.morphy(w) for w in words]
    assert [ours._morphy(w, "v") for w in words] == [theirs._morphy(w, "v") for w in words]
    # The map built on first use instead of at load is NLTK's own.
    assert wordnet.map30 and ours.wordnet.map30 == wordnet.map30
    assert ours.wordnet.nomap == wordnet.nomap
