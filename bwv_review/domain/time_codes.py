"""How a moment in a clip is written wherever people read it: the player's readout, the
learning points list, the consensus view and the learning export all quote the same time
code and frame, so a training lead can find the moment a reviewer marked."""

from __future__ import annotations


def format_ms(position_ms: int) -> str:
    """HH:MM:SS.mmm, the form reviewers quote learning points in."""
    position_ms = max(position_ms, 0)
    hours, rest = divmod(position_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def describe_frame(frame_index: int | None, uncertainty: int) -> str:
    """The frame a point was stamped on; exact only when the player knew it to the frame."""
    if frame_index is None:
        return "frame unknown"
    return f"frame {frame_index} " + ("(exact)" if uncertainty == 0 else f"±{uncertainty}")
