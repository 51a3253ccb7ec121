"""The bundled fonts: every hostile character is covered (read with fontTools, not with
the code under test), runs go to the font that has the glyph, licences ship beside them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as FontToolsFont

from bwv_review.reports.fonts import ARABIC, BUNDLED, LATIN, SYMBOLS, face_name, font_runs
from bwv_review.reports.text_shaping import REPLACEMENT, clean_text
from tests.reports.report_samples import EMOJI, HOSTILE, URDU, URDU_IN_ENGLISH

REPO = Path(__file__).resolve().parents[2]
FONTS = REPO / "resources" / "fonts"


@cache
def _cmap(file_name: str) -> frozenset[int]:
    return frozenset(FontToolsFont(FONTS / file_name).getBestCmap())


def _covering(char: str) -> list[str]:
    files = [name for font in BUNDLED for name in (font.regular_file, font.bold_file) if name]
    return [name for name in files if ord(char) in _cmap(name)]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_every_character_of_hostile_text_is_covered_by_a_bundled_font(text: str) -> None:
    cleaned = clean_text(text)
    uncovered = [f"U+{ord(char):04X}" for char in cleaned if char != "\n" and not _covering(char)]
    assert uncovered == []


def test_nothing_typed_is_replaced_except_what_no_font_has() -> None:
    for text in HOSTILE:
        if "\x85" in text:  # a C1 control has no picture and is shown as U+FFFD
            continue
        assert REPLACEMENT not in clean_text(text), text
    assert clean_text("漢字") == REPLACEMENT * 2, "no bundled font has CJK: shown, not dropped"


def test_each_run_is_in_a_font_that_has_all_its_glyphs() -> None:
    for text in HOSTILE:
        for bold in (False, True):
            for face, run in font_runs(clean_text(text), bold):
                font = next(font for font in BUNDLED if face_name(font, bold) == face)
                file_name = font.bold_file if bold and font.bold_file else font.regular_file
                missing = [char for char in run if ord(char) not in _cmap(file_name)]
                assert missing == [], (face, run)


def test_urdu_goes_to_naskh_emoji_to_symbola_and_ampersands_stay_in_their_run() -> None:
    assert font_runs(URDU) == [(ARABIC.name, URDU)]
    faces = [face for face, _run in font_runs(URDU_IN_ENGLISH)]
    assert faces == [LATIN.name, ARABIC.name, LATIN.name]
    assert SYMBOLS.name in {face for face, _run in font_runs(EMOJI)}
    assert font_runs("AT&T <b>") == [(LATIN.name, "AT&T <b>")]
    assert font_runs("Bold", bold=True) == [(f"{LATIN.name}-Bold", "Bold")]


def test_each_bundled_font_ships_with_its_licence_and_is_in_the_notices() -> None:
    notices = (REPO / "THIRD_PARTY_NOTICES.md").read_text(encoding="utf-8")
    licences = {LATIN: "LICENSE-DejaVu.txt", ARABIC: "OFL-1.1.txt", SYMBOLS: "LICENSE-Symbola.txt"}
    for font in BUNDLED:
        for name in (font.regular_file, font.bold_file):
            if name:
                assert (FONTS / name).is_file()
                assert name in notices
        assert (FONTS / licences[font]).stat().st_size > 200
