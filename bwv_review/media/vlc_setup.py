"""How each libvlc instance is started: an audio output that exists on this machine, and
libvlc's own messages sent into the app's log instead of the terminal; and the marquee
that carries the watermark on a native window, where Qt cannot paint.

On a machine with no sound device (a headless box, a laptop whose sound is switched off in
the firmware) libvlc's ALSA output tries to open the device again for every block of sound
and libasound prints eight lines to stderr each time: about 9,500 lines for a few minutes
of footage. libasound prints those itself, so no libvlc log setting reaches them; only not
opening ALSA does. When nothing can play sound, the clip's sound goes to libvlc's dummy
output instead (the picture and the clock are unchanged). libvlc's own messages of warning
level and above go into our log, a few of each kind, so a flood cannot fill it either.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from threading import Lock
from types import ModuleType
from typing import Any

log = logging.getLogger(__name__)

BASE_ARGS = ("--quiet", "--no-video-title-show")
NO_SOUND_DEVICE_ARGS = ("--aout=dummy",)
# libvlc's levels (vlc.LogLevel): 0 debug, 2 notice, 3 warning, 4 error.
_LIBVLC_WARNING = 3
_LIBVLC_ERROR = 4
_MESSAGE_BYTES = 1024
# A kind of message logged this many times is not logged again: libvlc repeats itself.
_REPEATS_LOGGED = 3
_DISTINCT_REMEMBERED = 500  # then forget them all: the counts only keep floods out


def sound_device_present(
    *, environ: dict[str, str] | None = None, root: Path = Path("/"), home: Path | None = None
) -> bool:
    """Whether libvlc has something to play sound to. Only Linux is checked: Windows and
    macOS report a missing device quietly. A sound server (PulseAudio, PipeWire), a
    sound card, or a user's own ALSA set-up (which may route to anything) counts."""
    if not sys.platform.startswith("linux"):
        return True
    env = os.environ if environ is None else environ
    if env.get("PULSE_SERVER"):
        return True
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime and any((Path(runtime) / name).exists() for name in ("pulse/native", "pipewire-0")):
        return True
    snd = root / "dev" / "snd"
    if snd.is_dir() and any(node.name.startswith("pcm") for node in snd.iterdir()):
        return True
    home = home if home is not None else Path(env.get("HOME", "~")).expanduser()
    return (home / ".asoundrc").exists() or (root / "etc" / "asound.conf").exists()


def _chooses_audio(args: Sequence[str]) -> bool:
    return any(a.startswith(("--aout", "-A")) or a in ("--no-audio", "--noaudio") for a in args)


def instance_args(
    extra: Sequence[str] = (), *, has_sound: Callable[[], bool] = sound_device_present
) -> list[str]:
    """The arguments for vlc.Instance: ours, the audio output when there is no device
    (unless the settings chose one), then the settings' own."""
    args = [*BASE_ARGS]
    if not _chooses_audio(extra) and not has_sound():
        log.info("no sound device found: clips play without sound")
        args.extend(NO_SOUND_DEVICE_ARGS)
    return [*args, *extra]


def _vsnprintf() -> Any | None:
    """C's vsnprintf, to expand libvlc's printf-style messages; None where not found."""
    try:
        if sys.platform.startswith("win"):
            function = ctypes.cdll.msvcrt._vsnprintf
        else:
            function = ctypes.CDLL(ctypes.util.find_library("c")).vsnprintf
    except (OSError, AttributeError):
        return None
    function.restype = ctypes.c_int
    function.argtypes = (ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p)
    return function


class VlcLog:
    """libvlc's errors in our log at INFO and its warnings at DEBUG, its notices and
    debug messages not at all: libvlc reports routine events as errors ("Timestamp
    conversion failed" on every paused seek) and recovers from them, while a real failure
    to play reaches our log through the player's own warning. Each kind of message (its
    format) is logged at most _REPEATS_LOGGED times, so a flood cannot fill the log. Keep the object
    as long as the instance: libvlc holds a raw pointer to its callback. Call `detach`
    before releasing the instance."""

    def __init__(self, vlc: ModuleType, instance: Any) -> None:
        self._instance = instance
        self._format = _vsnprintf()
        self._seen: Counter[tuple[str, bytes]] = Counter()
        self._lock = Lock()
        context = vlc.dll.libvlc_log_get_context
        context.restype = None
        context.argtypes = (
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_char_p),
            ctypes.POINTER(ctypes.c_char_p),
            ctypes.POINTER(ctypes.c_uint),
        )
        self._context = context
        self._callback = vlc.CallbackDecorators.LogCb(self._receive)
        instance.log_set(self._callback, None)

    def detach(self) -> None:
        """Stop receiving; waits for a message being received (libvlc_log_unset)."""
        self._instance.log_unset()

    def _receive(self, _data: Any, level: int, ctx: Any, fmt: bytes | None, args: Any) -> None:
        # Runs on libvlc's threads: anything raised here would be lost, so nothing is.
        level_here = logging.INFO if level >= _LIBVLC_ERROR else logging.DEBUG
        if level < _LIBVLC_WARNING or not fmt or not log.isEnabledFor(level_here):
            return
        try:
            module = ctypes.c_char_p()
            self._context(ctx, ctypes.byref(module), None, None)
            source = (module.value or b"libvlc").decode("utf-8", "replace")
            with self._lock:  # counted by format: the numbers in a message vary
                if len(self._seen) > _DISTINCT_REMEMBERED:
                    self._seen.clear()
                self._seen[(source, fmt)] += 1
                count = self._seen[(source, fmt)]
            if count <= _REPEATS_LOGGED:
                text = " ".join(self._expand(fmt, args).split())
                more = " (repeats; not logged again)" if count == _REPEATS_LOGGED else ""
                log.log(level_here, "libvlc %s: %s%s", source, text, more)
        except Exception:  # a logging failure must not reach libvlc
            log.debug("a libvlc message could not be read", exc_info=True)

    def _expand(self, fmt: bytes, args: Any) -> str:
        if self._format is None:
            return fmt.decode("utf-8", "replace")
        buffer = ctypes.create_string_buffer(_MESSAGE_BYTES)
        self._format(buffer, _MESSAGE_BYTES, fmt, args)
        return buffer.value.decode("utf-8", "replace")


def show_marquee(vlc: ModuleType, media_player: Any, text: str) -> None:
    """libvlc's marquee, bottom right and half opaque, refreshed every second (the text
    carries strftime codes for the current time, which libvlc expands)."""
    option = vlc.VideoMarqueeOption
    media_player.video_set_marquee_int(option.Enable, 1)
    media_player.video_set_marquee_string(option.Text, text)
    media_player.video_set_marquee_int(option.Position, 8 + 2)  # bottom right
    media_player.video_set_marquee_int(option.Opacity, 150)
    media_player.video_set_marquee_int(option.Refresh, 1000)
