"""The demo's fictional cases: the manifest a force would hand the panel, and what the
footage of each "shows", which is what the demo's reviewers react to.

Every case is invented. They are dated January 2018, the month of the bundled public
records for Avon and Somerset, so the report's force-wide section covers the same force
and period. Between them they cover every case type, every age band (children among
them), officer- and self-defined ethnicity with "not stated" and blanks (not recorded),
strip searches and every Taser level. References start with DEMO- so no screen, export or
log line can pass one off as a real case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from bwv_review.domain.vocab import CaseType

FORCE = "avon-and-somerset"
MONTH = date(2018, 1, 1)
FOOTAGE_ROOT = "demo-bwv"

MISUSE_OF_DRUGS = "Misuse of Drugs Act 1971 (section 23)"
PACE_S1 = "Police and Criminal Evidence Act 1984 (section 1)"
FIREARMS = "Firearms Act 1968 (section 47)"
SECTION_60 = "Criminal Justice and Public Order Act 1994 (section 60)"
ROAD_TRAFFIC = "Road Traffic Act 1988 (section 163)"
FORCE_LAW = "Criminal Law Act 1967 (section 3)"

NFA = "Nothing found - no further action"
ARREST = "Suspect arrested"
DRUGS_WARNING = "Offender given drugs possession warning"
LOCAL_RESOLUTION = "Local resolution"
SUMMONS = "Suspect summonsed to court"
CAUTION = "Offender cautioned"

WHITE_BRITISH = "White - English/Welsh/Scottish/Northern Irish/British"
WHITE_OTHER = "White - Any other White background"
BLACK_CARIBBEAN = "Black/African/Caribbean/Black British - Caribbean"
BLACK_AFRICAN = "Black/African/Caribbean/Black British - African"
ASIAN_PAKISTANI = "Asian/Asian British - Pakistani"
ASIAN_INDIAN = "Asian/Asian British - Indian"
MIXED_WBC = "Mixed/Multiple ethnic groups - White and Black Caribbean"
OTHER_ARAB = "Other ethnic group - Arab"
NOT_STATED = "Other ethnic group - Not stated"


@dataclass(frozen=True)
class DemoCase:
    """One encounter as the manifest gives it, plus `findings`: check id -> (the answer
    the footage supports, what it shows), for the checks where it is not simply Met."""

    reference: str
    case_type: CaseType
    day: int  # of January 2018
    time: str  # HH:MM, UTC (GMT in January)
    area: str
    power: str | None
    object_of_search: str | None
    grounds: str
    outcome: str | None
    outcome_linked: bool | None
    age_band: str | None
    gender: str | None
    self_defined_ethnicity: str | None
    officer_defined_ethnicity: str | None
    officer: str
    clip_seconds: tuple[int, ...]
    strip_search: bool | None = False
    taser: str | None = None
    findings: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    good_practice: str | None = None

    @property
    def occurred_at(self) -> datetime:
        hour, minute = (int(part) for part in self.time.split(":"))
        return datetime(MONTH.year, MONTH.month, self.day, hour, minute, tzinfo=UTC)

    @property
    def concerns(self) -> dict[str, str]:
        """check id -> what the footage shows, for the findings that are not Met."""
        return {check: note for check, (answer, note) in self.findings.items() if answer != "met"}

    def clip_paths(self) -> tuple[str, ...]:
        count = len(self.clip_seconds)
        return tuple(f"2018-01/{self.reference}/officer-{n}.mp4" for n in range(1, count + 1))


SS, UF, TS, VS = (
    CaseType.STOP_AND_SEARCH,
    CaseType.USE_OF_FORCE,
    CaseType.TASER,
    CaseType.VEHICLE_STOP_S163,
)

LATE_CAMERA = ("partly_met", "The camera starts after the officer's first words to the person.")
NO_STATION = ("partly_met", "The officer gives a name but not the station until asked.")
NO_RECEIPT = (
    "not_met",
    "No mention of a copy of the search record or how to get one, here or at the end.",
)

CASES: tuple[DemoCase, ...] = (
    # --- 2 to 16 January: the frame the 2018-Q1 session draws from -------------------------
    DemoCase(
        "DEMO-SS-001", SS, 2, "21:14", "Bristol Central", MISUSE_OF_DRUGS, "Controlled drugs",
        "Strong smell of cannabis from the subject's jacket; seen passing a small item to "
        "another male outside a venue known for supply.",
        NFA, False, "18-24", "Male", BLACK_CARIBBEAN, "Black", "OFC-D01", (14, 12),
        findings={
            "gowisely_station": NO_STATION,
            "grounds_objective": (
                "partly_met",
                "Smell alone is weak grounds; the passing of an item is not visible on the "
                "footage.",
            ),
        },
    ),
    DemoCase(
        "DEMO-SS-002", SS, 4, "16:40", "Bath", PACE_S1, "Offensive weapons",
        "Caller reported a youth showing a knife at the bus station; the subject matched the "
        "clothing described and was in the place described.",
        ARREST, True, "10-17", "Male", WHITE_BRITISH, "White", "OFC-D02", (16,),
        strip_search=True,
        findings={
            "strip_search_necessity": (
                "partly_met",
                "Taken to the station for a search beyond outer clothing; the record does not "
                "say why it could not wait for an appropriate adult.",
            ),
            "search_extent_lawful": (
                "not_met",
                "A search beyond outer clothing of a 15-year-old with no appropriate adult "
                "present and no urgent risk recorded.",
            ),
        },
        good_practice="Explains every step to the boy calmly and checks he understands.",
    ),
    DemoCase(
        "DEMO-UF-001", UF, 6, "01:05", "Weston-super-Mare", FORCE_LAW, None,
        "Man refusing to leave licensed premises became aggressive towards door staff and "
        "the officer; restrained after warnings.",
        ARREST, None, "25-34", "Male", WHITE_OTHER, "White", "OFC-D03", (15, 11),
        taser="drive_stun",
        findings={
            "de_escalation_first": (
                "partly_met",
                "Two warnings are given but the drive stun comes within 20 seconds of the "
                "officer arriving.",
            ),
            "taser_justified": (
                "not_met",
                "A drive stun is used on a man already held by two officers.",
            ),
        },
    ),
    DemoCase(
        "DEMO-SS-003", SS, 9, "19:30", "Bristol North", MISUSE_OF_DRUGS, "Controlled drugs",
        "Subject dropped a bag on seeing officers and became evasive when asked about it.",
        DRUGS_WARNING, True, "25-34", "Female", ASIAN_PAKISTANI, "Asian", "OFC-D04", (13,),
        good_practice="A clear, complete GOWISELY given before any search.",
    ),
    DemoCase(
        "DEMO-VS-001", VS, 10, "08:15", "Taunton", ROAD_TRAFFIC, None,
        "Vehicle seen weaving across lanes on the A358; stopped to check the driver's "
        "fitness to drive.",
        NFA, None, "over 34", "Female", WHITE_BRITISH, "White", "OFC-D05", (12,),
        findings={
            "record_and_receipt": (
                "not_met",
                "The stop is not recorded and the driver is not told she can ask for a record.",
            ),
        },
    ),
    DemoCase(
        "DEMO-SS-004", SS, 11, "22:50", "Bristol South", PACE_S1, "Article for use in theft",
        "Seen trying car door handles along a residential street at night.",
        NFA, False, "18-24", "Male", MIXED_WBC, "Black", "OFC-D06", (11, 10),
        findings={
            "bwv_start_to_end": LATE_CAMERA,
            "gowisely_entitlement": NO_RECEIPT,
            "grounds_match_footage": (
                "cannot_tell",
                "The footage starts after the car door handles were tried.",
            ),
        },
    ),
    DemoCase(
        "DEMO-TS-001", TS, 12, "23:40", "Bridgwater", FORCE_LAW, None,
        "Man armed with a bottle threatening members of the public outside a takeaway; "
        "refused repeated instructions to drop it.",
        ARREST, None, "25-34", "Male", NOT_STATED, "Other", "OFC-D07", (16, 14),
        taser="fired",
        findings={
            "taser_justified": (
                "met",
                "Clear threat to others, warnings given, distance kept.",
            ),
        },
        good_practice="Clear Taser warning and immediate aftercare once the man is down.",
    ),
    DemoCase(
        "DEMO-SS-005", SS, 13, "14:20", "Yeovil", MISUSE_OF_DRUGS, "Controlled drugs",
        "Subject seen rolling what appeared to be a cannabis joint on a park bench.",
        DRUGS_WARNING, True, "over 34", "Male", WHITE_BRITISH, "White", "OFC-D08", (12,),
    ),
    DemoCase(
        "DEMO-SS-006", SS, 13, "20:05", "Bristol Central", SECTION_60, "Offensive weapons",
        "Section 60 authorisation in force after a stabbing; subject in the authorised area.",
        NFA, None, "18-24", "Male", BLACK_AFRICAN, "Black", "OFC-D09", (14,),
        findings={
            "gowisely_grounds": (
                "partly_met",
                "The officer says 'there's a section 60' but not what it means for him.",
            ),
            "reason_explained": (
                "partly_met",
                "He asks twice why him; the answer is only 'everyone is being searched'.",
            ),
            "tone": ("partly_met", "Impatient with his questions towards the end."),
        },
    ),
    DemoCase(
        "DEMO-TS-002", TS, 14, "02:30", "Bristol South", FORCE_LAW, None,
        "Report of a man with a knife in a stairwell; Taser aimed while he was told to "
        "put it down.",
        ARREST, None, "18-24", "Male", BLACK_CARIBBEAN, "Black", "OFC-D10", (15,),
        taser="aimed",
        findings={
            "officers_and_exposure": (
                "partly_met",
                "Four officers arrive and crowd the stairwell after he has complied.",
            ),
        },
        good_practice="Taser lowered the moment he drops the knife; calm commands throughout.",
    ),
    DemoCase(
        "DEMO-SS-007", SS, 14, "11:10", "Frome", PACE_S1, "Stolen goods",
        "Matched a shop's description of a man who left with unpaid electrical goods.",
        SUMMONS, True, "over 34", "Male", None, None, "OFC-D11", (12,),
        findings={
            "record_and_receipt": (
                "partly_met",
                "Self-defined ethnicity is not asked, so the record leaves it blank.",
            ),
        },
    ),
    DemoCase(
        "DEMO-SS-008", SS, 15, "17:45", "South Gloucestershire", MISUSE_OF_DRUGS,
        "Controlled drugs",
        "Information from a member of the public that the subject was dealing from a car "
        "park; subject seen in the car park described.",
        NFA, False, "25-34", "Male", ASIAN_INDIAN, "Asian", "OFC-D12", (10,),
        strip_search=True,
        findings={
            "strip_search_necessity": (
                "not_met",
                "Nothing found in the outer search; no new reason is recorded for going "
                "further.",
            ),
            "dignity_privacy": (
                "partly_met",
                "The further search is in a police van with the door partly open.",
            ),
        },
    ),
    DemoCase(
        "DEMO-VS-002", VS, 15, "13:30", "Bath", ROAD_TRAFFIC, None,
        "Routine stop: vehicle's tax had expired according to the ANPR check.",
        LOCAL_RESOLUTION, None, "25-34", "Female", OTHER_ARAB, "Other", "OFC-D13", (11,),
        good_practice="Explains the reason for the stop at once and offers a record.",
    ),
    DemoCase(
        "DEMO-SS-009", SS, 16, "15:55", "Bristol North", MISUSE_OF_DRUGS, "Controlled drugs",
        "Smell of cannabis from the subject.",
        NFA, False, "10-17", "Female", NOT_STATED, "White", "OFC-D14", (12, 10),
        findings={
            "grounds_objective": ("not_met", "Smell of cannabis is the only ground given."),
            "vulnerability_recognised": (
                "partly_met",
                "She says she is fifteen; no parent or guardian is contacted afterwards.",
            ),
        },
    ),
    DemoCase(
        "DEMO-UF-002", UF, 16, "00:20", "Taunton", FORCE_LAW, None,
        "Man struggling with officers during an arrest for assault; handcuffed to the front.",
        ARREST, None, "over 34", "Male", WHITE_BRITISH, "White", "OFC-D15", (13,),
        findings={
            "handcuffs_justified": (
                "met",
                "Handcuffed while still struggling; checked for tightness straight away.",
            ),
        },
    ),
    DemoCase(
        "DEMO-SS-010", SS, 16, "21:35", "Weston-super-Mare", FIREARMS, "Firearms",
        "Report of a man showing a handgun to friends on the seafront.",
        NFA, False, "18-24", "Male", WHITE_BRITISH, "White", "OFC-D16", (12,),
        findings={"bwv_start_to_end": LATE_CAMERA},
    ),
    # --- 17 to 31 January: the frame the next quarter's session draws from ----------------
    DemoCase(
        "DEMO-SS-011", SS, 17, "16:05", "Bristol Central", PACE_S1, "Offensive weapons",
        "Boy seen by a teacher with what looked like a knife at the school gates.",
        NFA, False, "under 10", "Male", BLACK_AFRICAN, "Black", "OFC-D17", (12,),
        findings={
            "vulnerability_recognised": (
                "partly_met",
                "The boy's mother is called only after the search.",
            ),
        },
        good_practice="Kneels to the boy's level and explains in simple words.",
    ),
    DemoCase(
        "DEMO-SS-012", SS, 18, "18:25", "Bristol South", MISUSE_OF_DRUGS, "Controlled drugs",
        "Group seen exchanging items in an alley; subject ran when officers approached.",
        ARREST, True, "10-17", "Male", MIXED_WBC, "Mixed", "OFC-D18", (14, 12),
        strip_search=True,
        findings={
            "strip_search_necessity": (
                "partly_met",
                "Package found in his waistband; the record does not say an appropriate adult "
                "was asked for.",
            ),
            "search_extent_lawful": (
                "not_met",
                "No appropriate adult present for a search beyond outer clothing of a child.",
            ),
        },
    ),
    DemoCase(
        "DEMO-TS-003", TS, 19, "22:10", "Yeovil", FORCE_LAW, None,
        "Domestic incident: man threatening his partner with a hammer; red dot shown to "
        "gain compliance.",
        ARREST, None, "25-34", "Male", WHITE_BRITISH, "White", "OFC-D19", (13,),
        taser="red_dotted",
    ),
    DemoCase(
        "DEMO-SS-013", SS, 20, "13:50", "Bath", PACE_S1, "Stolen goods",
        "Seen leaving a shop with a security tag alarm sounding and a bulky bag.",
        CAUTION, True, "over 34", "Female", WHITE_BRITISH, "White", "OFC-D20", (11,),
    ),
    DemoCase(
        "DEMO-VS-003", VS, 21, "09:40", "Bridgwater", ROAD_TRAFFIC, None,
        "Stopped for using a mobile phone while driving.",
        NFA, None, "18-24", "Male", ASIAN_PAKISTANI, "Asian", "OFC-D21", (10,),
        findings={
            "reason_explained": (
                "partly_met",
                "The reason for the stop is given only after the driver's licence is checked.",
            ),
        },
    ),
    DemoCase(
        "DEMO-SS-014", SS, 22, "20:30", "Bristol North", MISUSE_OF_DRUGS, "Controlled drugs",
        "Known to officers; seen in an area associated with drug supply.",
        NFA, False, "18-24", "Male", BLACK_CARIBBEAN, "Black", "OFC-D22", (13,),
        findings={
            "grounds_objective": (
                "not_met",
                "Being known to officers and being in an area are not grounds.",
            ),
            "power_fits_object": ("met", "Section 23 for drugs."),
            "courtesy": ("partly_met", "Speaks over him when he asks why."),
        },
    ),
    DemoCase(
        "DEMO-UF-003", UF, 23, "03:15", "Bristol Central", FORCE_LAW, None,
        "Man resisting arrest on a warrant; Taser used in angle drive stun after he struck "
        "an officer.",
        ARREST, None, "25-34", "Male", None, None, "OFC-D23", (14, 12),
        taser="angle_drive_stun",
        findings={
            "force_stops_at_control": (
                "partly_met",
                "A second cycle is applied as he is already going to the ground.",
            ),
        },
    ),
    DemoCase(
        "DEMO-SS-015", SS, 24, "15:15", "Frome", PACE_S1, "Articles for use in criminal damage",
        "Seen with spray paint cans near fresh graffiti on a railway bridge.",
        LOCAL_RESOLUTION, True, "10-17", "Female", WHITE_BRITISH, "White", "OFC-D24", (12,),
        good_practice="Offers to call her father and waits for him before the search.",
    ),
    DemoCase(
        "DEMO-SS-016", SS, 25, "23:05", "Bristol South", MISUSE_OF_DRUGS, "Controlled drugs",
        "Passenger in a car stopped for a vehicle check; officer said he 'looked nervous'.",
        NFA, False, "18-24", "Male", BLACK_AFRICAN, "Black", "OFC-D25", (12,),
        findings={
            "grounds_objective": ("not_met", "Nervousness is not grounds for a search."),
            "gowisely_legal_power": ("partly_met", "The power is named only when he asks."),
            "gowisely_entitlement": NO_RECEIPT,
        },
    ),
    DemoCase(
        "DEMO-TS-004", TS, 26, "01:50", "Weston-super-Mare", FORCE_LAW, None,
        "Man advancing on officers with a broken bottle on the pier approach; arcing shown "
        "as a warning.",
        ARREST, None, "over 34", "Male", WHITE_OTHER, "White", "OFC-D26", (13,),
        taser="arced",
        good_practice="Arcing used as a warning only; he drops the bottle and is not fired on.",
    ),
    DemoCase(
        "DEMO-VS-004", VS, 27, "17:20", "South Gloucestershire", ROAD_TRAFFIC, None,
        "Vehicle with no lights on after dark.",
        NFA, None, "25-34", "Male", BLACK_CARIBBEAN, "Black", "OFC-D27", (10,),
        findings={"bwv_start_to_end": LATE_CAMERA},
    ),
    DemoCase(
        "DEMO-SS-017", SS, 28, "12:40", "Taunton", MISUSE_OF_DRUGS, "Controlled drugs",
        "Seen taking a small wrap from another person in a market square.",
        DRUGS_WARNING, True, None, "Male", WHITE_BRITISH, "White", "OFC-D28", (11,),
    ),
    DemoCase(
        "DEMO-SS-018", SS, 29, "19:55", "Bristol Central", PACE_S1, "Offensive weapons",
        "Information from CCTV operators of a man concealing a blade in his sleeve.",
        ARREST, True, "25-34", None, OTHER_ARAB, "Other", "OFC-D29", (12, 10),
    ),
    DemoCase(
        "DEMO-UF-004", UF, 30, "21:00", "Bath", FORCE_LAW, None,
        "Man refusing to let go of a bicycle reported stolen; Taser drawn, not aimed.",
        ARREST, None, "10-17", "Male", NOT_STATED, "Asian", "OFC-D30", (12,),
        taser="drawn",
        findings={
            "taser_justified": (
                "partly_met",
                "Drawing a Taser on a 16-year-old holding a bicycle is hard to justify.",
            ),
        },
    ),
    DemoCase(
        "DEMO-SS-019", SS, 31, "14:10", "Yeovil", MISUSE_OF_DRUGS, "Controlled drugs",
        "Strong smell of cannabis from the subject's car; cannabis grinder in plain view.",
        DRUGS_WARNING, True, "over 34", "Female", None, "White", "OFC-D31", (11,),
    ),
    DemoCase(
        "DEMO-SS-020", SS, 31, "22:25", "Bridgwater", PACE_S1, "Article for use in theft",
        "Seen looking into parked vans with a torch late at night.",
        NFA, False, "18-24", "Male", WHITE_BRITISH, "White", "OFC-D32", (10,),
        findings={"gowisely_station": NO_STATION},
    ),
)  # fmt: skip

FIRST_HALF = (date(2018, 1, 1), date(2018, 1, 16))
SECOND_HALF = (date(2018, 1, 17), date(2018, 1, 31))
