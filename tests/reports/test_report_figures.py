"""The internal report of the demo's finalised quarter, as `bwv-review report --preview`
writes it, read back from the files (pypdf for the PDF's text, html.parser for the HTML's
tables): every figure of the summary and of the grade x ethnicity table is checked against
counts this test makes with its own queries on the database, and poppler renders every
page. tests/services/test_report_builder.py checks the same on the report model; this
checks what a reader is handed."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from bwv_review.cli import EXIT_OK, run
from bwv_review.config import Paths
from bwv_review.demo import DEMO_PIN
from bwv_review.services.review_access import installed_rubric
from bwv_review.store.models import (
    Amendment,
    Case,
    Clip,
    PanelOutcome,
    ReviewSession,
    SampleDraw,
    SessionCase,
)
from tests.conftest import BuiltDemo
from tests.services.report_fixtures import count_session

FINALISED = "2018-Q1 panel"
SMALL = 5  # counts from 1 to 4 are flagged in the internal report
FOOTAGE = "Footage in the reviewed cases"


@dataclass(frozen=True)
class Expected:
    """What the report must say, counted here from the tables."""

    summary: dict[str, str]  # row label -> the number as printed
    by_grade: dict[str, int]  # grade label -> cases
    in_scope: int
    grade_columns: tuple[str, ...]
    by_ethnicity: dict[str, dict[str, int]]  # group -> grade label -> cases


def _group(self_defined: str | None) -> str:
    """The census group of a self-defined ethnicity as data.police.uk writes it
    ("Black/African/Caribbean/Black British - African" is Black)."""
    if not self_defined or not self_defined.strip():
        return "Not recorded"
    if self_defined.strip().endswith("Not stated"):
        return "Not stated"
    return re.split(r"[/ ]", self_defined.strip(), maxsplit=1)[0]


def _counted(session: Session) -> Expected:
    rubric_id, version, draw_id, sid = session.execute(
        select(
            ReviewSession.rubric_id,
            ReviewSession.rubric_version,
            ReviewSession.sample_draw_id,
            ReviewSession.id,
        ).where(ReviewSession.name == FINALISED)
    ).one()
    labels = {g.id: g.label for g in installed_rubric(rubric_id, version).grades}
    case_ids = list(
        session.scalars(select(SessionCase.case_id).where(SessionCase.session_id == sid))
    )
    counts = count_session(session, sid)
    reviewed = counts.reviewed
    footage_ms = int(
        session.scalar(select(func.sum(Clip.duration_ms)).where(Clip.case_id.in_(reviewed))) or 0
    )
    # The agreed outcome as it now holds: the latest amendment of a field wins.
    outcomes: dict[int, dict[str, object]] = {}
    by_id: dict[int, int] = {}
    for stored in session.scalars(select(PanelOutcome).where(PanelOutcome.session_id == sid)):
        grade = stored.consensus_grade.value if stored.consensus_grade else None
        outcomes[stored.case_id] = {
            "consensus_grade": grade,
            "actions": json.loads(stored.actions_json),
            "questions_to_force": stored.questions_to_force,
        }
        by_id[stored.id] = stored.case_id
    for amendment in session.scalars(select(Amendment).order_by(Amendment.id)):
        if amendment.target == "panel_outcome" and amendment.target_id in by_id:
            outcome = outcomes[by_id[amendment.target_id]]
            value: object = amendment.amended_value
            if amendment.field == "actions":
                value = [a for a in (amendment.amended_value or "").split(",") if a]
            outcome[amendment.field] = value
    actions = [list(o["actions"]) for o in outcomes.values()]  # type: ignore[call-overload]
    asks = sum(
        "question_to_force" in a or bool(str(o["questions_to_force"]).strip())
        for a, o in zip(actions, outcomes.values(), strict=True)
    )
    minutes = footage_ms / 60_000
    frame = session.scalar(select(SampleDraw.frame_size).where(SampleDraw.id == draw_id))
    summary = {
        "Cases in the sampling frame": frame,
        "Cases drawn at random (sampled)": counts.sampled,
        "Cases before the panel (sampled and added)": len(case_ids),
        "Cases reviewed (at least one member's review submitted)": len(reviewed),
        "Cases discussed at the meeting": counts.discussed,
        "Officers commended": sum("commend_officer" in a for a in actions),
        "Cases with questions to the force": asks,
        "Referrals to Professional Standards": sum(
            "refer_to_professional_standards" in a for a in actions
        ),
    }
    printed = {label: _as_printed(int(n or 0)) for label, n in summary.items()}
    printed[FOOTAGE] = (
        f"{minutes:.0f} minutes" if minutes < 60 else f"{footage_ms / 3_600_000:.1f} hours"
    )
    grade_of = {
        cid: labels.get(str(outcomes.get(cid, {}).get("consensus_grade")), "No agreed grade")
        for cid in case_ids
    }
    columns = (*labels.values(), "No agreed grade")
    by_grade = {label: sum(g == label for g in grade_of.values()) for label in columns}
    by_ethnicity: dict[str, dict[str, int]] = {}
    for case_id, ethnicity in session.execute(
        select(Case.id, Case.subject_self_defined_ethnicity).where(Case.id.in_(case_ids))
    ):
        row = by_ethnicity.setdefault(_group(ethnicity), dict.fromkeys(columns, 0))
        row[grade_of[case_id]] += 1
    return Expected(printed, by_grade, len(case_ids), columns, by_ethnicity)


def _as_printed(count: int) -> str:
    return f"{count}*" if 0 < count < SMALL else str(count)


@pytest.fixture(scope="module")
def demo_db(demo_home: BuiltDemo, tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = sqlite3.connect(Paths.under(demo_home.home).default_db_file)
    copy = tmp_path_factory.mktemp("figures") / "demo-copy.sqlite3"
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    return copy


@pytest.fixture(scope="module")
def expected(demo_db: Path) -> Expected:
    engine = create_engine(f"sqlite:///{demo_db}")
    try:
        with Session(engine) as session:
            return _counted(session)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def files(demo_db: Path) -> dict[str, Path]:
    out = demo_db.parent
    made = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BWV_REVIEW_PIN", DEMO_PIN)
        patch.setenv("XDG_CONFIG_HOME", str(out / "config"))
        for file_format in ("pdf", "html"):
            path = out / f"internal.{file_format}"
            argv = ["--db", f"sqlite:///{demo_db}", "--as", "chair", "report"]
            argv += ["--session", FINALISED, "--preview", "--format", file_format]
            assert run([*argv, "--out", str(path)]) == EXIT_OK
            made[file_format] = path
    return made


def _pdf_lines(path: Path) -> str:
    """The PDF's text, one extracted line per `|`-separated field (pypdf puts each table
    cell on a line of its own)."""
    lines: list[str] = []
    for page in PdfReader(path).pages:
        lines.extend(line.strip() for line in (page.extract_text() or "").split("\n"))
    return "|" + "|".join(line for line in lines if line) + "|"


def _row(label: str, values: list[str]) -> re.Pattern[str]:
    """A table row as extracted: its label (which may wrap at a space), then each cell."""
    words = r"[ |]".join(re.escape(word) for word in label.split())
    return re.compile(r"\|" + words + "".join(r"\|" + re.escape(v) for v in values) + r"\|")


def _table_text(text: str, caption: str, first_header: str) -> str:
    """From the table's caption (followed by its first header cell) to its legend."""
    start = re.search(re.escape(f"|{caption}|") + r"\s*" + _words(first_header), text)
    assert start, f"no table {caption!r} in the PDF"
    end = text.find("|Counts from", start.end())
    return text[start.start() : end if end > 0 else None]


