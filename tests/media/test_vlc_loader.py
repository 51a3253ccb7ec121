"""libvlc discovery: found on this machine, and a clear answer (never an exit) when not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from types import SimpleNamespace

from bwv_review.media import vlc_loader

_REPORT = (
    "import json, dataclasses; from bwv_review.media.vlc_loader import load_vlc; "
    "print(json.dumps(dataclasses.asdict(load_vlc())))"
)


def _status_in_fresh_process(**env: str) -> dict[str, object]:
    """python-vlc binds the library at import, so each environment needs its own process."""
    result = subprocess.run(
        [sys.executable, "-c", _REPORT],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_system_libvlc_is_found_with_version_and_paths() -> None:
    status = vlc_loader.load_vlc()
    assert status.available
    assert status.version is not None and status.version.startswith("3.")
    assert status.problem is None
    assert status.lib_path and "libvlc" in status.lib_path
    assert status.plugin_path and os.path.isdir(status.plugin_path)
    assert status.version in status.describe()


def test_repeated_calls_are_cheap_and_identical() -> None:
    assert vlc_loader.load_vlc() is vlc_loader.load_vlc()
    assert vlc_loader.vlc_module() is vlc_loader.vlc_module()


def test_unloadable_library_path_is_reported_not_exited() -> None:
    status = _status_in_fresh_process(PYTHON_VLC_LIB_PATH="/nonexistent/libvlc.so.5")
    assert status["available"] is False
    assert "/nonexistent/libvlc.so.5" in str(status["problem"])
    assert "apt install vlc" in str(status["install_hint"])


def test_plugin_path_that_is_not_a_folder_is_reported() -> None:
    status = _status_in_fresh_process(PYTHON_VLC_MODULE_PATH="/nonexistent/plugins")
    assert status["available"] is False
    assert "PYTHON_VLC_MODULE_PATH" in str(status["problem"])


def test_instance_returning_none_counts_as_missing() -> None:
    fake = SimpleNamespace(Instance=lambda _args: None)
    problem = vlc_loader.check_instance(fake)  # type: ignore[arg-type]
    assert problem is not None and "plugins" in problem


def test_every_platform_has_an_exact_install_step() -> None:
    assert set(vlc_loader.INSTALL_HINTS) == {"linux", "win32", "darwin"}
    assert "winget install VideoLAN.VLC" in vlc_loader.INSTALL_HINTS["win32"]
    assert "brew install --cask vlc" in vlc_loader.INSTALL_HINTS["darwin"]


def test_missing_status_explains_the_fix() -> None:
    status = vlc_loader.VlcStatus(False, None, "libvlc was not found", "sudo apt install vlc")
    assert "libvlc was not found" in status.describe()
    assert "sudo apt install vlc" in status.describe()
