from __future__ import annotations

import pytest

from bwv_review.reports.visible_text import visible


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("a\x00b", "a\u2400b"),
        ("bell\x07", "bell\u2407"),
        ("esc\x1b[31m", "esc\u241b[31m"),
        ("del\x7f", "del\u2421"),
        ("c1\x85\x9f", "c1\ufffd\ufffd"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
    ],
)
def test_control_characters_get_a_visible_stand_in(typed: str, shown: str) -> None:
    assert visible(typed) == shown


def test_layout_and_every_printable_script_are_left_as_typed() -> None:
    text = "Tab\there\nnew line: Llanfair ŵŷ, Zażółć, اردو, Soomaali, e\u0301, 👮, \u202bRTL\u202c"

    assert visible(text) == text
