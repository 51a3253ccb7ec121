"""Arbitrary bytes and rows through every importer and the rubric loader: each either reads
the input or refuses it with its own error type naming a line, never with a crash (a
KeyError, an IndexError, a UnicodeError ...) that would reach a person as a stack trace.

Inputs are both raw bytes and rows under the real header, so the fuzzing reaches the row
checks and not only the header check.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bwv_review.domain.rubric_loading import parse_rubric
from bwv_review.domain.rubric_problems import RubricError
from bwv_review.ingest.manifest import ManifestError, parse_manifest
from bwv_review.ingest.police_csv import PUBLISHED_COLUMNS, RowError, read_csv
from bwv_review.ingest.police_json import read_json
from bwv_review.ingest.population import LONG_COLUMNS, read_population_csv
from bwv_review.services.errors import BadInput
from bwv_review.services.workspace import Workspace
from tests.reliability.counts import trials
from tests.services.review_fixtures import PURPOSE, Panel, build_panel

EXAMPLES = trials(25, 500)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
REPO = Path(__file__).resolve().parents[2]
RUBRIC_PATH = REPO / "resources/rubrics/default.toml"
MANIFEST_HEADER = (
    (REPO / "resources/manifests/example-manifest.csv").read_text().splitlines()[0].split(",")
)
REVIEW_HEADER = ["reviewer", "case_reference", "check_id", "answer", "reason"]
FORCES = {"avon-and-somerset": "Avon and Somerset Constabulary", "kent": "Kent Police"}

# Text with the characters that break parsers: quotes, separators, line ends, NUL, lone
# surrogates are not encodable so stay out; a BOM and right-to-left marks go in.
FIELD = st.text(
    alphabet=st.one_of(
        st.sampled_from(',"\n\r\t ;:=[]{}#\\\x00\ufeff\u202e-+.0123456789TZtrue'),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=30,
)


def rows_under(header: list[str] | tuple[str, ...]) -> st.SearchStrategy[bytes]:
    """A CSV with the real header and rows of arbitrary fields (any count per row)."""
    width = len(header)
    row = st.lists(FIELD, min_size=max(0, width - 2), max_size=width + 2)

    def write(rows: list[list[str]]) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8")

    return st.lists(row, max_size=6).map(write)


ANY_BYTES = st.binary(max_size=400)


def _row_errors_have_lines(results: Iterator[object]) -> None:
    for result in results:
        if isinstance(result, RowError):
            assert result.line >= 1 and result.message


@FUZZ
@given(data=st.one_of(ANY_BYTES, rows_under(PUBLISHED_COLUMNS)))
def test_police_csv_reads_or_names_the_line(data: bytes) -> None:
    _row_errors_have_lines(read_csv(io.BytesIO(data)))


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | FIELD,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(FIELD, inner, max_size=4),
    max_leaves=12,
)


@FUZZ
@given(data=st.one_of(ANY_BYTES, JSON_VALUE.map(lambda v: json.dumps(v).encode())))
def test_police_json_reads_or_names_the_item(data: bytes) -> None:
    _row_errors_have_lines(read_json(io.BytesIO(data)))


@FUZZ
@given(data=st.one_of(ANY_BYTES, rows_under(MANIFEST_HEADER)), fmt=st.sampled_from(["csv", "json"]))
def test_manifest_reads_or_names_the_line(data: bytes, fmt: str) -> None:
    try:
        parse_manifest(data, "manifest." + fmt, fmt)
    except ManifestError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.message
            # Only a problem with the whole file (no cases at all) has no line of its own.
            assert problem.line is not None or problem.message == "the manifest lists no cases"


@FUZZ
@given(
    data=st.one_of(
        ANY_BYTES,
        rows_under(LONG_COLUMNS),
        rows_under(["police_force_area", "white", "black", "asian", "mixed", "other"]),
    )
)
def test_population_reads_or_names_the_line(data: bytes) -> None:
    reading = read_population_csv(io.BytesIO(data), FORCES)
    assert not (reading.areas and reading.errors)
    for error in reading.errors:
        assert error.line >= 1 and error.message


TOML_SOURCE = st.one_of(
    FIELD,
    st.lists(
        st.tuples(st.sampled_from(["", "[", "[[", "key", "checks", "id", "dimensions"]), FIELD),
        max_size=8,
    ).map(lambda parts: "\n".join(f"{a} = {b!r}" if a else b for a, b in parts)),
)


@FUZZ
@given(source=TOML_SOURCE)
def test_rubric_loader_reads_or_names_the_line(source: str) -> None:
    try:
        parse_rubric(source, "fuzzed.toml")
    except RubricError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.file == "fuzzed.toml" and problem.message


@FUZZ
@given(mutation=st.tuples(st.integers(min_value=0), st.integers(min_value=0), FIELD))
def test_rubric_loader_on_a_changed_real_rubric(mutation: tuple[int, int, str]) -> None:
    """The shipped rubric with a stretch replaced by arbitrary text: every problem is placed."""
    source = RUBRIC_PATH.read_text(encoding="utf-8")
    start = mutation[0] % len(source)
    end = min(len(source), start + mutation[1] % 40)
    try:
        parse_rubric(source[:start] + mutation[2] + source[end:], "changed.toml")
    except RubricError as exc:
        for problem in exc.problems:
            assert problem.message and problem.line is not None


@pytest.fixture
def open_panel(sqlite_url: str) -> Iterator[tuple[Workspace, Panel]]:
    workspace = Workspace.create(sqlite_url)
    try:
        yield workspace, build_panel(workspace, cases=1)
    finally:
        workspace.close()


REVIEW_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["alice", "bob", "chair", "nobody", ""]) | FIELD,
        st.sampled_from(["CASE-001", "CASE-404"]) | FIELD,
        st.sampled_from(["power_fits_object", "grounds_objective"]) | FIELD,
        st.sampled_from(["met", "partly_met", "not_met", ""]) | FIELD,
        FIELD,
    ).map(list),
    max_size=6,
)


@FUZZ
@given(
    data=st.one_of(
        ANY_BYTES,
        rows_under(REVIEW_HEADER),
        REVIEW_ROWS.map(
            lambda rows: "\n".join([",".join(REVIEW_HEADER), *(",".join(r) for r in rows)]).encode()
        ),
    )
)
def test_review_import_reads_or_names_the_line(
    open_panel: tuple[Workspace, Panel], data: bytes
) -> None:
    workspace, panel = open_panel
    try:
        workspace.review_import.import_reviews(
            panel.chair, panel.session_id, data, "reviews.csv", purpose=PURPOSE
        )
    except BadInput as exc:
        for problem in exc.problems:
            assert problem.file == "reviews.csv" and problem.message
            assert problem.line is not None or "no answers" in problem.message
