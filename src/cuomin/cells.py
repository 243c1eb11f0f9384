"""A spreadsheet cell's value as text, one way for every reader of sheets: documents
(readers/sheet.py), posts, guides and rosters (supervision/)."""

from __future__ import annotations


def cell_text(value) -> str:
    """A cell's value as the sheet shows it: blank for none, a whole number without
    ``.0`` (42, and a phone number a spreadsheet stored as a number), a date and time as
    ``2023-09-28 10:00:00``, text without the spaces around it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # calamine gives numbers as floats: 42.0 is shown as 42
    return str(value).strip()
