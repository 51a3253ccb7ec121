"""What the force hands the panel for the walk: a case manifest (docs/manifest.md) and a
folder of short real clips made with ffmpeg, one per case."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from tests.support.video import make_video

ROOT_NAME = "walk-bwv"
COLUMNS = (
    "force_reference", "case_type", "occurred_at", "area", "power", "object_of_search",
    "grounds", "outcome", "outcome_linked", "age_band", "gender", "self_defined_ethnicity",
    "officer_defined_ethnicity", "strip_search", "officer_pseudonym", "footage_root", "clips",
    "footage_deleted_on",
)  # fmt: skip
CASES = (
    ("SS-2026-000501", "2026-03-02T21:14:00+00:00", "North Sector", "Controlled drugs",
     "Smell of cannabis from the subject's jacket.", "A no further action disposal", "false",
     "18-24", "Male", "Black/African/Caribbean/Black British - Caribbean", "Black", "OFC-A17"),
    ("SS-2026-000502", "2026-03-04T16:40:00+00:00", "City Centre", "Offensive weapons",
     "Caller reported a youth showing a knife; subject matched the description.", "Arrest",
     "true", "18-24", "Male", "White - English/Welsh/Scottish/Northern Irish/British",
     "White", "OFC-B03"),
    ("SS-2026-000503", "2026-03-07T01:05:00+00:00", "East Sector", "Controlled drugs",
     "Subject dropped a bag on seeing officers.", "Khat or Cannabis warning", "true",
     "25-34", "Female", "Asian/Asian British - Pakistani", "Asian", "OFC-C22"),
)  # fmt: skip


# Days from today until the force deletes each encounter's footage: the chair's Verify
# before the meeting says the first is due soon. (Without a date the clip would keep the
# usual one, its recording's plus 31 days: long past for March's cases.)
DELETED_IN_DAYS = {"SS-2026-000501": 3, "SS-2026-000502": 90, "SS-2026-000503": 90}


@dataclass(frozen=True)
class ForceDelivery:
    manifest: Path
    footage: Path
    references: tuple[str, ...]

    def clip(self, reference: str) -> Path:
        return self.footage / _clip_path(reference)


def _clip_path(reference: str) -> str:
    return f"2026-03/{reference}/officer-1.mp4"


def force_delivery(folder: Path) -> ForceDelivery:
    footage = folder / "force-bwv"
    manifest = folder / "cases-2026-03.csv"
    rows = []
    for ref, when, area, obj, grounds, outcome, linked, age, gender, sde, ode, officer in CASES:
        clip = _clip_path(ref)
        make_video(footage / clip, tag=ref, seconds=3.0)
        deleted_on = (date.today() + timedelta(days=DELETED_IN_DAYS[ref])).isoformat()
        rows.append(
            (ref, "stop_and_search", when, area, "Misuse of Drugs Act 1971 (section 23)", obj,
             grounds, outcome, linked, age, gender, sde, ode, "false", officer, ROOT_NAME, clip,
             deleted_on)
        )  # fmt: skip
    with manifest.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return ForceDelivery(manifest, footage, tuple(row[0] for row in rows))
