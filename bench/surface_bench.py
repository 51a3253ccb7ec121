"""Playing 1080p at 25 fps with sound on each surface: CPU, pictures shown and lost.

Chooses the default surface by measurement (issue 14): the callback surface names every
paused frame exactly, the native one cannot see its picture; this says what the callback
surface costs while playing. Each surface runs in its own process on its own Xvfb display
(and the callback surface also offscreen); libvlc's own counters say how many pictures it
displayed and lost, and getrusage how much CPU the process used.

    .venv/bin/python bench/surface_bench.py [--seconds 20] [--quick] [--json]

The issue sets no number for these: they are the grounds for the default surface, printed
for context (the callback surface's share of the native one's CPU among them).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import Figure, add_flags, context, reported

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

_AUDIO_ARGS = ("--aout=dummy",)  # no sound server here; dummy still paces audio by the clock


def make_hd_clip(folder: Path, seconds: int) -> Path:
    """1080p25 with a tone, a 10 s GOP and 2 B-frames, as a body-worn camera exports."""
    path = folder / "hd1080p25_sound.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=25:duration={seconds + 5}",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
         "-c:v", "libx264", "-preset", "veryfast", "-g", "250", "-bf", "2", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-shortest", str(path)],
        check=True,
    )  # fmt: skip
    return path


def child(kind: str, clip: Path, seconds: float) -> None:
    """Play the clip on one surface and print the figures as JSON (runs on the display)."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from bwv_review.media.playback_state import PlaybackState
    from bwv_review.media.player import VlcPlayer
    from bwv_review.media.surfaces import SurfaceKind, make_surface

    def wait_ms(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    app = QApplication([])
    surface = make_surface(SurfaceKind(kind))
    surface.resize(1280, 720)
    surface.show()
    player = VlcPlayer(surface, vlc_args=_AUDIO_ARGS)
    player.load(clip)
    wait_ms(3000)  # opened, and the fingerprints around the start built once
    player.play()
    while player.state is not PlaybackState.PLAYING:
        wait_ms(10)
    wait_ms(1000)
    media = player._media  # libvlc's counters live on the media
    stats_before = _stats(media)
    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    wait_ms(round(seconds * 1000))
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    stats = _stats(media)
    cpu = (usage.ru_utime - usage_before.ru_utime) + (usage.ru_stime - usage_before.ru_stime)
    player.close()
    app.quit()
    print(
        json.dumps(
            {
                "cpu_percent_of_one_core": round(100 * cpu / wall),
                "displayed_per_s": round((stats[0] - stats_before[0]) / wall, 1),
                "lost": stats[1] - stats_before[1],
                "audio_lost": stats[2] - stats_before[2],
            }
        )
    )


def _stats(media: object) -> tuple[int, int, int]:
    from bwv_review.media.vlc_loader import vlc_module

    vlc = vlc_module()
    stats = vlc.MediaStats()
    media.get_stats(stats)  # type: ignore[attr-defined]
    return stats.displayed_pictures, stats.lost_pictures, stats.lost_abuffers


def run_child(kind: str, clip: Path, seconds: float, platform: str) -> dict:
    from tests.support.xvfb import xvfb_display

    command = [sys.executable, __file__, "--child", kind, str(clip), "--seconds", str(seconds)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    if platform == "offscreen":
        env["QT_QPA_PLATFORM"] = "offscreen"
        run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    else:
        with xvfb_display("1920x1080x24") as display:
            env.update({"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"})
            run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise RuntimeError(run.stderr[-2000:])
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=None, help="20, or 5 with --quick")
    parser.add_argument("--child", nargs=2, metavar=("SURFACE", "CLIP"))
    add_flags(parser)
    args = parser.parse_args()
    seconds = args.seconds or (5.0 if args.quick else 20.0)
    if args.child:
        child(args.child[0], Path(args.child[1]), seconds)
        return
    with reported("surface_bench", args.json) as figures:
        measure(seconds, figures)


def measure(seconds: float, figures: list[Figure]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        clip = make_hd_clip(Path(folder), round(seconds) + 10)
        print(f"playing 1080p25 with sound for {seconds:.0f} s (2 cores shared):")
        cpu_percent: dict[str, float] = {}
        for kind, platform in (("native", "xcb"), ("callback", "xcb"), ("callback", "offscreen")):
            result = run_child(kind, clip, seconds, platform)
            print(
                f"  {kind:8s} on {platform:9s}: CPU {result['cpu_percent_of_one_core']}% of "
                f"one core, {result['displayed_per_s']} pictures/s shown, "
                f"{result['lost']} lost, {result['audio_lost']} audio buffers lost"
            )
            label = f"1080p25 with sound, {kind} surface on {platform}"
            cpu_percent[f"{kind} {platform}"] = result["cpu_percent_of_one_core"]
            figures.append(
                context(f"{label}: CPU of one core", result["cpu_percent_of_one_core"], "%")
            )
            figures.append(context(f"{label}: pictures shown", result["displayed_per_s"], "/s"))
            figures.append(context(f"{label}: pictures lost", result["lost"], ""))
            figures.append(context(f"{label}: audio buffers lost", result["audio_lost"], ""))
        if cpu_percent["native xcb"]:
            ratio = cpu_percent["callback xcb"] / cpu_percent["native xcb"]
            figures.append(context("1080p25 on Xvfb: callback CPU / native CPU", ratio, "x"))


if __name__ == "__main__":
    main()
