"""WordNet for NLTK's lemmatiser, provisioned without NLTK's download server (``topics setup``).

``ensure_wordnet`` makes WordNet loadable in three ways, first success wins:

1. ``present``: it already loads (from NLTK's data path, or from ``data_dir`` when one is given);
2. ``download``: ``nltk.download("wordnet")``, run in a subprocess with a timeout so that a
   hanging socket cannot block us and no global socket state changes in this process;
3. ``debian``: Princeton WordNet 3.0 from Debian's packages ``wordnet-base`` and
   ``wordnet-sense-index`` (``/usr/share/wordnet``; installed with ``apt-get`` when running as
   root and missing), copied into ``data_dir/corpora/wordnet`` with the ``lexnames`` file those
   packages lack (its content is the table of the ``lexnames(5WN)`` manual page).

NLTK 3.10 only reads corpora inside its data roots, files that no other account can write, so
files are copied (not linked) and made ``0644`` in a ``0755`` folder.  Every copy is assembled
in a hidden temporary folder beside its final place, checked by loading it with NLTK in a
subprocess, and only then renamed into place: a killed setup never leaves a half copy under
the name NLTK looks for.

``require_wordnet`` and ``load_lemmatizer`` check that lemmatising really works ("geese" ->
"goose"); they raise ``SetupError`` rather than ever falling back to no lemmatisation.  The
lemmatiser is NLTK's, over a WordNet reader that skips work lemmatising never needs.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from topics import nltk_wordnet
from topics.atomic import publish_folder, staging_folder
from topics.errors import ConfigError, SetupError

log = logging.getLogger(__name__)

DEBIAN_WORDNET_DIR = Path("/usr/share/wordnet")
DEBIAN_PACKAGES = ("wordnet-base", "wordnet-sense-index")
INSTRUCTIONS = (
    "Install Princeton WordNet 3.0 from your system packages and run setup again: "
    "`sudo apt-get install wordnet-base wordnet-sense-index` then `topics setup`."
)

# The files NLTK's WordNetCorpusReader opens (its ``_FILES``); all but lexnames ship in Debian.
WORDNET_FILES = (
    "cntlist.rev", "lexnames", "index.sense",
    "index.adj", "index.adv", "index.noun", "index.verb",
    "data.adj", "data.adv", "data.noun", "data.verb",
    "adj.exc", "adv.exc", "noun.exc", "verb.exc",
)

# WordNet 3.0's lexicographer files in file-number order, as listed in lexnames(5WN).
LEXNAMES = (
    "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal",
    "noun.artifact", "noun.attribute", "noun.body", "noun.cognition", "noun.communication",
    "noun.event", "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive",
    "noun.object", "noun.person", "noun.phenomenon", "noun.plant", "noun.possession",
    "noun.process", "noun.quantity", "noun.relation", "noun.shape", "noun.state",
    "noun.substance", "noun.time", "verb.body", "verb.change", "verb.cognition",
    "verb.communication", "verb.competition", "verb.consumption", "verb.contact",
    "verb.creation", "verb.emotion", "verb.motion", "verb.perception", "verb.possession",
    "verb.social", "verb.stative", "verb.weather", "adj.ppl",
)
_SYNTACTIC_CATEGORY = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}

# (word, part of speech, expected lemma): exception list, verb rules, noun rules.
PROBES = (("geese", "n", "goose"), ("running", "v", "run"), ("churches", "n", "church"))

_VERIFY_TIMEOUT = 300.0  # loading WordNet takes a few seconds; the machine may be busy
_APT_TIMEOUT = 900.0

# Run in a subprocess with NLTK_DATA=argv[1]: load "corpora/wordnet" from there, as NLTK's own
# ``nltk.corpus.wordnet`` would (its reader also looks "corpora/wordnet" up by name).
_VERIFY_SCRIPT = f"""
import sys, nltk
from nltk.corpus.reader.wordnet import WordNetCorpusReader
reader = WordNetCorpusReader(nltk.data.find("corpora/wordnet", paths=[sys.argv[1]]), None)
for word, pos, lemma in {PROBES!r}:
    got = reader.morphy(word, pos)
    if got != lemma:
        sys.exit(f"WordNet lemmatised {{word!r}} as {{got!r}}, expected {{lemma!r}}")
"""
_DOWNLOAD_SCRIPT = """
import sys, nltk
sys.exit(0 if nltk.download("wordnet", download_dir=sys.argv[1], quiet=True,
                            raise_on_error=True) else 1)
