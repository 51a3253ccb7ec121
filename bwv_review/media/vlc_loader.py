"""Find libvlc and its plugins before `import vlc`, and say clearly when they are absent.

python-vlc looks for libvlc at import time and, on a bad PYTHON_VLC_LIB_PATH, calls
`sys.exit(1)`; on Linux without libvlc it raises NotImplementedError. Neither may take the
app down: scoring, reports and everything else must keep working without a player. So the
library is checked here first, the bundled copy of a frozen build is pointed at through the
environment variables python-vlc reads, and the outcome is a plain value the UI can show.
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

LIB_ENV_VAR = "PYTHON_VLC_LIB_PATH"
PLUGIN_ENV_VAR = "PYTHON_VLC_MODULE_PATH"

# The exact step a non-technical administrator can follow on each platform. The 64-bit VLC
# matters on Windows: a 32-bit libvlc cannot be loaded by a 64-bit Python.
INSTALL_HINTS: dict[str, str] = {
    "linux": "Debian/Ubuntu: sudo apt install vlc",
    "win32": (
        "Windows: install VLC media player 64-bit from https://www.videolan.org/vlc/ "
        "(or run: winget install VideoLAN.VLC), then restart bwv-review"
    ),
    "darwin": (
        "macOS: install VLC.app into /Applications from https://www.videolan.org/vlc/ "
        "(or run: brew install --cask vlc), then restart bwv-review"
    ),
}

# Names of the bundled library inside a frozen build's `vlc/` folder, per platform.
_BUNDLED_LIB_NAMES: dict[str, tuple[str, ...]] = {
    "linux": ("libvlc.so.5", "libvlc.so"),
    "win32": ("libvlc.dll",),
    "darwin": ("libvlc.dylib",),
}


def _platform_key() -> str:
    if sys.platform.startswith("win"):
        return "win32"
    if sys.platform == "darwin":
        return "darwin"
    return "linux"


def install_hint_for_this_platform() -> str:
    return INSTALL_HINTS[_platform_key()]


@dataclass(frozen=True)
class VlcStatus:
    """What the UI shows about playback: available with version and paths, or why not."""

    available: bool
    version: str | None
    problem: str | None
    install_hint: str
    lib_path: str | None = None
    plugin_path: str | None = None

    def describe(self) -> str:
        """One human sentence, for `--version`, the about box and the empty player area."""
        if self.available:
            where = self.lib_path or "system library"
            return f"libvlc {self.version} ({where})"
        return f"Video playback unavailable: {self.problem}. To fix: {self.install_hint}"


class VlcUnavailableError(RuntimeError):
    """Raised by `vlc_module()` when libvlc is missing; the message says how to install it."""


def _point_at_bundled_copy() -> None:
    """In a frozen build, use the libvlc shipped beside the program unless the user chose one.

    The bundle layout is `<bundle>/vlc/<libvlc>` and `<bundle>/vlc/plugins/`.
    """
    if not getattr(sys, "frozen", False):
        return
    bundle = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "vlc"
    for name in _BUNDLED_LIB_NAMES[_platform_key()]:
        lib = bundle / name
        if lib.exists():
            os.environ.setdefault(LIB_ENV_VAR, str(lib))
            break
    plugins = bundle / "plugins"
    if plugins.is_dir():
        os.environ.setdefault(PLUGIN_ENV_VAR, str(plugins))


def _check_env_paths() -> str | None:
    """Check what python-vlc would otherwise answer with sys.exit(1)."""
    lib = os.environ.get(LIB_ENV_VAR)
    if lib:
        core = Path(lib).with_name(Path(lib).name.replace("libvlc", "libvlccore"))
        try:
            if core != Path(lib) and core.exists():
                # libvlc needs libvlccore's symbols; a bundled copy is not on the loader path.
                ctypes.CDLL(str(core), mode=getattr(ctypes, "RTLD_GLOBAL", 0))
            ctypes.CDLL(lib)
        except OSError as exc:
            return f"{LIB_ENV_VAR}={lib} cannot be loaded ({exc})"
    plugins = os.environ.get(PLUGIN_ENV_VAR)
    if plugins and not os.path.isdir(plugins):
        return f"{PLUGIN_ENV_VAR}={plugins} is not a folder"
    return None


def _loaded_lib_path(vlc: ModuleType) -> str | None:
    """The file the dynamic loader actually opened (python-vlc only knows the short name)."""
    name = getattr(vlc.dll, "_name", None)
    if name and os.path.isabs(name):
        return name
    maps = Path("/proc/self/maps")
    if maps.exists():
        for line in maps.read_text().splitlines():
            path = line.split(maxsplit=5)[-1]
            if "/libvlc.so" in path:
                return path
    return name


def _plugin_path(vlc: ModuleType, lib_path: str | None) -> str | None:
    explicit = os.environ.get(PLUGIN_ENV_VAR) or getattr(vlc, "plugin_path", None)
    if explicit:
        return str(explicit)
    if lib_path and os.path.isabs(lib_path):
        candidate = Path(lib_path).parent / "vlc" / "plugins"
        if candidate.is_dir():
            return str(candidate)
    return None


def check_instance(vlc: ModuleType) -> str | None:
    """libvlc loads but cannot start (e.g. no plugins) when Instance() returns None."""
    instance = vlc.Instance(["--quiet", "--no-video-title-show"])
    if instance is None:
        return "libvlc was found but could not start (are its plugins installed?)"
    instance.release()
    return None


@functools.cache
def _import_vlc() -> tuple[ModuleType | None, VlcStatus]:
    hint = install_hint_for_this_platform()
    _point_at_bundled_copy()
    problem = _check_env_paths()
    if problem:
        return None, VlcStatus(False, None, problem, hint)
    try:
        import vlc
    except (OSError, ImportError, NotImplementedError, AttributeError) as exc:
        return None, VlcStatus(False, None, f"libvlc was not found ({exc})", hint)
    problem = check_instance(vlc)
    lib_path = _loaded_lib_path(vlc)
    if problem:
        return None, VlcStatus(False, None, problem, hint, lib_path)
    version = vlc.libvlc_get_version().decode("utf-8", "replace").split()[0]
    return vlc, VlcStatus(True, version, None, hint, lib_path, _plugin_path(vlc, lib_path))


def load_vlc() -> VlcStatus:
    """Locate and load libvlc once; later calls return the same answer at no cost."""
    return _import_vlc()[1]


def vlc_module() -> ModuleType:
    """The imported python-vlc module, for the player; raises when libvlc is missing."""
    vlc, status = _import_vlc()
    if vlc is None:
        raise VlcUnavailableError(status.describe())
    return vlc
