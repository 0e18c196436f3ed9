"""docs/config.md is the schema's own description: generated, complete and up to date."""

from __future__ import annotations

from pathlib import Path

import pytest

from topics.checks import (boolean, choice, choice_or_number, describe, integer, list_of,
                           number, optional, text)
from topics.config import SECTIONS, TOP_LEVEL
from topics.config_doc import main, render_config_doc, yaml_value

DOC = Path(__file__).resolve().parents[1] / "docs" / "config.md"


def test_docs_config_md_is_what_the_generator_writes():
    assert DOC.read_text(encoding="utf-8") == render_config_doc(), (
        "docs/config.md is stale: regenerate it with `make docs` "
        "(python -m topics.config_doc docs/config.md)")


def test_every_key_of_the_schema_is_in_the_reference_with_its_default_and_doc():
    doc = render_config_doc()
    rows = {line.split("|")[1].strip(): line for line in doc.splitlines()
            if line.startswith("| `")}
    for section, fields in SECTIONS.items():
        for key, field in fields.items():
            row = rows[f"`{section}.{key}`"]
            assert describe(field.check).replace("|", "\\|") in row
            assert field.doc.replace("|", "\\|") in row
    assert all(f"`{key}`" in rows for key in TOP_LEVEL)
    assert "| `grid.num_topics` | integer >= 2 | `10` | number of topics K |" in doc
    assert ("| `preprocess.segment` | one of: false, paragraph | `false` |" in doc)


def test_checks_describe_the_values_they_accept():
    assert describe(integer(1)) == "integer >= 1"
    assert describe(integer(0, 5)) == "integer >= 0 and <= 5"
    assert describe(number(0, 1, strict_min=True)) == "number > 0 and <= 1"
    assert describe(optional(text)) == "string, or null"
    assert describe(boolean) == "true or false"
    assert describe(choice(False, "paragraph")) == "one of: false, paragraph"
    assert describe(choice_or_number("symmetric", "auto")) == (
        "one of: symmetric, auto; or a number > 0")
    assert describe(list_of(integer(0), allow_empty=False)) == (
        "non-empty list; each item: integer >= 0")


def test_a_check_without_a_description_is_refused_by_name():
    def odd(value):
        return value

    with pytest.raises(ValueError, match="'odd' does not describe itself"):
        describe(odd)


def test_defaults_are_written_as_yaml():
    assert [yaml_value(v) for v in (None, True, 0.5, "text", ["c_v", "u_mass"], [0])] == [
        "null", "true", "0.5", "text", "[c_v, u_mass]", "[0]"]


def test_the_generator_writes_the_file_it_is_given(tmp_path):
    assert main([str(tmp_path / "config.md")]) == 0
    assert (tmp_path / "config.md").read_text(encoding="utf-8") == render_config_doc()
    assert main([]) == 2