"""


@dataclass(frozen=True)
class SetupReport:
    """What ``ensure_wordnet`` did: ``method`` is "present", "download" or "debian", ``path``
    the WordNet folder (or zip) NLTK reads, ``message`` one human sentence about it."""

    method: str
    path: Path
    message: str


def default_data_dir() -> Path:
    """``<sys.prefix>/nltk_data``: inside the active virtualenv, on NLTK's default path."""
    return Path(sys.prefix) / "nltk_data"


def lexnames_text() -> str:
    """The ``lexnames`` file NLTK needs: number, name and syntactic category, tab-separated."""
    lines = (
        f"{i:02d}\t{name}\t{_SYNTACTIC_CATEGORY[name.split('.')[0]]}"
        for i, name in enumerate(LEXNAMES)
    )
    return "\n".join(lines) + "\n"


def ensure_wordnet(
    *,
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
    apt: bool = True,
    timeout: float = 10.0,
    debian_dir: str | os.PathLike = DEBIAN_WORDNET_DIR,
) -> SetupReport:
    """Make WordNet loadable by NLTK, trying "present", "download", then "debian" (see module).

    Without ``data_dir`` "present" means loadable from NLTK's data path and anything new goes
    to ``default_data_dir()``; with ``data_dir`` both mean that folder (which NLTK reads only
    if it is on ``nltk.data.path`` or ``NLTK_DATA``).  ``timeout`` (seconds) bounds the
    download; ``debian_dir`` is where the Debian packages put the database.  Raises
    ``SetupError`` with the commands to run when every way fails.
    """
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        raise ConfigError("timeout", f"must be a positive number of seconds, got {timeout!r}")
    for name, flag in (("download", download), ("apt", apt)):
        if not isinstance(flag, bool):
            raise ConfigError(name, f"must be True or False, got {flag!r}")
    found = _present(None if data_dir is None else Path(data_dir))
    if found is not None:
        return SetupReport("present", found, f"WordNet is already installed at {found}.")
    target_dir = default_data_dir() if data_dir is None else Path(data_dir)
    failures = []
    if download:
        try:
            path = _download(target_dir, timeout)
            return SetupReport("download", path, f"Downloaded WordNet with NLTK into {path}.")
        except (SetupError, OSError) as exc:
            failures.append(f"download: {exc}")
    try:
        path = _from_debian(target_dir, Path(debian_dir), apt=apt)
        return SetupReport(
            "debian", path, f"Copied WordNet 3.0 from {debian_dir} (Debian packages) to {path}."
        )
    except (SetupError, OSError) as exc:  # OSError: e.g. data_dir is not writable
        failures.append(f"debian: {exc}")
    raise SetupError(f"WordNet for NLTK is missing and could not be installed "
                     f"({'; '.join(failures)}). " + INSTRUCTIONS)


def require_wordnet() -> None:
    """Raise ``SetupError`` (saying how to install it) unless NLTK's WordNet lemmatises."""
    load_lemmatizer()


def load_lemmatizer(*, data_dir: str | os.PathLike | None = None):
    """NLTK's ``WordNetLemmatizer``, checked to really lemmatise ("geese" -> "goose", ...).

    Its lemmas are NLTK's own (``lemmatize``, ``morphy`` and ``_morphy`` are NLTK's code over
    NLTK's ``WordNetCorpusReader``), but it loads in about a third of the time: NLTK's reader
    also builds, at load, the Open Multilingual WordNet's map from WordNet 3.0 synsets (it
    parses ``index.sense`` twice), which lemmatising never reads; our reader builds that map
    on first use instead (``topics.nltk_wordnet``, ``bench/wordnet_load.py``).  The reader is loaded once per process
    and ``data_dir`` (a cache like NLTK's own ``nltk.corpus.wordnet``), and a pickled
    lemmatiser loads it again on first use where it is unpickled.

    Without ``data_dir`` WordNet is found on NLTK's data path as ``nltk.corpus.wordnet``
    finds it; with ``data_dir`` it is ``data_dir/corpora/wordnet``, which NLTK only reads
    when that folder is on ``nltk.data.path`` or ``NLTK_DATA``.  Raises ``SetupError``
    otherwise.
    """
    key = None if data_dir is None else os.fspath(data_dir)
    where = "NLTK's data path" if key is None else key
    try:
        lemmatizer = nltk_wordnet.lemmatizer(key)
        wrong = [(w, lemmatizer.lemmatize(w, pos), lemma) for w, pos, lemma in PROBES]
    except (LookupError, OSError, ValueError, AssertionError) as exc:
        hint = "" if key is None else (
            " NLTK reads a data folder only when it is on nltk.data.path or NLTK_DATA.")
        raise SetupError(f"WordNet for NLTK cannot be loaded from {where} "
                         f"({_first_line(exc)}).{hint} " + INSTRUCTIONS) from exc
    wrong = [(word, got, lemma) for word, got, lemma in wrong if got != lemma]
    if wrong:
        word, got, lemma = wrong[0]
        raise SetupError(f"WordNet from {where} is damaged: it lemmatises {word!r} as "
                         f"{got!r}, not {lemma!r}. " + INSTRUCTIONS)
    return lemmatizer


