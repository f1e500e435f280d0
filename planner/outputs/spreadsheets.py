"""Tables as files people open in Excel or LibreOffice: CSV (UTF-8 with a BOM) and XLSX, written
by pandas (quoting, ``to_csv``) and openpyxl (the XLSX), never by hand.

**Formula injection is neutralised in both formats.** A cell whose text begins with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by spreadsheet apps when a
CSV is opened (OWASP, "CSV injection"): a guest named ``=HYPERLINK("http://evil",…)`` would
become a link in an organizer's sheet. Such text gets a leading apostrophe in the CSV (which
Excel and LibreOffice hide and read as "this is text"), and in the XLSX it is written as a
string cell (type ``s``, never a formula: openpyxl would otherwise turn ``=…`` into one) and
kept exactly as typed. Numbers, dates and times stay real numbers and dates.

**XLSX**: one sheet per table, the header row frozen and in bold, column widths that fit their
longest value (up to 60 characters), datetimes as real dates (written without a zone, in the
zone the caller converted them to — the venue's — and said in the column name).
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60


def neutralize(value):
    """A value safe in a CSV cell: text that a spreadsheet would run as a formula gets a leading
    apostrophe; everything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Aware datetimes become naive (their wall-clock time kept), which both formats can hold."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            out[column] = series.dt.tz_localize(None)
        elif not pd.api.types.is_numeric_dtype(series):
            out[column] = series.map(lambda v: v.replace(tzinfo=None) if isinstance(v, datetime) and v.tzinfo else v)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM (so Excel opens accents intact), rows ended by CRLF, formulas neutralised."""
    safe = _plain(frame)
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):  # object or pandas' string dtype
            safe[column] = safe[column].map(neutralize)
    # CRLF ends rows (RFC 4180); it also makes the writer quote a value holding a lone carriage
    # return, which with "\n" endings it leaves bare and readers take as the end of the row.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table (names cut to Excel's 31 characters), formulas never written."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for name, frame in sheets.items():
        title = _sheet_title(name, used)
        sheet = book.create_sheet(title)
        frame = _plain(frame)
        columns = [str(c) for c in frame.columns]
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(c) for c in columns]
        for row_number, row in enumerate(frame.itertuples(index=False, name=None), start=2):
            for column_number, value in enumerate(row, start=1):
                value = None if _missing(value) else value
                cell = sheet.cell(row=row_number, column=column_number)
                if isinstance(value, str):
                    cell.value = value
                    cell.data_type = TYPE_STRING  # never a formula, whatever it begins with
                else:
                    cell.value = value
                    if isinstance(value, datetime):
                        cell.number_format = "yyyy-mm-dd hh:mm"
                    elif isinstance(value, date):
                        cell.number_format = "yyyy-mm-dd"
                widths[column_number - 1] = max(widths[column_number - 1], _width(value))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def _sheet_title(name: str, used: set[str]) -> str:
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in str(name)).strip()[:31] or "Sheet"
    title, n = cleaned, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = cleaned[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title
