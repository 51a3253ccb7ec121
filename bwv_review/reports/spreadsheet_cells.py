"""Cells of files a spreadsheet opens (CSV, XLSX): text that starts like a formula is
shown as typed instead of run. Every export of free text goes through here, so a purpose
or a note typed as `=HYPERLINK(...)` never runs on the recipient's machine."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP's list)."""


def neutralised(text: str) -> str:
    """The cell text a spreadsheet shows as typed instead of running it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