def _words(label: str) -> str:
    return r"[ |]".join(re.escape(word) for word in label.split())


def test_the_pdf_summary_gives_every_figure_as_counted(
    files: dict[str, Path], expected: Expected
) -> None:
    text = _pdf_lines(files["pdf"])
    summary = _table_text(text, "Summary in numbers", "Measure")
    for label, number in expected.summary.items():
        assert _row(label, [number]).search(summary), f"{label}: {number}"
    grades = _table_text(text, "Cases by the panel's agreed grade", "Grade")
    total = expected.in_scope
    for label, count in expected.by_grade.items():
        share = f"{count} of {total} ("
        pattern = _row(label, [_as_printed(count)]).pattern[:-2] + r"\|" + re.escape(share)
        assert re.search(pattern, grades), f"{label}: {count} of {total}"
    assert _row("Total", [str(total)]).search(grades)


def test_the_pdf_grade_by_ethnicity_table_gives_every_cell_as_counted(
    files: dict[str, Path], expected: Expected
) -> None:
    table = _table_text(
        _pdf_lines(files["pdf"]), "Panel grade by self-defined ethnicity", "Self-defined ethnicity"
    )
    assert re.search(_words(" ".join(("Self-defined ethnicity", *expected.grade_columns))), table)
    for group, counts in expected.by_ethnicity.items():
        cells = [_as_printed(counts[c]) for c in expected.grade_columns]
        assert _row(group, [*cells, str(sum(counts.values()))]).search(table), group
    totals = [sum(r[c] for r in expected.by_ethnicity.values()) for c in expected.grade_columns]
    assert _row("Total", [*map(str, totals), str(expected.in_scope)]).search(table)


