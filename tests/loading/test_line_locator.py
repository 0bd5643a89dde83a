"""The one line locator every data-file error uses: any key of any TOML document is found on its line."""

from __future__ import annotations

import tomllib
from typing import Any

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from trpkit.loading.lines import line_of

DOC = """\
# a comment
title = "x"

[meta]
id = "delphi-adult-labour"
"quoted key" = 1
sources = [
  "a",
  "b",
]

[[indicators]]
id = "AL-1.01"
strength = "strong"

[[indicators]]
id = "AL-1.02"
note = \"\"\"
strength = "not a key: inside a string"
\"\"\"
strength = "weak"

[items]
"5.01" = { ilo = ["FL-01"], ircc = [] }

[[meta.authorities]]
citation = "R. v. X"

[sectors.agriculture]
en = ["harvest"]
"""


def test_keys_tables_and_array_entries_are_found_on_their_line() -> None:
    assert line_of(DOC, ("title",)) == 2
    assert line_of(DOC, ("meta",)) == 4
    assert line_of(DOC, ("meta", "id")) == 5
    assert line_of(DOC, ("meta", "quoted key")) == 6
    assert line_of(DOC, ("meta", "sources", 1)) == 7  # inside a multi-line value: the key's line
    assert line_of(DOC, ("indicators", 0)) == 12
    assert line_of(DOC, ("indicators", 1, "id")) == 17
    assert line_of(DOC, ("indicators", 1, "strength")) == 21  # not the look-alike inside the string
    assert line_of(DOC, ("items", "5.01", "ilo", 0)) == 24
    assert line_of(DOC, ("meta", "authorities", 0, "citation")) == 27
    assert line_of(DOC, ("sectors", "agriculture", "en")) == 30


def test_a_missing_key_points_at_its_table_and_nothing_at_none() -> None:
    assert line_of(DOC, ("indicators", 0, "label")) == 12  # the entry's header: add it there
    assert line_of(DOC, ("meta", "checked")) == 4
    assert line_of(DOC, ("nowhere", "at all")) is None
    assert line_of("", ("meta",)) is None


keys = st.from_regex(r"[a-z][a-z0-9_-]{0,8}|[0-9]\.[0-9]{2}", fullmatch=True)
scalars = st.one_of(st.text(max_size=20), st.integers(-5, 5), st.booleans())
# Nested tables of scalars and lists of scalars (tomli_w writes arrays of tables inline, on their
# key's line; [[array]] entries are covered by the document above and by the data-file fuzz tests).
tables = st.recursive(
    st.dictionaries(keys, st.one_of(scalars, st.lists(scalars, max_size=3)), max_size=4),
    lambda inner: st.dictionaries(keys, st.one_of(scalars, inner), max_size=4),
    max_leaves=25,
)


def _leaves(data: Any, path: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], Any]]:
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(data, list) and data and all(isinstance(v, dict) for v in data):
        return [leaf for i, value in enumerate(data) for leaf in _leaves(value, (*path, i))]
    return [(path, data)]


@settings(max_examples=150, deadline=None)
@given(tables)
def test_every_value_of_any_document_is_found_on_the_line_that_sets_it(data: dict[str, Any]) -> None:
    text = tomli_w.dumps(data)
    lines = text.split("\n")
    for path, value in _leaves(data):
        if not path or not isinstance(path[-1], str):
            continue
        line = line_of(text, path)
        assert line is not None, (path, text)
        key = str(path[-1])
        written = lines[line - 1].lstrip()
        assert written.startswith((f"{key} =", f'"{key}" =')), (path, line, text)
        if not isinstance(value, list):  # a scalar sits whole on its line: it is the one at ``path``
            assert tomllib.loads(written)[key] == value
