"""CSV and XLSX files that spreadsheet apps open safely (planner/outputs/spreadsheets.py)."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd

from planner.outputs.spreadsheets import csv_bytes, neutralize, xlsx_bytes

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "Zoë Ñandú",
           "plain"]


def frame():
    lima = ZoneInfo("America/Lima")
    return pd.DataFrame({"Name": HOSTILE, "Registered (America/Lima)": [datetime(2026, 10, 20, 17, 5, tzinfo=lima)] * 8,
                         "Place": list(range(8))})


def test_csv_has_a_bom_and_no_cell_a_spreadsheet_would_run():
    data = csv_bytes(frame())
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    for typed, read in zip(HOSTILE, back["Name"]):
        assert not str(read).startswith(("=", "+", "-", "@", "\t", "\r"))
        assert str(read) == typed or str(read) == "'" + typed  # reads the same to a person
    assert len(back) == len(HOSTILE)  # a carriage return inside a value does not end its row
    assert "Zoë Ñandú" in list(back["Name"])
    assert back["Registered (America/Lima)"][0] == "2026-10-20 17:05:00"  # the venue's wall-clock time


def test_xlsx_has_no_formula_cell_and_keeps_values_dates_and_a_frozen_header():
    data = xlsx_bytes({"Registrations": frame(), "Another": frame()})
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Registrations", "Another"]
    sheet = book["Registrations"]
    assert sheet.freeze_panes == "A2"
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    # As typed (XML keeps a carriage return as a line break, which reads the same).
    assert [sheet.cell(row=r, column=1).value for r in range(2, 10)] == [h.replace("\r", "\n") for h in HOSTILE]
    when = sheet.cell(row=2, column=2)
    assert when.is_date and when.value == datetime(2026, 10, 20, 17, 5)
    assert sheet.cell(row=2, column=3).value == 0 and sheet.cell(row=2, column=3).data_type == "n"
    assert sheet.column_dimensions["A"].width >= len(HOSTILE[0])
    read = pd.read_excel(io.BytesIO(data), sheet_name="Registrations")
    assert list(read["Name"]) == [h.replace("\r", "\n") for h in HOSTILE]


def test_neutralize_leaves_numbers_and_harmless_text_alone():
    assert neutralize(-3) == -3 and neutralize("Ana") == "Ana" and neutralize("=1") == "'=1"
