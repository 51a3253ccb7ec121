"""Finding the line where a key of a TOML text is written, which every rubric error quotes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bwv_review.domain.toml_key_lines import KeyLineIndex

LOCATOR_SOURCE = """\
title = "x"
[a]
b.c = 1
"quoted key" = 2
text = \"\"\"
[not_a_table]
x = 1
\"\"\"
[[list]]
v = 1
[[list]]
v = [
  1,
  { w = 2, 'z' = 3 },
]
[[list.sub]]
s = 3
"""


@pytest.mark.parametrize(
    ("key_path", "line"),
    [
        (("title",), 1),
        (("a", "b", "c"), 3),
        (("a", "quoted key"), 4),
        (("a", "text"), 5),
        (("a", "x"), 2),
        (("not_a_table",), 1),
        (("list", 0, "v"), 10),
        (("list", 1), 11),
        (("list", 1, "v", 0), 13),
        (("list", 1, "v", 1, "z"), 14),
        (("list", 1, "sub", 0, "s"), 17),
        (("list", 1, "sub", 0, "missing"), 16),
        ((), 1),
    ],
)
def test_key_line_index_finds_keys_where_they_are_written(
    key_path: tuple[str | int, ...], line: int
) -> None:
    assert KeyLineIndex(LOCATOR_SOURCE).line_of(key_path) == line


@given(
    source=st.text(alphabet="[]{}=.,\"'#\\ \n\tab1-_"),
    key_path=st.lists(st.one_of(st.text(max_size=5), st.integers(-3, 30)), max_size=6),
)
def test_key_line_index_never_fails_and_stays_inside_the_text(
    source: str, key_path: list[str | int]
) -> None:
    """It decorates error messages, so a strange file must never turn into a crash."""
    line = KeyLineIndex(source).line_of(tuple(key_path))
    assert 1 <= line <= source.count("\n") + 1
