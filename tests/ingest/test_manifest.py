"""The case manifest: both formats, every problem with its line, and paths kept in their root."""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bwv_review.domain.vocab import AgeBand, CaseType, TaserLevel
from bwv_review.ingest.manifest import (
    ManifestError,
    clean_relative_path,
    parse_manifest,
    read_manifest,
)

HEADER = "force_reference,case_type,occurred_at,footage_root,clips"
EXAMPLES = files("bwv_review.resources") / "manifests"


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _problems(data: bytes, fmt: str = "csv") -> list[tuple[int | None, str]]:
    with pytest.raises(ManifestError) as caught:
        parse_manifest(data, "m." + fmt, fmt)
    return [(p.line, p.message) for p in caught.value.problems]


def test_the_shipped_examples_agree_in_both_formats() -> None:
    from_csv = read_manifest(Path(str(EXAMPLES / "example-manifest.csv")))
    from_json = read_manifest(Path(str(EXAMPLES / "example-manifest.json")))
    assert len(from_csv.cases) == len(from_json.cases) == 11
    for a, b in zip(from_csv.cases, from_json.cases, strict=True):
        assert {**a.__dict__, "line": 0} == {**b.__dict__, "line": 0}
    first = from_csv.cases[0]
    assert first.line == 2 and from_json.cases[0].line == 3
    assert first.case_type is CaseType.STOP_AND_SEARCH
    assert first.occurred_at == datetime(2026, 3, 2, 21, 14, tzinfo=UTC)
    assert first.age_band is AgeBand.AGE_18_24 and first.strip_search is False
    assert first.clip_paths == (
        "2026-03/SS-2026-000101/officer-1.mp4",
        "2026-03/SS-2026-000101/officer-2.mp4",
    )
    taser = next(c for c in from_csv.cases if c.force_reference == "TS-2026-000301")
    assert taser.taser_highest_level is TaserLevel.RED_DOTTED
    assert from_csv.cases[-1].clip_paths == () and from_csv.cases[-1].footage_root is None


def test_crlf_bom_labels_and_offsets_are_accepted() -> None:
    data = (
        "\ufeffForce Reference,Case Type,Occurred At,Taser highest level,Strip-search\r\n"
        "R1,Use of force,2026-05-01T01:30:00+01:00,Red dotted,Yes\r\n"
        '"R2",TASER,2026-05-02T10:00:00Z,ANGLE_DRIVE_STUN,\r\n'
    ).encode()
    manifest = parse_manifest(data, "m.csv", "csv")
    one, two = manifest.cases
    assert one.case_type is CaseType.USE_OF_FORCE and one.strip_search is True
    assert one.occurred_at == datetime(2026, 5, 1, 0, 30, tzinfo=UTC)
    assert one.taser_highest_level is TaserLevel.RED_DOTTED
    assert two.line == 3 and two.strip_search is None
    assert two.taser_highest_level is TaserLevel.ANGLE_DRIVE_STUN


def test_every_problem_is_named_with_its_line() -> None:
    problems = _problems(
        _csv(
            "R1,stop_and_search,2026-03-01T10:00:00+00:00,bwv,a.mp4",
            "R2,stop and frisk,2026-03-01T10:00:00,bwv,b.mp4",
            ',stop_and_search,2026-03-01T10:00:00+00:00,,"c.mp4;d.mp4"',
            "r1,taser,2026-03-01T10:00:00+00:00,bwv,a.mp4",
            "R6,taser,1999-03-01T10:00:00+00:00,bwv,f.mp4",
        )
    )
    assert problems == [
        (
            3,
            "case_type: 'stop and frisk' is not one of stop_and_search, use_of_force, taser, "
            "vehicle_stop_s163",
        ),
        (3, "occurred_at: '2026-03-01T10:00:00' needs its UTC offset, e.g. +00:00 or +01:00"),
        (4, "force_reference: required"),
        (4, "footage_root: required when clips are listed"),
        (5, "force_reference 'r1' already on line 2"),
        (5, "clip 'a.mp4' already listed on line 2"),
        (6, "occurred_at: '1999-03-01T10:00:00+00:00' is not between 2000 and 2100"),
    ]


def test_a_deletion_day_is_an_iso_date() -> None:
    header = "force_reference,case_type,occurred_at,footage_deleted_on"
    data = "\n".join(
        (
            header,
            "R1,taser,2026-03-01T10:00:00+00:00,2026-04-01",
            "R2,taser,2026-03-01T10:00:00+00:00,1 April",
            "R3,taser,2026-03-01T10:00:00+00:00,",
        )
    ).encode()
    with pytest.raises(ManifestError) as refused:
        parse_manifest(data, "cases.csv", "csv")
    assert [(p.line, p.message) for p in refused.value.problems] == [
        (3, "footage_deleted_on: '1 April' is not an ISO 8601 date, e.g. 2026-04-14")
    ]
    good = parse_manifest(data.replace(b"1 April", b"2026-05-01"), "cases.csv", "csv")
    assert [c.footage_deleted_on for c in good.cases] == [
        date(2026, 4, 1),
        date(2026, 5, 1),
        None,
    ]


