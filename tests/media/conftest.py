"""A player on the callback surface (the only surface that works offscreen), with audio
sent nowhere, and the generated clips."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from bwv_review.media.player import VlcPlayer
from bwv_review.media.surfaces import CallbackSurface
from tests.media.fixtures import TEST_VLC_ARGS, clip_paths

__all__ = ["clip_paths"]


@pytest.fixture
def surface(qtbot: QtBot) -> CallbackSurface:
    widget = CallbackSurface()
    widget.resize(320, 240)
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def player(surface: CallbackSurface) -> Iterator[VlcPlayer]:
    vlc_player = VlcPlayer(surface, vlc_args=TEST_VLC_ARGS)
    yield vlc_player
    vlc_player.close()
