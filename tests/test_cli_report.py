"""`bwv-review report` on a copy of the demo workspace, as a chair runs it: issue the
finalised quarter (PDF and HTML), verify the files, refuse the open quarter unless it is a
preview marked DRAFT, and keep reviewers out. The published files are scanned for every
reference, pseudonym and person the workspace holds."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest

from bwv_review.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_PERMISSION, run
from bwv_review.config import Paths
from bwv_review.demo import DEMO_PIN
from tests.conftest import BuiltDemo
from tests.support.personal_data import identifying_values

FINALISED = "2018-Q1 panel"
OPEN = "2018-Q2 panel"


@pytest.fixture
def demo_copy(
    demo_home: BuiltDemo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A copy of the demo's database, so the reports issued here reach no other test."""
    source = sqlite3.connect(Paths.under(demo_home.home).default_db_file)
    copy = tmp_path / "demo-copy.sqlite3"
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    monkeypatch.setenv("BWV_REVIEW_PIN", DEMO_PIN)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no audit key here
    yield f"sqlite:///{copy}"


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _html_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.parts)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_a_chair_issues_and_verifies_the_published_report(
    demo_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, html = tmp_path / "q1.pdf", tmp_path / "q1.html"
    for out, fmt in ((pdf, "pdf"), (html, "html")):
        args = ["--db", demo_copy, "--as", "chair", "report", "--session", FINALISED]
        code = run([*args, "--published", "--format", fmt, "--out", str(out)])
        assert code == EXIT_OK, capsys.readouterr().err
        assert "issued" in capsys.readouterr().out
    secrets = identifying_values(demo_copy)
    for text in (_words(_pdf_text(pdf)), _words(_html_text(html))):
        assert "2018-Q1" in text
        leaked = sorted(s for s in secrets if len(s) >= 4 and s in text)
        assert not leaked, f"the published report names {leaked[:5]}"
    for out in (pdf, html):
        code = run(["--db", demo_copy, "--as", "chair", "report", "--verify", str(out)])
        assert code == EXIT_OK
        assert "issued by this workspace" in capsys.readouterr().out
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(pdf.read_bytes() + b"\n")
    code = run(["--db", demo_copy, "--as", "chair", "report", "--verify", str(tampered)])
    assert code == EXIT_BAD_INPUT
    assert "NOT a report this workspace issued" in capsys.readouterr().err


def test_an_open_quarter_is_refused_but_can_be_previewed_as_draft(
    demo_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "q2.pdf"
    args = ["--db", demo_copy, "--as", "chair", "report", "--session", OPEN, "--out", str(out)]
    assert run(args) == EXIT_BAD_INPUT
    assert "only finalised sessions can be issued" in capsys.readouterr().err
    assert not out.exists()
    assert run([*args, "--preview"]) == EXIT_OK
    assert "DRAFT" in capsys.readouterr().out
    pages = pypdf.PdfReader(out).pages
    assert all("DRAFT" in (page.extract_text() or "") for page in pages)
    code = run(["--db", demo_copy, "--as", "chair", "report", "--verify", str(out)])
    assert code == EXIT_BAD_INPUT  # a preview is not an issued report


def test_reviewers_may_not_issue_reports(
    demo_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.pdf"
    args = ["--db", demo_copy, "--as", "reviewer1", "report", "--session", FINALISED]
    assert run([*args, "--out", str(out)]) == EXIT_PERMISSION
    assert "compile reports" in capsys.readouterr().err
    assert not out.exists()


def test_a_scope_must_be_given_once(
    demo_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--db", demo_copy, "--as", "chair", "report", "--out", str(tmp_path / "r.pdf")]
    assert run(base) == EXIT_BAD_INPUT
    assert "--session NAME" in capsys.readouterr().err
    both = [*base, "--session", FINALISED, "--from", "2018-01-01", "--to", "2018-03-31"]
    assert run(both) == EXIT_BAD_INPUT
    assert run([*base, "--from", "2018-03-31", "--to", "2018-01-01"]) == EXIT_BAD_INPUT
    assert "is before" in capsys.readouterr().err
