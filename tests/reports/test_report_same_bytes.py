"""The whole report, as a chair makes it with `bwv-review report --preview`, gives the same
bytes in other processes, time zones and clocks: PDF and HTML, internal and published,
from a copy of the demo workspace's finalised quarter.

Each run is a separate process under faketime (one in 1999 in Newfoundland, one in 2041 in
Kiribati), so neither the clock, the zone, the hash seed nor anything the first run wrote
(its audit events: the audit log is not an input) can reach the bytes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bwv_review.config import Paths
from bwv_review.demo import DEMO_PIN
from tests.conftest import BuiltDemo

REPO = Path(__file__).resolve().parents[2]
FINALISED = "2018-Q1 panel"
OUTPUTS = {
    "internal.pdf": ["--format", "pdf"],
    "internal.html": ["--format", "html"],
    "published.pdf": ["--format", "pdf", "--published"],
    "published.html": ["--format", "html", "--published"],
}


@pytest.fixture
def demo_copy(demo_home: BuiltDemo, tmp_path: Path) -> str:
    """A copy of the demo's database, so the audit events written here reach no other test."""
    source = sqlite3.connect(Paths.under(demo_home.home).default_db_file)
    copy = tmp_path / "demo-copy.sqlite3"
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    return f"sqlite:///{copy}"


def _report_elsewhere(db_url: str, out: Path, zone: str, clock: str) -> int:
    """Every output of the report made by the CLI in one process under a fake clock; the
    process's own idea of now, to show the clock was faked."""
    faketime = shutil.which("faketime")
    if faketime is None:
        pytest.fail("faketime is missing: install the Debian package faketime (Makefile TEST_APT)")
    out.mkdir()
    preview = ["--db", db_url, "--as", "chair", "report", "--session", FINALISED, "--preview"]
    calls = [[*preview, *options, "--out", str(out / name)] for name, options in OUTPUTS.items()]
    script = (
        "import sys, time\n"
        "from bwv_review.cli import run\n"
        f"codes = [run(argv) for argv in {calls!r}]\n"
        "print(int(time.time()), codes)\n"
    )
    env = {
        **os.environ,
        "TZ": zone,
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": "random",
        "BWV_REVIEW_PIN": DEMO_PIN,
        "XDG_CONFIG_HOME": str(out / "config"),  # no audit key
    }
    result = subprocess.run(
        [faketime, "-f", clock, sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    now, codes = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert codes == "[0, 0, 0, 0]", result.stdout + result.stderr
    return int(now)


def test_the_cli_makes_the_same_bytes_in_other_zones_clocks_and_processes(
    demo_copy: str, tmp_path: Path
) -> None:
    first, second = tmp_path / "st-johns-1999", tmp_path / "kiritimati-2041"
    seen_1999 = _report_elsewhere(demo_copy, first, "America/St_Johns", "@1999-03-04 05:06:07")
    seen_2041 = _report_elsewhere(demo_copy, second, "Pacific/Kiritimati", "@2041-12-31 23:59:58")

    assert abs(seen_1999 - 920_523_967) < 2 * 86_400
    assert abs(seen_2041 - 2_272_147_198) < 2 * 86_400
    for name in OUTPUTS:
        made_1999, made_2041 = (first / name).read_bytes(), (second / name).read_bytes()
        assert len(made_1999) > 10_000, name
        assert made_1999 == made_2041, f"{name} differs between the two runs"
    # The variants and formats are different files, so the comparison could fail.
    assert len({(first / name).read_bytes() for name in OUTPUTS}) == len(OUTPUTS)
    assert b"DRAFT" not in (first / "internal.html").read_bytes()
