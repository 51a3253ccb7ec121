from __future__ import annotations

from bwv_review.reports.cell_marks import MARKS, MEANINGS, flags_in, legend_lines
from bwv_review.reports.document import Cell, CellFlag, Table


def test_every_flag_has_its_own_mark_and_words() -> None:
    assert set(MARKS) == set(MEANINGS) == set(CellFlag)
    assert len(set(MARKS.values())) == len(CellFlag)


def test_the_legend_lists_the_flags_a_table_uses_in_a_fixed_order() -> None:
    table = Table(
        caption="Grades",
        header=("Grade", "White", "Black"),
        rows=(
            (Cell("Good"), Cell("[c]", CellFlag.SECONDARY), Cell("3", CellFlag.SMALL)),
            (Cell("Poor"), Cell("3", CellFlag.SMALL), Cell("12")),
        ),
    )

    assert flags_in(table) == [CellFlag.SMALL, CellFlag.SECONDARY]
    assert legend_lines(flags_in(table)) == [
        "* fewer than 5: read with care.",
        "\u2021 not shown, so that a hidden figure cannot be worked out from the totals.",
    ]
    assert flags_in(Table("None", ("A",), ((Cell("1"),),))) == []