def _present(data_dir: Path | None) -> Path | None:
    """Where WordNet already is, or None: NLTK's data path (loaded for real) or one folder."""
    if data_dir is not None:
        folder = data_dir / "corpora" / "wordnet"
        complete = all((folder / name).is_file() for name in WORDNET_FILES)
        return folder if complete else None
    import nltk

    try:
        found = nltk.data.find("corpora/wordnet")
        load_lemmatizer()
    except (LookupError, SetupError) as exc:
        log.info("WordNet not usable from NLTK's data path: %s", _first_line(exc))
        return None
    return Path(getattr(found, "path", None) or str(found))


def _download(data_dir: Path, timeout: float) -> Path:
    """``nltk.download`` into a hidden folder in ``data_dir``, checked, then moved in place."""
    corpora = data_dir / "corpora"
    with staging_folder(corpora, "wordnet-download") as staging:
        _run([sys.executable, "-c", _DOWNLOAD_SCRIPT, str(staging)], timeout, "nltk.download")
        _verify(staging)
        published = None
        for name in ("wordnet.zip", "wordnet"):
            if (staging / "corpora" / name).exists():
                published = publish_folder(staging / "corpora" / name, corpora / name)
        if published is None:
            raise SetupError("nltk.download reported success but left no corpora/wordnet")
    return published


def _from_debian(data_dir: Path, debian_dir: Path, *, apt: bool) -> Path:
    """Copy the Debian database plus ``lexnames`` into ``data_dir/corpora/wordnet``."""
    needed = [name for name in WORDNET_FILES if name != "lexnames"]
    missing = [name for name in needed if not (debian_dir / name).is_file()]
    if missing and apt and debian_dir == DEBIAN_WORDNET_DIR:
        _apt_install()
        missing = [name for name in needed if not (debian_dir / name).is_file()]
    if missing:
        raise SetupError(f"{debian_dir} lacks {', '.join(missing)}")
    corpora = data_dir / "corpora"
    with staging_folder(corpora, "wordnet-debian") as staging:
        folder = staging / "corpora" / "wordnet"
        folder.mkdir(mode=0o755, parents=True)
        for name in needed:
            shutil.copyfile(debian_dir / name, folder / name)
        (folder / "lexnames").write_text(lexnames_text(), encoding="ascii")
        for name in WORDNET_FILES:
            (folder / name).chmod(0o644)
        _verify(staging)
        return publish_folder(folder, corpora / "wordnet")


def _apt_install() -> None:
    """``apt-get install`` the Debian packages (``apt-get update`` first if that fails)."""
    apt_get = shutil.which("apt-get")
    if apt_get is None or os.name != "posix" or os.geteuid() != 0:
        raise SetupError("the Debian packages are missing and installing them needs apt-get "
                         "as root")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [apt_get, "install", "-y", "--no-install-recommends", *DEBIAN_PACKAGES]
    try:
        _run(install, _APT_TIMEOUT, "apt-get install", env=env)
    except SetupError:
        _run([apt_get, "update"], _APT_TIMEOUT, "apt-get update", env=env)
        _run(install, _APT_TIMEOUT, "apt-get install", env=env)


def _verify(staging: Path) -> None:
    """Load ``staging/corpora/wordnet`` in a fresh NLTK whose ``NLTK_DATA`` is ``staging``
    (so NLTK accepts reading it and finds it first); ``SetupError`` if it fails."""
    env = {**os.environ, "NLTK_DATA": str(staging)}
    _run([sys.executable, "-c", _VERIFY_SCRIPT, str(staging)], _VERIFY_TIMEOUT,
         "loading the new WordNet copy with NLTK", env=env)


def _run(cmd: list[str], timeout: float, what: str, env: dict | None = None) -> None:
    log.info("running %s", what)
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env,
                              stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        raise SetupError(f"{what} did not finish within {timeout:g} s") from None
    except OSError as exc:
        raise SetupError(f"{what} could not start: {exc}") from exc
    if done.returncode != 0:
        detail = _last_line(done.stderr) or _last_line(done.stdout) or f"exit {done.returncode}"
        raise SetupError(f"{what} failed: {detail}")


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip(" *=")]
    return lines[0] if lines else type(exc).__name__


def _last_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else ""
