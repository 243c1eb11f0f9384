"""Spreadsheets (.xlsx, .xlsm, .xls, WPS .et): the cells people read, row by row.

A list published as a spreadsheet (a 公示名单, a table of subsidies) is where ID and phone
numbers are most often left unmasked, so a workbook is checked like a document: each row
that holds anything is a line of the text, its cells joined by a tab, and labelled with
its sheet and row (``Sheet1第3行``). Read with calamine (the posts reader's workbook
reader too); cells are written as the sheet shows them (cuomin/cells.py).
"""

from __future__ import annotations

import io
from typing import Iterator

from ..cells import cell_text


class SheetError(ValueError):
    """A workbook that cannot be read; the message says why."""


def sheet_rows(data: bytes) -> Iterator[tuple[str, int, list[str]]]:
    """``(sheet, row number, cells)`` of every row that holds anything, in every sheet
    (row numbers as the sheet shows them). Raises :class:`SheetError`."""
    from python_calamine import CalamineWorkbook

    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as wb:
            for name in wb.sheet_names:
                sheet = wb.get_sheet_by_name(name)
                first = (sheet.start or (0, 0))[0] + 1
                for i, row in enumerate(sheet.to_python(), first):
                    cells = [cell_text(value) for value in row]
                    if any(cells):
                        yield name, i, cells
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # CalamineError, and pyo3's PanicException (a BaseException)
        raise SheetError(f"a workbook that cannot be read ({type(exc).__name__})") from None


def parse_sheet(data: bytes) -> tuple[str, tuple[str, ...]]:
    """``(text, labels)``: a line for each row that holds anything (cells joined by a
    tab, the empty ones at its end left out) and its place (``名单第3行``). Raises
    :class:`SheetError`."""
    lines: list[str] = []
    labels: list[str] = []
    for name, number, cells in sheet_rows(data):
        while cells and not cells[-1]:
            cells.pop()
        lines.append("\t".join(cells))
        labels.append(f"{name}第{number}行")
    return "\n".join(lines), tuple(labels)
