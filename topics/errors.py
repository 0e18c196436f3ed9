"""Errors the toolkit raises for bad input, bad configs and missing resources.

Each carries the place it is about (a file, a row, a config key) so that the CLI can turn it
into one line on stderr with exit code 2.  Anything else escaping to the CLI is a bug (exit 1).
"""

from __future__ import annotations


class TopicsError(Exception):
    """Base class of the errors a user can fix: the CLI prints them in one line, exit 2."""

    def one_line(self) -> str:
        return " ".join(str(self).split())


class ConfigError(TopicsError):
    """A config value is wrong; ``key`` is its path, e.g. ``grid.num_topics[2]``."""

    def __init__(self, key: str, message: str, *, source: str | None = None):
        self.key = key
        self.message = message
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{key}: {message}")


class InputError(TopicsError):
    """A corpus file or row is wrong; ``path`` and optionally ``row`` name it."""

    def __init__(self, path: str, message: str, *, row: int | None = None):
        self.path = str(path)
        self.row = row
        self.message = message
        where = f"{path}" + (f", row {row}" if row is not None else "")
        super().__init__(f"{where}: {message}")


class SetupError(TopicsError):
    """A resource (WordNet, a browser, ...) is missing; the message says how to provide it."""


class StoreError(TopicsError):
    """An experiment folder or its store is damaged, locked, or from a newer version."""
