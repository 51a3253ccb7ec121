"""The panel's report over 200 cases x 5 reviewers x 2,000 learning points, next to a bare
reportlab document with the same number of pages and tables built in the same run.

Goal: the PDF (building the report from the workspace and rendering it) under 3 s, and
its rendering within 2x of the bare document (the report's text and tables as plain
strings in platypus's sample styles: Helvetica, no shaping, no charts, no cover, contents
or bookmarks, one pass; padded with page breaks to the report's page count); the HTML
twin's time beside.
The workspace is made once per bench run: the session, draw, opening and finalising go
through the services, and the 1,000 reviews (every applicable check answered), their
2,000 learning points and the 200 agreed outcomes are written in bulk, as a real quarter
would have left them. Each timed run is a fresh child process that reads the workspace
and caches nothing; its peak RSS is its own (ru_maxrss). Runs alternate report, bare and
HTML so machine noise hits all three. Prints; asserts nothing.

    .venv/bin/python bench/report_bench.py [--runs 5] [--profile] [--quick] [--json]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from figures import Figure, add_flags, at_most, context, reported

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from bwv_review.domain.rubric import Rubric
    from bwv_review.domain.vocab import LearningKind
    from bwv_review.reports.document import ReportDocument, Section, Table

CASES = 200
REVIEWERS = 5
LEARNING_POINTS = 2_000
SESSION = "2026-Q3 bench panel"
PURPOSE = "benchmark"
GOAL_PDF_S = 3.0
GOAL_RATIO = 2.0
ETHNICITIES = (
    "White - English/Welsh/Scottish/Northern Irish/British",
    "White - Any other White background",
    "Black/African/Caribbean/Black British - Caribbean",
    "Black/African/Caribbean/Black British - African",
    "Asian/Asian British - Pakistani",
    "Asian/Asian British - Indian",
    "Mixed/Multiple ethnic groups - White and Black Caribbean",
    "Other ethnic group - Arab",
    "Other ethnic group - Not stated",
    None,
)
OFFICER_DEFINED = ("White", "Black", "Asian", "Other", None)
AGES = ("10-17", "18-24", "25-34", "over 34", None)
POWERS = (
    ("Misuse of Drugs Act 1971 (section 23)", "Controlled drugs"),
    ("Police and Criminal Evidence Act 1984 (section 1)", "Offensive weapons"),
    ("Firearms Act 1968 (section 47)", "Firearms"),
)
OUTCOMES = (
    "A no further action disposal",
    "Arrest",
    "Community resolution",
    "Penalty Notice for Disorder",
)


def build_workspace(path: Path) -> None:
    """The quarter the report is made from (see the module's docstring)."""
    from sqlalchemy import select, update

    from bwv_review.domain.rubric_catalogue import load_default_rubric
    from bwv_review.domain.sampling import SampleSpec
    from bwv_review.domain.vocab import CaseGrade, CaseType, LearningKind, ReviewStatus, Role
    from bwv_review.services.auth import actor_for
    from bwv_review.services.workspace import Workspace
    from bwv_review.store.models import (
        Answer,
        Assignment,
        Case,
        Clip,
        DimensionGrade,
        FootageRoot,
        LearningPoint,
        PanelOutcome,
        Review,
        SessionCase,
        User,
        UserRole,
    )

    rng = random.Random(2026)
    rubric = load_default_rubric()
    ws = Workspace.create(f"sqlite:///{path}")
    ws.panel.set_up(panel_name="Benchmark scrutiny panel", force=None, purpose=PURPOSE)
    names = ["chair", *(f"reviewer{n}" for n in range(1, REVIEWERS + 1))]
    with ws.db.transaction() as session:
        for name in names:
            role = Role.CHAIR if name == "chair" else Role.REVIEWER
            session.add(
                User(
                    username=name,
                    display_name=name.title(),
                    pseudonym=f"P-{name}",
                    secret_hash="not-a-hash",
                    is_active=True,
                    failed_sign_ins=0,
                    roles=[UserRole(role=role)],
                )
            )
        root = FootageRoot(name="bench-store", description="")
        session.add(root)
        session.flush()
        started = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
        for number in range(1, CASES + 1):
            kind = rng.choices(list(CaseType), weights=(7, 1, 1, 1))[0]
            power, wanted = rng.choice(POWERS)
            case = Case(
                force_reference=f"BENCH-{number:04d}",
                case_type=kind,
                occurred_at=started + timedelta(hours=number * 10),
                area="Fictional North",
                power=power,
                object_of_search=wanted,
                grounds_text="Fictional grounds",
                outcome=rng.choice(OUTCOMES),
                outcome_linked=rng.choice((True, False, None)),
                subject_age_band=rng.choice(AGES),
                subject_gender=rng.choice(("Male", "Female", None)),
                subject_self_defined_ethnicity=rng.choice(ETHNICITIES),
                subject_officer_defined_ethnicity=rng.choice(OFFICER_DEFINED),
                strip_search=rng.random() < 0.05,
                taser_highest_level="red_dotted" if kind is CaseType.TASER else None,
                officer_pseudonym=f"OFF-{number % 40}",
            )
            session.add(case)
            session.flush()
            session.add(
                Clip(
                    case_id=case.id,
                    position=0,
                    label="Officer 1",
                    footage_root_id=root.id,
                    relative_path=f"{case.force_reference}/officer1.mp4",
                    duration_ms=rng.randint(60_000, 900_000),
                    frame_count=3000,
                )
            )
        chair = actor_for(session.scalars(select(User).where(User.username == "chair")).one())
    spec = SampleSpec.parse([], [f"rest:{CASES}"], None)
    ws.sampling.draw(chair, "2026-Q3 bench draw", "bench-seed", spec, purpose=PURPOSE)
    session_id = ws.review_sessions.create(
        chair, SESSION, "2026-Q3", date(2026, 10, 1), names[1:], purpose=PURPOSE
    )
    ws.review_sessions.adopt_draw(chair, session_id, "2026-Q3 bench draw", purpose=PURPOSE)
    ws.review_sessions.open(chair, session_id, purpose=PURPOSE)
    learning_tags = [
        t.id for t in rubric.tags if t.group_id in _groups(rubric, LearningKind.LEARNING)
    ]
    good_tags = [
        t.id for t in rubric.tags if t.group_id in _groups(rubric, LearningKind.GOOD_PRACTICE)
    ]
    answers = ("met", "met", "met", "partly_met", "not_met", "cannot_tell")
    grades = list(CaseGrade)
    now = datetime(2026, 9, 20, 12, 0, tzinfo=UTC)
    with ws.db.transaction() as session:
        rows = session.execute(
            select(Assignment.id, Assignment.case_id, Case.case_type, Clip.id)
            .join(Case, Case.id == Assignment.case_id)
            .join(Clip, Clip.case_id == Case.id)
            .where(Assignment.session_id == session_id)
            .order_by(Assignment.id)
        ).all()
        points_each = LEARNING_POINTS // len(rows)
        for assignment_id, _case_id, case_type, clip_id in rows:
            review = Review(
                assignment_id=assignment_id,
                status=ReviewStatus.SUBMITTED,
                overall_grade=rng.choice(grades),
                submitted_at=now,
            )
            session.add(review)
            session.flush()
            for check in rubric.checks:
                if check.applies_to and case_type.value not in check.applies_to:
                    continue
                value = rng.choice(answers)
                reason = "seen at 00:42" if value in check.reason_required_for else None
                session.add(
                    Answer(review_id=review.id, check_id=check.id, value=value, reason=reason)
                )
            for dimension in rubric.dimensions:
                session.add(
                    DimensionGrade(
                        review_id=review.id, dimension_id=dimension.id, grade=rng.choice(grades)
                    )
                )
            for point in range(points_each):
                point_kind = rng.choice(list(LearningKind))
                tags = learning_tags if point_kind is LearningKind.LEARNING else good_tags
                session.add(
                    LearningPoint(
                        review_id=review.id,
                        clip_id=clip_id,
                        position_ms=1000 * (point + 1),
                        frame_index=25 * (point + 1),
                        kind=point_kind,
                        tags_json=json.dumps(rng.sample(tags, 2)),
                        note="A fictional note",
                    )
                )
        chair_id = chair.user_id
        for case_id in sorted({case_id for _a, case_id, _t, _c in rows}):
            actions = rng.choice(
                (["commend_officer"], ["question_to_force"], ["feedback_to_officer"], [])
            )
            session.add(
                PanelOutcome(
                    session_id=session_id,
                    case_id=case_id,
                    consensus_grade=rng.choice(grades),
                    actions_json=json.dumps(actions),
                    vignette="A fictional account of the encounter. " * 4
                    if case_id % 8 == 0
                    else "",
                    questions_to_force=(
                        "Why was the camera started late?" if "question_to_force" in actions else ""
                    ),
                    updated_by=chair_id,
                    updated_at=now,
                )
            )
        session.execute(
            update(SessionCase).where(SessionCase.session_id == session_id).values(discussed=True)
        )
    for name in names[1:]:
        ws.review_sessions.record_attendance(chair, session_id, name, True, purpose=PURPOSE)
    ws.review_sessions.finalise(chair, session_id, purpose=PURPOSE)
    ws.close()


def _groups(rubric: Rubric, kind: LearningKind) -> set[str]:
    return {g.id for g in rubric.tag_groups if g.kind == kind}


def _chair_report(db: Path, variant: str = "internal") -> tuple[ReportDocument, float]:
    """The report model, built from the workspace as the CLI builds it, and the seconds."""
    from sqlalchemy import select

    from bwv_review.reports.document import Variant
    from bwv_review.services.auth import actor_for
    from bwv_review.services.report_scope import ReportScope
    from bwv_review.services.workspace import Workspace
    from bwv_review.store.models import User

    ws = Workspace.open(f"sqlite:///{db}")
    with ws.db.transaction() as session:
        chair = actor_for(session.scalars(select(User).where(User.username == "chair")).one())
    started = time.perf_counter()
    document = ws.reports.build_report(
        chair, ReportScope.of_sessions(SESSION), Variant(variant), purpose=PURPOSE
    )
    elapsed = time.perf_counter() - started
    ws.close()
    return document, elapsed


def _tables(document: ReportDocument) -> list[Table]:
    from bwv_review.reports.document import BarChart, Table

    found: list[Table] = []

    def walk(section: Section) -> None:
        for block in section.blocks:
            if isinstance(block, Table):
                found.append(block)
            elif isinstance(block, BarChart):
                found.append(block.table)
        for sub in section.subsections:
            walk(sub)

    for section in document.sections:
        walk(section)
    return found


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child_report(db: Path, file_format: str, profile: bool) -> None:
    """One report as `bwv-review report` makes it: built, then rendered."""
    from pypdf import PdfReader

    from bwv_review.reports.fonts import register_fonts
    from bwv_review.reports.html_report import render_html
    from bwv_review.reports.panel_report import render_pdf

    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    document, build_s = _chair_report(db)
    started, cpu_started = time.perf_counter(), time.process_time()
    if file_format == "pdf":
        register_fonts()  # once a process: counted in the PDF's time, and shown apart
    fonts_s = time.perf_counter() - started
    data = render_pdf(document) if file_format == "pdf" else render_html(document).encode()
    render_s = time.perf_counter() - started
    render_cpu_s = time.process_time() - cpu_started
    if profiler:
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        print(out.getvalue(), file=sys.stderr)
    pages = len(PdfReader(io.BytesIO(data)).pages) if file_format == "pdf" else 0
    figures = {"build_s": build_s, "fonts_s": fonts_s, "render_s": render_s, "pages": pages}
    figures["render_cpu_s"] = render_cpu_s
    figures |= {"tables": len(_tables(document)), "rss_mib": _peak_rss_mib()}
    print(json.dumps(figures))


def bare_story(document: ReportDocument, padding_pages: int) -> list[Flowable]:
    """The report's text and tables as plain reportlab: Helvetica, strings in cells."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, Table

    from bwv_review.reports.document import BulletList
    from bwv_review.reports.document import Paragraph as ReportParagraph
    from bwv_review.reports.document import Table as ReportTable

    styles = getSampleStyleSheet()
    story: list[Flowable] = []

    def walk(section: Section) -> None:
        story.append(Paragraph(escape(section.heading), styles["Heading2"]))
        for block in section.blocks:
            table = block if isinstance(block, ReportTable) else getattr(block, "table", None)
            if isinstance(block, ReportParagraph):
                story.append(Paragraph(escape(block.text), styles["BodyText"]))
            elif isinstance(block, BulletList):
                story.extend(Paragraph(escape(item), styles["BodyText"]) for item in block.items)
            if table is not None:
                story.append(Paragraph(escape(table.caption), styles["Heading4"]))
                cells = [list(table.header)] + [[c.text[:60] for c in row] for row in table.rows]
                story.append(Table(cells, repeatRows=1))
        for sub in section.subsections:
            walk(sub)

    for section in document.sections:
        walk(section)
    for _ in range(padding_pages):
        story.extend([PageBreak(), Paragraph("(page)", styles["BodyText"])])
    return story


def child_bare(db: Path, pages: int) -> None:
    """A bare reportlab document with the report's pages and tables, timed alone."""
    from pypdf import PdfReader
    from reportlab.platypus import SimpleDocTemplate

    document, _ = _chair_report(db)

    def build(padding: int) -> tuple[bytes, float, float]:
        out = io.BytesIO()
        story = bare_story(document, padding)
        started, cpu_started = time.perf_counter(), time.process_time()
        SimpleDocTemplate(out).build(story)
        return out.getvalue(), time.perf_counter() - started, time.process_time() - cpu_started

    data, _, _ = build(0)
    content_pages = len(PdfReader(io.BytesIO(data)).pages)
    data, render_s, render_cpu_s = build(max(0, pages - content_pages))
    figures = {"render_s": render_s, "pages": len(PdfReader(io.BytesIO(data)).pages)}
    figures["render_cpu_s"] = render_cpu_s
    figures["content_pages"] = content_pages
    print(json.dumps({**figures, "tables": len(_tables(document)), "rss_mib": _peak_rss_mib()}))


def _child(*args: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True
    )
    if result.stderr.strip():
        print(result.stderr, file=sys.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile one report run")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    add_flags(parser)
    args = parser.parse_args()
    if args.child:
        kind, db, *rest = args.child
        if kind == "bare":
            child_bare(Path(db), int(rest[0]))
        else:
            child_report(Path(db), kind, profile=bool(rest))
        return
    if args.quick:
        args.runs = 1
    with reported("report_bench", args.json) as figures:
        figures.extend(measure(args.runs, args.profile))


def measure(runs: int, profile: bool) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bwv-report-bench-") as tmp:
        db = Path(tmp) / "bench.sqlite3"
        started = time.perf_counter()
        build_workspace(db)
        print(
            f"workspace: {CASES} cases x {REVIEWERS} reviewers x {LEARNING_POINTS:,} learning "
            f"points, made in {time.perf_counter() - started:.1f} s; {runs} runs each"
        )
        if profile:
            _child("pdf", str(db), "profile")
            return []
        pdf: list[dict[str, float]] = []
        bare: list[dict[str, float]] = []
        html: list[dict[str, float]] = []
        for run in range(1, runs + 1):
            pdf.append(_child("pdf", str(db)))
            bare.append(_child("bare", str(db), str(int(pdf[-1]["pages"]))))
            html.append(_child("html", str(db)))
            print(
                f"  run {run}: report build {pdf[-1]['build_s']:.2f} s + PDF render "
                f"{pdf[-1]['render_s']:.2f} s ({pdf[-1]['pages']:.0f} pages, "
                f"{pdf[-1]['tables']:.0f} tables, peak RSS {pdf[-1]['rss_mib']:.0f} MiB); bare "
                f"reportlab {bare[-1]['render_s']:.2f} s ({bare[-1]['pages']:.0f} pages, "
                f"{bare[-1]['content_pages']:.0f} of them text and tables, the rest padding; "
                f"{bare[-1]['tables']:.0f} tables); HTML render {html[-1]['render_s']:.2f} s"
            )
    return _print_table(pdf, bare, html)


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def _print_table(
    pdf: list[dict[str, float]], bare: list[dict[str, float]], html: list[dict[str, float]]
) -> list[Figure]:
    pdf_total = statistics.median(run["build_s"] + run["render_s"] for run in pdf)
    html_total = statistics.median(run["build_s"] + run["render_s"] for run in html)
    ratio = _median(pdf, "render_s") / _median(bare, "render_s")
    cpu_ratio = _median(pdf, "render_cpu_s") / _median(bare, "render_cpu_s")
    laid_out = statistics.median(run["render_s"] - run["fonts_s"] for run in pdf)
    rows = [
        ("report model built from the workspace", f"{_median(pdf, 'build_s'):.2f} s", "", ""),
        ("PDF: bundled fonts loaded (once a process)", f"{_median(pdf, 'fonts_s'):.2f} s", "", ""),
        ("PDF rendered, the fonts aside", f"{laid_out:.2f} s", "", ""),
        ("bare reportlab, same pages and tables", f"{_median(bare, 'render_s'):.2f} s", "", ""),
        (
            "PDF render / bare reportlab",
            f"{ratio:.2f}x",
            f"<= {GOAL_RATIO:.0f}x",
            _met(ratio <= GOAL_RATIO),
        ),
        (
            "the same in CPU seconds (steadier on a busy machine)",
            f"{cpu_ratio:.2f}x",
            f"<= {GOAL_RATIO:.0f}x",
            _met(cpu_ratio <= GOAL_RATIO),
        ),
        (
            "PDF: build + render",
            f"{pdf_total:.2f} s",
            f"< {GOAL_PDF_S:.0f} s",
            _met(pdf_total < GOAL_PDF_S),
        ),
        ("PDF child's peak RSS", f"{max(r['rss_mib'] for r in pdf):.0f} MiB", "", ""),
        ("HTML rendered", f"{_median(html, 'render_s'):.2f} s", "", ""),
        ("HTML: build + render", f"{html_total:.2f} s", "", ""),
    ]
    width = max(len(row[0]) for row in rows)
    print(f"\n{'figure':<{width}}  {'median':>10}  {'goal':>7}  result")
    for figure, value, goal, result in rows:
        print(f"{figure:<{width}}  {value:>10}  {goal:>7}  {result}")
    return [
        at_most("report: PDF render / bare reportlab", ratio, "x", GOAL_RATIO),
        at_most("report: the same in CPU seconds", cpu_ratio, "x", GOAL_RATIO),
        at_most("report: PDF build + render", pdf_total, "s", GOAL_PDF_S),
        context("report: HTML build + render", html_total, "s"),
    ]


def _met(ok: bool) -> str:
    return "met" if ok else "short"


if __name__ == "__main__":
    main()
