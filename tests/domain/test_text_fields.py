"""The one rule for typed text, without a database: what is refused, in which words, and
what is normalised (issue 9, defects 2 and 8)."""

from __future__ import annotations

import pytest

from bwv_review.domain.text_fields import (
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    TextFieldError,
    free_text,
    is_blank,
    name_text,
)


def test_free_text_keeps_spaces_and_makes_every_line_break_a_line_feed() -> None:
    typed = "\ufeff  two spaces  \r\nline\rmore\u2028next\u2029para\u0085end\t "
    assert free_text(typed, "note") == "  two spaces  \nline\nmore\nnext\npara\nend\t "
    assert free_text(None, "note") == ""
    assert free_text("mid\ufeffword", "note") == "mid\ufeffword"  # only a leading BOM goes


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("ab\0c", "contains a NUL character (\\0) at position 3; remove it"),
        ("\x1b[31m", "contains a control character (U+001B) at position 1; remove it"),
        ("del\x7f", "contains a control character (U+007F) at position 4; remove it"),
        ("c1\x9b", "contains a control character (U+009B) at position 3; remove it"),
        ("x\ud800", "contains an invalid character (U+D800) at position 2; remove it"),
        ("\r\n\x0c", "contains a control character (U+000C) at position 2; remove it"),
    ],
)
def test_unprintable_characters_are_refused_naming_field_and_place(
    typed: str, problem: str
) -> None:
    with pytest.raises(TextFieldError) as refusal:
        free_text(typed, "general note")
    assert (refusal.value.field, refusal.value.problem) == ("general note", problem)
    assert str(refusal.value) == f"the general note {problem}"


def test_limits_are_counted_in_characters() -> None:
    assert free_text("ü" * MAX_TEXT_CHARS, "note") == "ü" * MAX_TEXT_CHARS
    with pytest.raises(TextFieldError, match="is 50,001 characters long; the most it can hold"):
        free_text("ü" * (MAX_TEXT_CHARS + 1), "note")
    assert name_text("n" * MAX_NAME_CHARS, "name") == "n" * MAX_NAME_CHARS
    with pytest.raises(TextFieldError, match="is 201 characters long; the most it can hold is 200"):
        name_text("n" * (MAX_NAME_CHARS + 1), "name")


def test_names_are_trimmed_and_on_one_line() -> None:
    assert name_text("\ufeff  Q3 panel \r\n", "session's name") == "Q3 panel"
    with pytest.raises(TextFieldError, match="contains a line break at position 3"):
        name_text("Q3\npanel", "session's name")
    with pytest.raises(TextFieldError, match="contains a tab at position 3"):
        name_text("Q3\tpanel", "session's name")


def test_only_spaces_is_blank() -> None:
    assert is_blank(None) and is_blank("") and is_blank(" \n\t ")
    assert not is_blank(" x ")