def test_a_quoted_field_over_several_lines_reports_where_the_row_starts() -> None:
    data = _csv(
        "R1,stop_and_search,2026-03-01T10:00:00+00:00,bwv,a.mp4",
        'R2,"tas\ne\nr",2026-03-01T10:00:00+00:00,bwv,b.mp4',
        "R3,taser,soon,bwv,c.mp4",
    )
    assert [line for line, _ in _problems(data)] == [3, 6]


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        ("force_reference,case_type,occurred_at,colour", "unknown column(s) 'colour'"),
        ("force_reference,case_type", "missing column(s): occurred_at"),
        ("force_reference,case_type,occurred_at,area,Area", "given twice: area"),
    ],
)
def test_header_mistakes_are_on_line_1(header: str, fragment: str) -> None:
    [(line, message)] = _problems(_csv("x", header=header))
    assert line == 1 and fragment in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", (1, "the file is empty")),
        (HEADER.encode() + b"\n", (None, "the manifest lists no cases")),
        (HEADER.encode() + b"\nR1,taser\n", (2, "2 values for 5 columns")),
        (HEADER.encode() + b"\nR1,taser,\xff\n", (2, "not UTF-8")),
    ],
)
def test_file_level_problems(data: bytes, expected: tuple[int | None, str]) -> None:
    [(line, message)] = _problems(data)
    assert (line, message[: len(expected[1])]) == expected


@pytest.mark.parametrize(
    ("path", "cleaned"),
    [
        ("a/b.mp4", "a/b.mp4"),
        ("  ./a//b.mp4 ", "a/b.mp4"),
        ("2026-03\\SS-1\\officer-1.mp4", "2026-03/SS-1/officer-1.mp4"),
    ],
)
def test_relative_paths_are_normalised(path: str, cleaned: str) -> None:
    assert clean_relative_path(path) == cleaned


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("../other/a.mp4", "'..' would leave its footage root"),
        ("a/../../b.mp4", "'..' would leave"),
        ("a\\..\\..\\b.mp4", "'..' would leave"),
        ("/mnt/bwv/a.mp4", "is absolute"),
        ("C:\\bwv\\a.mp4", "is absolute"),
        ("\\\\server\\share\\a.mp4", "is absolute"),
        ("a\x00.mp4", "control character"),
        ("./", "not a usable path"),
    ],
)
def test_paths_that_escape_their_root_are_refused(path: str, fragment: str) -> None:
    data = _csv(f'R1,taser,2026-03-01T10:00:00+00:00,bwv,"{path}"')
    [(line, message)] = _problems(data)
    assert line == 2 and fragment in message


JSON_GOOD = b"""[
  {"force_reference": "R1", "case_type": "taser", "occurred_at": "2026-03-01T10:00:00+00:00",
   "strip_search": false, "footage_root": "bwv", "clips": ["a.mp4", "b/c.mp4"]},
  {
    "force_reference": "R2",
    "case_type": "taser",
    "occurred_at": "2026-03-01T10:00:00+00:00",
    "strip_search": "no"
  }
]"""


def test_json_list_or_cases_object_with_lines() -> None:
    bare = parse_manifest(JSON_GOOD, "m.json", "json")
    wrapped = parse_manifest(b'{"cases": ' + JSON_GOOD + b"}", "m.json", "json")
    assert [c.line for c in bare.cases] == [2, 4]
    assert bare.cases[0].clip_paths == ("a.mp4", "b/c.mp4")
    assert [c.strip_search for c in wrapped.cases] == [False, False]
    assert [c.line for c in wrapped.cases] == [2, 4]
    spaced = b'{ "cases"\n :\n' + JSON_GOOD.replace(b"},\n", b"}\n ,\n") + b"\n}"
    assert [c.line for c in parse_manifest(spaced, "m.json", "json").cases] == [4, 7]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'[{"force_reference": 7}]', (1, "force_reference: must be text, not int")),
        (b'[\n{"case_type": "taser",\n "case_type": "taser"}]', (2, "key(s) given twice")),
        (b'{"items": []}', (1, 'the file holds a list of cases or {"cases": [...]}')),
        (b"[1]", (None, "each case is a JSON object")),
        (b'[\n\n{"force_reference": "R1",}]', (3, "not valid JSON")),
        (b"[" * 100_000, (None, "not a manifest: the JSON is nested too deeply")),
    ],
)
def test_json_problems(data: bytes, expected: tuple[int | None, str]) -> None:
    line, message = _problems(data, "json")[0]
    assert (line, message[: len(expected[1])]) == expected


def test_other_suffixes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "cases.xlsx"
    path.write_bytes(b"")
    with pytest.raises(ManifestError, match="1 problem"):
        read_manifest(path)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400), fmt=st.sampled_from(["csv", "json"]))
def test_any_bytes_give_a_manifest_or_clean_problems(data: bytes, fmt: str) -> None:
    try:
        manifest = parse_manifest(data, "fuzz", fmt)
    except ManifestError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
    else:
        assert manifest.cases


def test_line_breaks_inside_quoted_grounds_are_taken_as_line_feeds() -> None:
    """docs/manifest.md allows line breaks in grounds; a spreadsheet on Windows writes CR LF
    inside the quotes, which was refused as a control character (issue 9, defect 8)."""
    header = "force_reference,case_type,occurred_at,grounds,area"
    data = (
        f"{header}\r\n"
        'R1,taser,2026-03-01T10:00:00+00:00,"  Seen running\r\nfrom the shop\rwith a bag ",'
        '" North "\r\n'
        'R2,taser,2026-03-01T10:00:00+00:00,"x\x00y",South\r\n'
        f'R3,taser,2026-03-01T10:00:00+00:00,"{"g" * 50_001}",\r\n'
        'R4,taser,2026-03-01T10:00:00+00:00,,"two\r\nlines"\r\n'
    ).encode()
    assert _problems(data) == [
        (5, "grounds: contains a NUL character (\\0) at position 2; remove it"),  # R1: 2-4
        (6, "grounds: is 50,001 characters long; the most it can hold is 50,000"),
        (7, "area: contains a line break at position 4; keep it on one line"),
    ]
    good = data.split(b"\r\nR2")[0] + b"\r\n"
    [case] = parse_manifest(good, "m.csv", "csv").cases
    assert case.grounds == "  Seen running\nfrom the shop\nwith a bag "
    assert case.area == "North"
