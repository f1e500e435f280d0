"""Tables people bring in: a CSV or XLSX file (bytes and a file name) read into a pandas
DataFrame of text, the way organizers' spreadsheets really arrive.

**Which format** is decided by the content, never by the name: an XLSX is a zip file
(``PK\\x03\\x04``), an old binary ``.xls`` an OLE file (refused with a sentence saying to save it
as XLSX or CSV); anything else is read as CSV text.

**Encodings**, in this order: a byte-order mark says UTF-8 or UTF-16 (Excel's "Unicode text"
is UTF-16 with a BOM and tabs); NUL bytes without a BOM mean UTF-16 too (their place says
which end); then strict UTF-8; then Windows-1252, Excel's "CSV" on Western European
Windows; a file holding one of its five undefined bytes is read as Latin-1, which reads
any byte. A wrong guess cannot pass silently as UTF-8: Latin-1 accents are invalid UTF-8.

**Separators**: the header line decides between comma, semicolon (Excel in most of Europe)
and tab, by which of them splits it into the most cells outside quotes.

**Columns** are matched to a template's by their key, English name or label in any of the
app's languages, ignoring case, accents, spaces and underscores ("Time zone", "time_zone",
"TIME ZONE"); a missing required column refuses the whole file naming every one missing.

**Dates** (one rule, said in the templates and the README): 2026-10-20 (ISO), 20/10/2026,
20.10.2026, 20-10-2026 are day first; a first number that cannot be a day of that month's
order (10/20/2026: there is no month 20) is read month first, and only then. Month names
("20 Oct 2026", "October 20, 2026") in English or the active language. Times: 14:30, 14.30,
14h30, 2:30 pm, and spreadsheet times (14:30:00).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time

import pandas as pd

from .. import i18n
from ..errors import ValidationError
from ..i18n import Lazy
from ..text import match_key

MAX_ROWS = 50_000
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
SEPARATORS = (",", ";", "\t")


@dataclass(frozen=True)
class Column:
    key: str  # the name rows are read by, and the template's English heading
    label: Lazy  # the heading in the active language
    required: bool = False


# ---------------------------------------------------------------------- bytes → table


def read_table(data: bytes, filename: str = "") -> pd.DataFrame:
    """The file's first sheet (or its CSV text) as text cells ("" when empty); the index is
    each row's number as a spreadsheet shows it (the heading is row 1). Rows with nothing in
    them are left out. Raises ``ValidationError`` with a sentence for a file that is empty,
    unreadable or too long."""
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ValidationError("import_empty", field="file")
    if data.startswith(OLE_MAGIC):
        raise ValidationError("import_old_excel", field="file")
    frame = _read_xlsx(data) if data.startswith(ZIP_MAGIC) else _read_csv(_decode(data))
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.fillna("").astype(str)
    frame.index = range(2, len(frame) + 2)
    frame = frame[(frame.apply(lambda column: column.str.strip()) != "").any(axis=1)]
    if frame.empty:
        raise ValidationError("import_no_rows", field="file")
    if len(frame) > MAX_ROWS:
        raise ValidationError("import_too_many_rows", field="file", max=MAX_ROWS, count=len(frame))
    return frame


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16")
    head = data[:4000]
    if head.count(b"\x00") > len(head) // 4:  # UTF-16 without a BOM: ASCII has a zero byte each
        even_zeros = head[0::2].count(b"\x00")
        return _strict(data, "utf-16-be" if even_zeros > len(head) // 4 else "utf-16-le")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1")


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ValidationError("import_unreadable", field="file") from None


def _separator(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    best, most = ",", 0
    for sep in SEPARATORS:
        cells = len(next(csv.reader([first], delimiter=sep), []))
        if cells > most:
            best, most = sep, cells
    return best


def _read_csv(text: str) -> pd.DataFrame:
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise ValidationError("import_unreadable", field="file")
    if not text.strip():
        raise ValidationError("import_empty", field="file")
    try:
        return pd.read_csv(io.StringIO(text), sep=_separator(text), dtype=str, keep_default_na=False,
                           skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        raise ValidationError("import_unreadable", field="file") from None


def _read_xlsx(data: bytes) -> pd.DataFrame:
    try:
        frame = pd.read_excel(io.BytesIO(data), sheet_name=0, dtype=object, engine="openpyxl")
    except Exception:  # a damaged or foreign zip: openpyxl raises many kinds  # noqa: BLE001
        raise ValidationError("import_unreadable", field="file") from None
    return frame.map(_cell)


def _cell(value) -> str:
    """A spreadsheet cell as the text a person sees: dates as ISO, times as HH:MM, whole
    numbers without ".0"."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, datetime) or isinstance(value, pd.Timestamp):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        if value.year < 1901:  # a time alone, as some spreadsheets store one
            return value.strftime("%H:%M")
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------------- columns


