"""Versions of everything a support contact asks about first: app, Python, Qt, libvlc."""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtCore import qVersion

from bwv_review import __version__
from bwv_review.media.vlc_loader import load_vlc


def version_report() -> str:
    vlc = load_vlc()
    if vlc.available:
        vlc_line = f"libvlc: {vlc.version} ({vlc.lib_path or 'system library'})"
    else:
        vlc_line = f"libvlc: not found ({vlc.problem}); to install: {vlc.install_hint}"
    return "\n".join(
        [
            f"bwv-review {__version__}",
            f"Python: {sys.version.split()[0]}",
            f"Qt: {qVersion()} (PySide6 {PySide6.__version__})",
            vlc_line,
        ]
    )
