"""Typed text made drawable: markup escaped (checked by letting platypus parse it),
controls visible, long text cut where a reader would, Urdu joined and ordered."""

from __future__ import annotations

import unicodedata

import pytest
from reportlab.platypus import Paragraph

from bwv_review.reports.fonts import register_fonts
from bwv_review.reports.pdf_styles import BODY
from bwv_review.reports.text_shaping import (
    chunks,
    clean_text,
    has_rtl,
    is_rtl_paragraph,
    markup,
    visual_line,
    wrap_words,
)
from tests.reports.report_samples import (
    COMBINING,
    CONTROLS,
    LONG_NOTE,
    MARKUP,
    URDU,
    URDU_IN_ENGLISH,
)


@pytest.mark.parametrize("typed", MARKUP)
def test_platypus_reads_the_markup_back_as_the_typed_text(typed: str) -> None:
    register_fonts()
    paragraph = Paragraph(markup(clean_text(typed)), BODY)
    assert "".join(frag.text for frag in paragraph.frags) == typed
    assert {frag.fontName for frag in paragraph.frags} == {"BwvSans"}
    assert not any(
        getattr(frag, "bold", 0) or frag.fontSize != BODY.fontSize for frag in paragraph.frags
    )


def test_line_breaks_are_kept_and_bold_is_the_bundled_bold() -> None:
    register_fonts()
    paragraph = Paragraph(markup("one\ntwo", bold=True), BODY)
    assert [frag.fontName for frag in paragraph.frags if frag.text] == ["BwvSans-Bold"] * 2
    assert "<br/>" in markup("one\ntwo")


def test_controls_are_shown_not_hidden_and_marks_compose() -> None:
    assert clean_text(CONTROLS) == "bell\u2407 null\u2400 escape\u241b delete\u2421 c1\ufffd end"
    assert clean_text("a\tb\r\nc\rd") == "a b\nc\nd"
    assert clean_text("\ud800 lone surrogate") == "\ufffd lone surrogate"
    assert clean_text(COMBINING).startswith("Café naïve Zöe")
    assert clean_text(COMBINING) == unicodedata.normalize("NFC", COMBINING)


def test_a_20000_character_note_is_cut_at_sentences_and_nothing_is_lost() -> None:
    assert len(LONG_NOTE) > 20_000
    pieces = chunks(LONG_NOTE)
    assert len(pieces) > 10 and all(len(piece) <= 1500 for piece in pieces)
    assert all(piece.endswith("length.") for piece in pieces)
    assert " ".join(pieces) == LONG_NOTE


def test_one_long_word_is_cut_anywhere_and_line_breaks_come_first() -> None:
    assert chunks("x" * 4000) == ["x" * 1500, "x" * 1500, "x" * 1000]
    text = "a" * 1000 + "\n" + "b" * 1000
    assert chunks(text) == ["a" * 1000 + "\n", "b" * 1000]


def test_words_wrap_to_the_width() -> None:
    lines = list(wrap_words("aa bb cc dd\nee", 5, len))
    assert lines == ["aa bb", "cc dd", "ee"]


def test_direction_follows_the_first_strong_character() -> None:
    assert is_rtl_paragraph(URDU) and has_rtl(URDU)
    assert not is_rtl_paragraph(URDU_IN_ENGLISH) and has_rtl(URDU_IN_ENGLISH)
    assert not has_rtl("Polish: zażółć") and not is_rtl_paragraph("")


def test_an_urdu_line_is_joined_and_reversed_for_drawing() -> None:
    drawn = visual_line(URDU, rtl_paragraph=True)
    assert drawn != URDU
    assert all("\ufb50" <= char <= "\ufeff" or char == " " for char in drawn), "presentation forms"
    # Read right to left and folded back, the drawn line is the typed one.
    assert unicodedata.normalize("NFKC", drawn[::-1]) == URDU


def test_english_around_urdu_keeps_its_order() -> None:
    drawn = visual_line(URDU_IN_ENGLISH, rtl_paragraph=False)
    assert drawn.startswith("The person said ") and drawn.endswith(
        " in Urdu, then went on in English."
    )
    assert visual_line("plain text", rtl_paragraph=False) == "plain text"


def test_brackets_in_urdu_face_the_text_they_enclose() -> None:
    # Unicode's rule L4: a bracket inside right-to-left text is drawn mirrored, so that
    # "(word)" still opens before the word as the reader reads it.
    drawn = visual_line("پولیس (نے) کی", rtl_paragraph=True)
    assert drawn.index("(") < drawn.index(")")
    assert visual_line("پولیس (AT&T) نے", rtl_paragraph=True).count("(AT&T)") == 1