def _heading_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", match_key(str(text)).strip("*: "))


def match_columns(frame: pd.DataFrame, columns: tuple[Column, ...]) -> dict[str, str]:
    """{column key: the file's heading for it}; ``import_missing_columns`` names the required
    ones not found (in the active language), and the headings the file has."""
    names = {}
    for column in columns:
        accepted = {_heading_key(column.key), _heading_key(column.label.msgid)}
        for code in i18n.available():
            with i18n.using(code):
                accepted.add(_heading_key(str(column.label)))
        accepted.add(_heading_key(str(column.label)))
        found = next((h for h in frame.columns if _heading_key(h) in accepted), None)
        if found is not None:
            names[column.key] = found
    missing = [c.label for c in columns if c.required and c.key not in names]
    if missing:
        # Joined with commas here, in the language of the page that reads the file: a list's
        # "and" would be CLDR's, outside the catalogue.
        raise ValidationError("import_missing_columns", field="file", missing=", ".join(str(m) for m in missing),
                              found=", ".join(str(h) for h in frame.columns if str(h).strip())[:300] or "—")
    return names


# ---------------------------------------------------------------------- dates and times

_NUMERIC = re.compile(r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})")
_WORDS = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})|([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})")
_TIME = re.compile(r"(\d{1,2})\s*[:.h]\s*(\d{2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?|(\d{1,2})\s*(am|pm)")
_ENGLISH_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                   "october", "november", "december"]


def _months() -> dict[str, int]:
    found = {}
    for n, name in enumerate(_ENGLISH_MONTHS, start=1):
        found[name] = found[name[:3]] = n
    found["sept"] = 9
    cldr = i18n.locale()
    for context in cldr.months.values():
        for names in context.values():
            for n, name in names.items():
                found[match_key(name).rstrip(".")] = n
    return found


def parse_date(value: str) -> date | None:
    """A date as organizers type it (the module's rule), or None if it is not one."""
    text = value.strip()
    text = re.sub(r"[T ]\d{1,2}:\d{2}(:\d{2})?$", "", text)  # a spreadsheet's midnight
    numeric = _NUMERIC.fullmatch(text)
    try:
        if numeric:
            a, b, c = numeric.groups()
            if len(a) == 4:
                return date(int(a), int(b), int(c))
            if len(c) != 4:
                return None
            day, month = int(a), int(b)
            if month > 12 and day <= 12:  # impossible day first: month first
                day, month = month, day
            return date(int(c), month, day)
        words = _WORDS.fullmatch(match_key(text))
        if words:
            day, name, year = (words.group(1), words.group(2), words.group(3)) if words.group(1) else (
                words.group(5), words.group(4), words.group(6))
            month = _months().get(name.rstrip("."))
            return date(int(year), month, int(day)) if month else None
    except ValueError:
        return None
    return None


def parse_time(value: str) -> time | None:
    text = value.strip().lower()
    found = _TIME.fullmatch(text)
    if not found:
        return None
    if found.group(5):
        hour, minute, second, half = int(found.group(5)), 0, 0, found.group(6)
    else:
        hour, minute = int(found.group(1)), int(found.group(2))
        second, half = int(found.group(3) or 0), found.group(4)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    try:
        return time(hour, minute, second)
    except ValueError:
        return None


def parse_whole_number(value: str):
    """"80", "80.0" (a spreadsheet's number) → 80; other text comes back as it is, for the
    validator to refuse in words; "" → None."""
    text = value.strip().replace("\u202f", "").replace(" ", "")
    if not text:
        return None
    if re.fullmatch(r"\d+(\.0+)?", text):
        return int(float(text))
    return text
