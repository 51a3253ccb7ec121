"""Cells of files a spreadsheet opens (CSV, XLSX): text that starts like a formula is
shown as typed instead of run. Every export of free text goes through here, so a purpose
or a note typed as `=HYPERLINK(...)` never runs on the recipient's machine."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP's list)."""


def neutralised(text: str) -> str:
    """The cell text a spreadsheet shows as typed instead of running it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A CSV file every export writes the same way: UTF-8 with a byte-order mark (Excel
    otherwise reads it as Windows-1252), CRLF rows, every cell neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralised(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")
