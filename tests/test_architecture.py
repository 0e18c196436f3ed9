"""The package keeps the layout docs/architecture.md describes.

The import table is parsed from the document itself, so the doc and this check cannot drift
apart: every module of the package must have a row, and every ``topics`` import (also the
ones inside functions) must be one its row allows.  The library rules (engines, plotting)
are the doc's "Rules" paragraph, kept here as data.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "topics"
DOC = ROOT / "docs" / "architecture.md"
FOUNDATION = {"errors", "atomic", "testhooks"}

# library -> the modules that may import it (a module key, as in the table)
ENGINE_ONLY = {"tomotopy": {"engines"}}
SKLEARN_METRICS = {"sklearn.metrics": {"engines", "scoring"}}
GENSIM_CORPUS_TOOLS = {"gensim.corpora": {"engines", "corpus", "corpus_texts", "preprocess"},
                       "gensim.models.phrases": {"engines", "preprocess"}}
PLOTTING = {"matplotlib": {"viz", "report"}, "pyLDAvis": {"viz", "report"}}


def _key(path: Path) -> str:
    """``topics/viz/heatmap.py`` -> ``viz``; ``topics/store.py`` -> ``store``."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


@functools.lru_cache(maxsize=None)
def _table() -> list[tuple[list[str], str]]:
    """(module keys of a row, its "may import" cell) in document order."""
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`topics/"):
            continue
        keys = [Path(m).with_suffix("").name if m.endswith(".py") else Path(m).name
                for m in re.findall(r"`topics/([^`]+)`", cells[0])]
        rows.append((keys, cells[2]))
    return rows


@functools.lru_cache(maxsize=None)
def _allowed() -> dict[str, set[str]]:
    rows = _table()
    order = [k for keys, _ in rows for k in keys]
    allowed = {}
    for i, (keys, cell) in enumerate(rows):
        below = [k for ks, _ in rows[i + 1:] for k in ks]
        if cell == "everything":
            names = set(order)
        elif cell == "everything but `cli`":
            names = set(order) - {"cli"}
        elif cell == "all below":
            names = set(below)
        elif cell == "nothing":
            names = set()
        else:
            names = set(re.findall(r"`([a-z_]+)`", cell))
            assert names, f"cannot read the 'may import' cell {cell!r} of {keys}"
            above = names - set(below)
            assert not above, f"{keys} may import {sorted(above)}, which are not below it"
        for key in keys:  # the modules of one row are one unit, like a package
            allowed[key] = names | FOUNDATION | set(keys)
    return allowed


def _imports(path: Path):
    """(imported module, imported names, line) for every absolute import in ``path`` that
    runs (imports under ``if TYPE_CHECKING:`` are for type checkers only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(block.test)
                   for stmt in block.body for n in ast.walk(stmt)}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, (), node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, tuple(a.name for a in node.names), node.lineno


def _target(module: str, names: tuple[str, ...]) -> list[str]:
    """The table keys a ``topics`` import reaches (``from topics import x, y``: each)."""
    parts = module.split(".")
    if len(parts) > 1:
        return [parts[1]]
    found = [n for n in names if (PACKAGE / f"{n}.py").exists() or (PACKAGE / n).is_dir()]
    return found + (["__init__"] if len(found) < len(names) else [])


FILES = sorted(p for p in PACKAGE.rglob("*.py") if "templates" not in p.parts)


def test_the_doc_table_covers_every_module():
    allowed = _allowed()
    missing = sorted({_key(p) for p in FILES} - set(allowed))
    assert not missing, f"modules without a row in docs/architecture.md: {missing}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_table(path):
    allowed = _allowed()
    me = _key(path)
    wrong = []
    for module, names, line in _imports(path):
        if module != "topics" and not module.startswith("topics."):
            continue
        for target in _target(module, names):
            if target != me and target not in allowed[me]:
                wrong.append(f"line {line}: {module} ({target})")
            if target == "cli":
                wrong.append(f"line {line}: imports cli")
        if module.startswith("topics.") and _target(module, names) != [me]:
            private = [n for n in names if n.startswith("_") and n != "__version__"]
            if private:
                wrong.append(f"line {line}: private names {private} from {module}")
    assert not wrong, f"{path.relative_to(ROOT)} breaks docs/architecture.md: {wrong}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_engine_and_plotting_libraries_stay_in_their_modules(path):
    me = _key(path)
    wrong = []
    for module, names, line in _imports(path):
        full = [module] + [f"{module}.{n}" for n in names]
        top = module.split(".")[0]
        if top in ENGINE_ONLY and me not in ENGINE_ONLY[top]:
            wrong.append(f"line {line}: {module} outside engines/")
        if top in PLOTTING and me not in PLOTTING[top]:
            wrong.append(f"line {line}: {module} outside viz/ and report.py")
        if top == "sklearn" and me != "engines" and not (
                module.startswith("sklearn.metrics") and me in SKLEARN_METRICS["sklearn.metrics"]):
            wrong.append(f"line {line}: {module} (a scikit-learn model) outside engines/")
        if module == "gensim" and not names:  # `import gensim`: its version, in a cache key
            continue
        if top == "gensim" and me != "engines":
            tools = [prefix for prefix, where in GENSIM_CORPUS_TOOLS.items()
                     if any(f == prefix or f.startswith(prefix + ".") for f in full)
                     and me in where]
            if not tools:
                wrong.append(f"line {line}: {module} {names} (a gensim model) outside engines/")
    assert not wrong, f"{path.relative_to(ROOT)}: {wrong}"


def test_the_table_has_no_cycle():
    allowed = _allowed()
    order = [k for keys, _ in _table() for k in keys]
    for key, names in allowed.items():
        row = next(keys for keys, _ in _table() if key in keys)
        later = {n for n in names - FOUNDATION - set(row) if order.index(n) <= order.index(key)}
        assert not later, f"{key} may import {sorted(later)} above it"