@dataclass
class _HtmlTable:
    caption: str = ""
    rows: list[list[tuple[str, bool]]] = field(default_factory=list)  # (text, flagged)


class _Tables(HTMLParser):
    """Every table's caption and cells, each cell's text whitespace-normalised."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_HtmlTable] = []
        self._cell: list[str] | None = None
        self._flagged = False
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(_HtmlTable())
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self.tables[-1].rows.append([])
        elif tag in ("th", "td"):
            self._cell = []
            self._flagged = "flagged" in (dict(attrs).get("class") or "").split()

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td") and self._cell is not None:
            self.tables[-1].rows[-1].append((" ".join("".join(self._cell).split()), self._flagged))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.tables[-1].caption += data
        elif self._cell is not None:
            self._cell.append(data)


def _html_tables(path: Path, caption: str) -> list[_HtmlTable]:
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    found = [t for t in parser.tables if t.caption.strip() == caption]
    assert found, f"no table {caption!r} in the HTML"
    return found


def _number(cell: tuple[str, bool]) -> str:
    """The cell's count with the small-number mark as the PDF prints it, checking the mark
    is also carried by the cell's class (not by the mark's character alone)."""
    text, flagged = cell
    count = text.split()[0]
    assert flagged == (0 < int(count) < SMALL), text
    return f"{count}*" if flagged else count


def test_the_html_summary_gives_every_figure_as_counted(
    files: dict[str, Path], expected: Expected
) -> None:
    (summary,) = _html_tables(files["html"], "Summary in numbers")
    rows = {row[0][0]: row[1:] for row in summary.rows[1:]}
    for label, number in expected.summary.items():
        cell = rows[label][0]
        assert (cell[0] if label == FOOTAGE else _number(cell)) == number, label
    (grades,) = _html_tables(files["html"], "Cases by the panel's agreed grade")
    by_label = {row[0][0]: row[1:] for row in grades.rows[1:]}
    for label, count in expected.by_grade.items():
        assert _number(by_label[label][0]) == _as_printed(count), label
        assert by_label[label][1][0].startswith(f"{count} of {expected.in_scope} ("), label
    assert by_label["Total"][0][0] == str(expected.in_scope)


def test_the_html_grade_by_ethnicity_tables_give_every_cell_as_counted(
    files: dict[str, Path], expected: Expected
) -> None:
    for table in _html_tables(files["html"], "Panel grade by self-defined ethnicity"):
        header = [text for text, _ in table.rows[0]]
        assert header == ["Self-defined ethnicity", *expected.grade_columns, "Total"]
        rows = {row[0][0]: row[1:] for row in table.rows[1:]}
        totals = [text for text, _ in rows.pop("Total")]  # totals are not flagged
        body = {
            group: ([_number(cell) for cell in cells[:-1]], cells[-1][0])
            for group, cells in rows.items()
        }
        assert body == {
            group: (
                [_as_printed(counts[c]) for c in expected.grade_columns],
                str(sum(counts.values())),
            )
            for group, counts in expected.by_ethnicity.items()
        }
        columns = expected.grade_columns
        by_column = [sum(r[c] for r in expected.by_ethnicity.values()) for c in columns]
        assert totals == [*map(str, by_column), str(expected.in_scope)]


def test_poppler_renders_every_page(files: dict[str, Path], tmp_path: Path) -> None:
    result = subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(files["pdf"]), str(tmp_path / "page")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == ""
    pages = len(PdfReader(files["pdf"]).pages)
    assert len(list(tmp_path.glob("page-*.png"))) == pages > 10
