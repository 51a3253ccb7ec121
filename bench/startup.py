"""Launch to the first window a person sees, and the memory held then, beside an empty window.

Each launch is a fresh `python -m bwv_review` under its own Xvfb; the clock stops when the X
server maps a top-level window whose _NET_WM_PID is the launched process (MapNotify, read by
a small Xlib client on the root window, so no sleep and no polling). The process's VmRSS and
the CPU time it has used (user and system, all threads) are read at that moment; CPU time is
steadier than wall time on a busy machine. Two starts are measured: a workspace with accounts
(the sign-in window) and a fresh home (the welcome window). The baseline is an empty PySide6
window launched the same way, in the same rounds, interleaved in a rotating order so a load
spike on a shared machine falls on all three alike.

    .venv/bin/python bench/startup.py [--rounds 12] [--quick] [--json]
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from figures import Figure, add_flags, at_most, context, reported
from Xlib import X, display
from Xlib.error import XError

from tests.support.xvfb import xvfb_display

EMPTY_WINDOW = (
    "from PySide6.QtWidgets import QApplication, QWidget\n"
    "app = QApplication([])\n"
    "window = QWidget()\n"
    "window.setWindowTitle('empty')\n"
    "window.show()\n"
    "app.exec()\n"
)
GOAL_RATIO = 2.0
WINDOW_TIMEOUT_S = 60.0
PIN = "4826-1937"
APP = [sys.executable, "-m", "bwv_review"]


@dataclass(frozen=True)
class Launch:
    elapsed_ms: float
    rss_mib: float
    cpu_ms: float  # user + system, all threads, at the map: steadier than wall time under load


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def _cpu_ms(pid: int) -> float:
    # Fields 14 and 15 of /proc/PID/stat, after the command name in parentheses.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _window_pid(screen: display.Display, window_id: int) -> int | None:
    atom = screen.intern_atom("_NET_WM_PID")
    try:
        prop = screen.create_resource_object("window", window_id).get_full_property(
            atom, X.AnyPropertyType
        )
    except XError:
        return None  # gone already
    return int(prop.value[0]) if prop is not None and len(prop.value) else None


def launch(screen: display.Display, command: list[str], env: dict[str, str]) -> Launch:
    """Time from starting `command` to the X server mapping its first top-level window.
    `screen` is one connection kept open for the whole run: Xvfb resets when its last
    client leaves, and a connection made during the reset is refused."""
    screen.sync()
    while screen.pending_events():
        screen.next_event()  # the previous launch's unmaps and destroys
    display_name = screen.get_display_name()
    started = time.perf_counter()
    child = subprocess.Popen(
        command,
        env={**env, "DISPLAY": display_name, "QT_QPA_PLATFORM": "xcb"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = started + WINDOW_TIMEOUT_S
        while True:
            if not screen.pending_events():
                left_s = deadline - time.perf_counter()
                if left_s <= 0 or child.poll() is not None:
                    child.kill()
                    _, err = child.communicate()
                    raise RuntimeError(f"no window from {command}: {err.decode()[-2000:]}")
                select.select([screen.fileno()], [], [], min(left_s, 0.5))
                continue
            event = screen.next_event()
            if event.type != X.MapNotify:
                continue
            elapsed_ms = (time.perf_counter() - started) * 1000
            rss_mib, cpu_ms = _rss_mib(child.pid), _cpu_ms(child.pid)
            if _window_pid(screen, event.window.id) == child.pid:
                return Launch(elapsed_ms, rss_mib, cpu_ms)
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()


def _prepared_workspace(root: Path, env: dict[str, str]) -> Path:
    """A home holding a workspace with one administrator, so launching shows sign-in."""
    home = root / "with-accounts"
    subprocess.run(
        [
            *APP,
            "init",
            "--admin",
            "ada",
            "--name",
            "Ada Admin",
            "--panel-name",
            "Bench panel",
            "--force",
            "avon-and-somerset",
        ],
        env={**env, "BWV_REVIEW_HOME": str(home), "BWV_REVIEW_PIN": PIN, "BWV_REVIEW_NEW_PIN": PIN},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return home


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds (12)")
    add_flags(parser)
    args = parser.parse_args()
    rounds = args.rounds or (3 if args.quick else 12)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("BWV_REVIEW_")}
    with reported("startup", args.json) as figures, tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        signin_home = _prepared_workspace(root, base_env)
        kinds = ("empty", "sign-in", "welcome")
        results: dict[str, list[Launch]] = {kind: [] for kind in kinds}
        with xvfb_display() as display_name:
            screen = display.Display(display_name)
            screen.screen().root.change_attributes(event_mask=X.SubstructureNotifyMask)
            for number in range(rounds):
                order = kinds[number % 3 :] + kinds[: number % 3]
                for kind in order:
                    if kind == "empty":
                        command, env = [sys.executable, "-c", EMPTY_WINDOW], base_env
                    elif kind == "sign-in":
                        env = {**base_env, "BWV_REVIEW_HOME": str(signin_home)}
                        command = APP
                    else:
                        # A new home each time: nothing chosen, nothing there.
                        fresh = root / f"fresh-{number}"
                        env = {**base_env, "BWV_REVIEW_HOME": str(fresh)}
                        command = APP
                    result = launch(screen, command, env)
                    results[kind].append(result)
                    print(
                        f"round {number + 1}/{rounds} {kind:8} {result.elapsed_ms:7.0f} ms "
                        f"(CPU {result.cpu_ms:4.0f} ms) {result.rss_mib:6.1f} MiB",
                        flush=True,
                    )
        figures.extend(_figures(results))
        _print_table(figures)


def _figures(results: dict[str, list[Launch]]) -> list[Figure]:
    def median_ms(kind: str) -> float:
        return statistics.median(r.elapsed_ms for r in results[kind])

    def median_mib(kind: str) -> float:
        return statistics.median(r.rss_mib for r in results[kind])

    def median_cpu_ms(kind: str) -> float:
        return statistics.median(r.cpu_ms for r in results[kind])

    empty_ms, empty_mib = median_ms("empty"), median_mib("empty")
    empty_cpu_ms = median_cpu_ms("empty")
    return [
        context("empty PySide6 window: launch to map", empty_ms, "ms"),
        context("sign-in window: launch to map", median_ms("sign-in"), "ms"),
        at_most("sign-in launch / empty window", median_ms("sign-in") / empty_ms, "x", GOAL_RATIO),
        context("welcome window: launch to map", median_ms("welcome"), "ms"),
        at_most("welcome launch / empty window", median_ms("welcome") / empty_ms, "x", GOAL_RATIO),
        context("empty PySide6 window: CPU to map", empty_cpu_ms, "ms"),
        context("sign-in window: CPU to map", median_cpu_ms("sign-in"), "ms"),
        context("sign-in CPU / empty window", median_cpu_ms("sign-in") / empty_cpu_ms, "x"),
        context("welcome window: CPU to map", median_cpu_ms("welcome"), "ms"),
        context("welcome CPU / empty window", median_cpu_ms("welcome") / empty_cpu_ms, "x"),
        context("empty PySide6 window: RSS at map", empty_mib, "MiB"),
        context("sign-in window: RSS at map", median_mib("sign-in"), "MiB"),
        at_most("sign-in RSS / empty window", median_mib("sign-in") / empty_mib, "x", GOAL_RATIO),
        context("welcome window: RSS at map", median_mib("welcome"), "MiB"),
    ]


def _print_table(figures: list[Figure]) -> None:
    print()
    for f in figures:
        met = "" if f.met is None else ("met" if f.met else "short")
        print(f"{f.figure:40} {f.median:9.2f} {f.unit:4} {f.goal:6} {met}")


if __name__ == "__main__":
    main()
