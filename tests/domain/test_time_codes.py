"""Time codes and frames read the same in the player, the lists and the exports."""

from __future__ import annotations

from bwv_review.domain.time_codes import describe_frame, format_ms


def test_time_codes_are_hours_minutes_seconds_and_milliseconds() -> None:
    assert format_ms(0) == "00:00:00.000"
    assert format_ms(62_500) == "00:01:02.500"
    assert format_ms(3_600_000 + 1) == "01:00:00.001"
    assert format_ms(-5) == "00:00:00.000"


def test_a_frame_says_whether_it_is_exact() -> None:
    assert describe_frame(None, 0) == "frame unknown"
    assert describe_frame(12, 0) == "frame 12 (exact)"
    assert describe_frame(12, 3) == "frame 12 ±3"
