"""bandit over the package in `make test`: no finding is left unexplained. A check skipped
for the whole package is listed with its reason in bandit.yaml; a finding accepted at one
place carries `# nosec BXXX: reason` there, and this test refuses a bare `# nosec`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)$")
BANDIT = ("-c", "bandit.yaml", "-r", "bwv_review", "-q", "-f", "json")
EXPLAINED = re.compile(r"^ B\d{3}(, B\d{3})*: \S.*$")


def test_bandit_finds_nothing_unexplained() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bandit", *BANDIT],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    report = json.loads(result.stdout)
    findings = [
        f"{r['filename']}:{r['line_number']}: {r['test_id']} {r['issue_text']}"
        for r in report["results"]
    ]
    assert findings == [], "\n".join(findings)
    assert report["errors"] == []


def test_every_nosec_names_its_check_and_reason() -> None:
    bare = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in sorted((REPO / "bwv_review").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if (found := NOSEC.search(line)) and not EXPLAINED.match(found["rest"])
    ]
    assert bare == [], "say which check and why: # nosec BXXX: reason\n" + "\n".join(bare)
