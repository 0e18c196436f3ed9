"""Save a :class:`ModelOutput` to a folder and read it back.

A model folder holds ``output.json`` (engine, parameters, vocabulary, document ids, topic
names, format version), one ``.npy`` file per matrix (and ``extra.<name>.npy`` per array a
model family adds), and the engine's native model under ``native/`` (nmf: its components,
idf weights and options as ``.npy``/JSON, no pickle).  The folder is written under a
temporary name beside it and then renamed into place, so a reader never sees half a model;
an existing folder is replaced.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from topics import testhooks
from topics.atomic import atomic_folder
from topics.engines.base import ModelOutput
from topics.engines.params import ENGINES
from topics.errors import StoreError

FORMAT = 1
_ARRAYS = ("topic_word", "doc_topic", "term_frequency", "doc_lengths")
_EXTRA = "extra."  # extras are saved as extra.<name>.npy


def _native(engine: str) -> tuple[Callable, Callable]:
    """The (save, load) pair of ``engine``'s own model.  Its library is imported here, on
    first use: checking or reading the matrices needs none."""
    from topics.engines import dmm, gensim_lda, sklearn_nmf, tomotopy_families, tomotopy_lda

    if engine in tomotopy_families.CLASSES:
        return tomotopy_families.save, tomotopy_families.loader(engine)
    return {"gensim": (gensim_lda.save, gensim_lda.load),
            "tomotopy": (tomotopy_lda.save, tomotopy_lda.load),
            "nmf": (sklearn_nmf.save, sklearn_nmf.load), "dmm": (dmm.save, dmm.load)}[engine]


def save_model(output: ModelOutput, folder: str | os.PathLike) -> Path:
    """Write ``output`` to ``folder`` atomically (replacing it if present); return the path."""
    folder = Path(folder)
    with atomic_folder(folder) as staged:
        try:
            _write(output, staged)
        except OSError as err:  # numpy's short writes lose errno: say which model failed
            raise StoreError(f"{folder}: cannot write the model ({err})") from err
    return folder


def _write(output: ModelOutput, folder: Path) -> None:
    meta = {"format": FORMAT, "engine": output.engine, "params": output.params,
            "vocab": list(output.vocab), "doc_ids": list(output.doc_ids),
            "topic_names": None if output.topic_names is None else list(output.topic_names)}
    (folder / "output.json").write_text(json.dumps(meta), encoding="utf-8")
    for name in _ARRAYS:
        np.save(folder / f"{name}.npy", getattr(output, name), allow_pickle=False)
    for name, array in output.extras.items():
        np.save(folder / f"{_EXTRA}{name}.npy", array, allow_pickle=False)
    testhooks.pause("model-write", folder=folder)
    if output.native is not None:
        (folder / "native").mkdir()
        _native(output.engine)[0](output.native, folder / "native")


def load_model(folder: str | os.PathLike, *, native: bool = True) -> ModelOutput:
    """Read a folder written by :func:`save_model` (``native=False`` skips the engine model,
    which only :func:`~topics.engines.infer` needs).  Raises StoreError if it is damaged."""
    folder = Path(folder)
    try:
        meta = json.loads((folder / "output.json").read_text(encoding="utf-8"))
        arrays = {name: np.load(folder / f"{name}.npy", allow_pickle=False)
                  for name in _ARRAYS}
        extras = {path.name[len(_EXTRA):-len(".npy")]: np.load(path, allow_pickle=False)
                  for path in sorted(folder.glob(f"{_EXTRA}*.npy"))}
    except (OSError, ValueError) as err:
        raise StoreError(f"{folder}: not a readable model folder ({err})") from err
    if meta.get("format") != FORMAT or meta.get("engine") not in ENGINES:
        raise StoreError(f"{folder}: unknown model format {meta.get('format')!r} or engine "
                         f"{meta.get('engine')!r}")
    model = None
    if native and (folder / "native").is_dir():
        try:
            model = _native(meta["engine"])[1](folder / "native")
        except Exception as err:  # noqa: BLE001 - any engine failure means a damaged file
            raise StoreError(f"{folder}: cannot load the native model ({err})") from err
    names = meta["topic_names"]
    return ModelOutput(engine=meta["engine"], params=meta["params"], vocab=tuple(meta["vocab"]),
                       doc_ids=tuple(meta["doc_ids"]),
                       topic_names=None if names is None else tuple(names),
                       native=model, extras=extras, **arrays)


def check_model_files(folder: str | os.PathLike) -> None:
    """Raise StoreError naming the file if a model folder's ``output.json`` or a matrix is
    missing, holds objects (a pickle) or is cut short.  Reads the ``.npy`` headers and file
    sizes only, so it is cheap enough to run on every completed run."""
    folder = Path(folder)
    if not (folder / "output.json").is_file():
        raise StoreError(f"{folder / 'output.json'}: missing")
    for name in _ARRAYS:
        path = folder / f"{name}.npy"
        try:
            with open(path, "rb") as f:
                version = np.lib.format.read_magic(f)
                read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                        else np.lib.format.read_array_header_2_0)
                shape, _, dtype = read(f)
                expected = f.tell() + int(np.prod(shape)) * dtype.itemsize
            if dtype.hasobject or os.path.getsize(path) != expected:
                raise ValueError("objects, or not the size its header says")
        except (OSError, ValueError) as err:
            raise StoreError(f"{path}: damaged or unreadable ({err})") from None
