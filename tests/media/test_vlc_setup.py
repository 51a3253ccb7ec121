"""libvlc's start-up: on a machine with no sound device a clip with sound plays without
flooding stderr with ALSA's complaints (issue 11: ~9,500 lines), and libvlc's own errors
reach our log instead of the terminal."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import pytest

from bwv_review.media.vlc_loader import vlc_module
from bwv_review.media.vlc_setup import VlcLog, instance_args, sound_device_present
from tests.media.clipgen import ClipSpec, make_clip

REPOSITORY = Path(__file__).resolve().parents[2]


def _no_sound_environment(tmp_path: Path) -> dict[str, str]:
    """No sound server, no ALSA set-up of the user's own: a headless box."""
    env = {k: v for k, v in os.environ.items() if k not in ("PULSE_SERVER", "DISPLAY")}
    for name in ("home", "runtime"):
        (tmp_path / name).mkdir()
    return {
        **env,
        "HOME": str(tmp_path / "home"),
        "XDG_RUNTIME_DIR": str(tmp_path / "runtime"),
        "QT_QPA_PLATFORM": "offscreen",
    }


def test_a_clip_with_sound_plays_with_no_alsa_flood_on_a_box_without_sound(
    tmp_path: Path,
) -> None:
    env = _no_sound_environment(tmp_path)
    if sound_device_present(environ=env):
        pytest.skip("this machine has a sound card, so ALSA has a device to open")
    clip = make_clip(ClipSpec("with-sound", Fraction(25), 150, sound=True), tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "tests.media.play_briefly", str(clip)],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert run.stdout.strip().splitlines()[-1] == "played"
    alsa = [line for line in run.stderr.splitlines() if "alsa" in line.lower()]
    assert len(alsa) < 10, f"{len(alsa)} ALSA lines on stderr, e.g. {alsa[:3]}"


def test_sound_device_found_by_server_card_or_own_alsa_set_up(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux is checked")
    home, runtime = tmp_path / "home", tmp_path / "run"
    home.mkdir()
    (runtime / "pulse").mkdir(parents=True)
    bare = {"HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}

    def present(env: dict[str, str]) -> bool:
        return sound_device_present(environ=env, root=tmp_path, home=home)

    assert not present(bare)
    assert present({**bare, "PULSE_SERVER": "tcp:sound.example:4713"})
    (runtime / "pipewire-0").touch()
    assert present(bare)
    (runtime / "pipewire-0").unlink()
    (tmp_path / "dev" / "snd").mkdir(parents=True)
    (tmp_path / "dev" / "snd" / "controlC0").touch()
    assert not present(bare)  # a mixer alone plays nothing
    (tmp_path / "dev" / "snd" / "pcmC0D0p").touch()
    assert present(bare)
    (tmp_path / "dev" / "snd" / "pcmC0D0p").unlink()
    (home / ".asoundrc").touch()
    assert present(bare)


def test_audio_output_chosen_only_without_a_device_nor_a_setting() -> None:
    def args(extra: tuple[str, ...], has_sound: bool) -> list[str]:
        return instance_args(extra, has_sound=lambda: has_sound)

    assert args((), True) == ["--quiet", "--no-video-title-show"]
    assert args((), False) == ["--quiet", "--no-video-title-show", "--aout=dummy"]
    assert args(("--aout=pulse",), False) == ["--quiet", "--no-video-title-show", "--aout=pulse"]
    assert "--aout=dummy" not in args(("--no-audio",), False)


def test_libvlc_errors_reach_our_log_a_few_times_each(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    """A media that cannot be opened makes libvlc log errors from its own threads."""
    vlc = vlc_module()
    instance = vlc.Instance(instance_args(("--aout=dummy",)))
    bridge = VlcLog(vlc, instance)
    player = instance.media_player_new()
    missing = tmp_path / "not-there.mp4"
    with caplog.at_level(logging.INFO, logger="bwv_review.media.vlc_setup"):
        for _ in range(5):
            player.set_media(instance.media_new_path(str(missing)))
            player.play()
            deadline = time.monotonic() + 5
            while player.get_state() not in (vlc.State.Error, vlc.State.Ended):
                if time.monotonic() > deadline:
                    break
                time.sleep(0.02)
            player.stop()
    player.release()
    bridge.detach()
    instance.release()
    messages = [r.getMessage() for r in caplog.records]
    opened = [m for m in messages if m.startswith("libvlc filesystem: cannot open file")]
    assert len(opened) == 3, messages  # five failures, logged three times
    assert str(missing) in opened[0] and opened[-1].endswith("(repeats; not logged again)")
    assert max(messages.count(m) for m in set(messages)) <= 3
