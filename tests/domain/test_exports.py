"""Exports (issue #11): every table read back from its CSV and XLSX the way a spreadsheet app
reads it — hostile values stay text (CSV: behind an apostrophe; XLSX: exactly), accents stay
intact, times are on each event's own wall clock (Lima and New York), XLSX dates are real
dates under a frozen header, door passes and the public get nothing, and each export of
personal data leaves one audit entry."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pandas as pd
import pytest
import sqlite_utils

from planner import PUBLIC, NotFound, PermissionDenied, ValidationError
from planner.access import of_door, of_user
from planner.i18n import using
from tests.domain.conftest import LIMA, NY

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE_NAME = '=HYPERLINK("http://evil.example","click")'
HOSTILE_ORG = "+1"
HOSTILE_NEEDS = "-2"
HOSTILE_TITLE = "@x"
HOSTILE_DOOR = "=1+1"
HOSTILE_SPEAKER = "=SUM(A1)"
HOSTILE_HOST = "+Host"
TAB_LEADING = "\tTab"
CR_LEADING = "\rCR"
ACCENTED = "Zoë Ñandú"
YEAR = datetime.now(UTC).year + 2  # far enough ahead that every event still takes registrations
NOW = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)  # the clock fixture's moment: 07:00 in Lima, 08:00 in New York
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
METHODS = ("registrations_table", "checkin_log_table", "attendance_table", "programme_table")
KINDS = ("registrations", "checkins", "attendance", "programme")


@pytest.fixture
def world(planner, summit, room, clock):
    """Two published events of one summit: one in Lima (capacity 1: a guest, two waiting, a
    walk-in), one in New York; hostile and accented values wherever people type; scans at a
    door with a hostile name; an event of another summit that summit exports must leave out."""
    casa = planner.add_venue(name="Casa Zapata", address="Jirón Ucayali 123, Lima", timezone="America/Lima")
    sala = planner.add_room(venue_id=casa.id, name="Sala Grau", capacity=1)
    lima = planner.create_event(
        title=HOSTILE_TITLE, summit_id=summit.id, room_id=sala.id,
        starts_at=datetime(YEAR, 3, 10, 17, 0, tzinfo=LIMA), ends_at=datetime(YEAR, 3, 10, 19, 0, tzinfo=LIMA),
        speakers=[{"name": HOSTILE_SPEAKER, "affiliation": "Red Migrante", "role": "chair"},
                  {"name": "Luis Quispe", "affiliation": "", "role": "speaker"}],
        organizations=[{"name": HOSTILE_HOST, "role": "host"}, {"name": "Coalición Andina", "role": "co-sponsor"}],
    )
    new_york = planner.create_event(
        title="Cumbre — sesión en Nueva York", summit_id=summit.id, room_id=room.id,
        starts_at=datetime(YEAR, 3, 10, 17, 0, tzinfo=NY), ends_at=datetime(YEAR, 3, 10, 18, 0, tzinfo=NY),
    )
    other_summit = planner.add_summit(name="Otra cumbre", timezone="UTC", starts_on=NOW.date(), ends_on=NOW.date())
    elsewhere = planner.create_event(
        title="Elsewhere", summit_id=other_summit.id, timezone="UTC", online_url="https://meet.example.org/x",
        starts_at=datetime(YEAR, 4, 1, 9, 0, tzinfo=UTC), ends_at=datetime(YEAR, 4, 1, 10, 0, tzinfo=UTC),
    )
    for e in (lima, new_york, elsewhere):
        planner.publish_event(e.id, allow_room_clash=True)
    ana = planner.register(lima.id, name=HOSTILE_NAME, email="ana@example.org", organization=HOSTILE_ORG,
                           needs=HOSTILE_NEEDS)
    bo = planner.register(lima.id, name=ACCENTED, email="zoe@example.org", organization="Coalición Andina")
    cy = planner.register(lima.id, name="Cy Waits", email="cy@example.org")
    ny_guest = planner.register(new_york.id, name="Nia York", email="nia@example.org")
    planner.register(elsewhere.id, name="Far Away", email="far@example.org")
    # Text that arrived some other way (an import, an older version) and starts with a tab or a carriage return.
    sqlite_utils.Database(planner.path)["registrations"].update(cy.id, {"organization": TAB_LEADING, "needs": CR_LEADING})
    clock.advance(minutes=30)
    planner.check_in(ana.checkin_code, lima.id, door=HOSTILE_DOOR)
    planner.check_in("NOT-A-CODE", lima.id, door=HOSTILE_DOOR)
    planner.walk_in(lima.id, name="Walker Ríos", organization="Radio", force=True, door=HOSTILE_DOOR)
    planner.check_in(ny_guest.checkin_code, new_york.id, door="Main door")
    return {"lima": planner.get_event(lima.id), "ny": planner.get_event(new_york.id), "summit": summit,
            "elsewhere": elsewhere, "ana": ana, "bo": bo, "cy": cy, "other_summit": other_summit}


def read_csv(data: bytes) -> pd.DataFrame:
    assert data.startswith(b"\xef\xbb\xbf"), "no BOM: Excel would open accents garbled"
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def read_xlsx(data: bytes) -> openpyxl.Workbook:
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(c.font.b for c in sheet[1]), "the header row is bold"
        formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
        assert not formulas, f"formula cells in {sheet.title}: {formulas}"
    return book


def csv_cells(frame: pd.DataFrame) -> list[str]:
    return [v for column in frame.columns for v in frame[column]]


def xlsx_cells(book) -> list:
    return [c.value for sheet in book.worksheets for row in sheet.iter_rows(min_row=2) for c in row]


# What each export must carry, as typed.
EXPECTED = {
    "registrations": [HOSTILE_NAME, HOSTILE_ORG, HOSTILE_NEEDS, HOSTILE_TITLE, TAB_LEADING, CR_LEADING, ACCENTED,
                      HOSTILE_DOOR],
    "checkins": [HOSTILE_NAME, HOSTILE_ORG, HOSTILE_TITLE, HOSTILE_DOOR],
    "attendance": [HOSTILE_TITLE],
    "programme": [HOSTILE_TITLE, HOSTILE_SPEAKER + " (Red Migrante)", HOSTILE_HOST, "Coalición Andina",
                  "Jirón Ucayali 123, Lima"],
}


@pytest.mark.parametrize("kind", KINDS)
def test_every_csv_export_neutralises_formulas_and_keeps_accents(planner, world, kind):
    data, name, mime = planner.export(kind, "csv", summit_id=world["summit"].id)
    assert mime == "text/csv" and name == f"{kind}-summit-{world['summit'].id}.csv"
    cells = csv_cells(read_csv(data))
    assert not [c for c in cells if c.startswith(DANGEROUS)], "a cell a spreadsheet would run"
    for typed in EXPECTED[kind]:
        shown = "'" + typed if typed.startswith(DANGEROUS) else typed
        assert shown in cells, (kind, typed)  # reads the same to a person: Excel hides the apostrophe
    if kind == "registrations":
        assert "'" + TAB_LEADING in cells and "'" + CR_LEADING in cells  # quoted: the row did not split
        assert "Coalición Andina" in cells and "Walker Ríos" in cells


@pytest.mark.parametrize("kind", KINDS)
def test_every_xlsx_export_has_no_formula_cell_and_keeps_values_exactly(planner, world, kind):
    data, name, mime = planner.export(kind, "xlsx", summit_id=world["summit"].id)
    assert mime == XLSX and name.endswith(".xlsx")
    book = read_xlsx(data)
    assert len(book.worksheets) == 1
    cells = xlsx_cells(book)
    for typed in EXPECTED[kind]:
        assert typed.replace("\r", "\n") in cells, (kind, typed)  # XML keeps a carriage return as a line break


def test_everything_comes_as_one_workbook_with_a_sheet_of_each(planner, world):
    data, name, mime = planner.export("all", "xlsx", event_id=world["lima"].id)
    assert (name, mime) == (f"export-event-{world['lima'].id}.xlsx", XLSX)
    book = read_xlsx(data)
    assert book.sheetnames == ["Registrations", "Check-in log", "Attendance", "Programme"]
    cells = xlsx_cells(book)
    for typed in {v for values in EXPECTED.values() for v in values}:
        assert typed.replace("\r", "\n") in cells, typed
    assert "Nia York" not in cells  # one event's file holds that event only


def test_times_are_on_each_events_own_wall_clock_with_the_zone_named(planner, world):
    frame = planner.registrations_table(summit_id=world["summit"].id)
    by_name = frame.set_index("Name")
    assert by_name.loc[HOSTILE_NAME, "Time zone"] == "America/Lima"
    assert by_name.loc[HOSTILE_NAME, "Registered"] == datetime(2026, 10, 20, 7, 0)  # 12:00 UTC in Lima
    assert by_name.loc[HOSTILE_NAME, "Checked in"] == datetime(2026, 10, 20, 7, 30)
    assert by_name.loc["Nia York", "Time zone"] == "America/New_York"
    assert by_name.loc["Nia York", "Registered"] == datetime(2026, 10, 20, 8, 0)  # 12:00 UTC in New York (EDT)
    programme = planner.programme_table(summit_id=world["summit"].id).set_index("Event")
    assert programme.loc[HOSTILE_TITLE, "Starts"] == datetime(YEAR, 3, 10, 17, 0)
    assert programme.loc["Cumbre — sesión en Nueva York", "Starts"] == datetime(YEAR, 3, 10, 17, 0)
    assert programme.loc[HOSTILE_TITLE, "Time zone"] == "America/Lima"
    # The CSV writes the wall-clock time as text; the XLSX as a real date.
    csv = read_csv(planner.export("programme", "csv", event_id=world["lima"].id)[0])
    assert list(csv["Starts"]) == [f"{YEAR}-03-10 17:00:00"] and list(csv["Time zone"]) == ["America/Lima"]
    sheet = read_xlsx(planner.export("programme", "xlsx", event_id=world["ny"].id)[0]).worksheets[0]
    headings = [c.value for c in sheet[1]]
    starts = sheet.cell(row=2, column=headings.index("Starts") + 1)
    assert starts.is_date and starts.value == datetime(YEAR, 3, 10, 17, 0)
    registered = read_xlsx(planner.export("registrations", "xlsx", event_id=world["lima"].id)[0]).worksheets[0]
    headings = [c.value for c in registered[1]]
    cell = registered.cell(row=2, column=headings.index("Registered") + 1)
    assert cell.is_date and cell.value == datetime(2026, 10, 20, 7, 0)
    assert registered.column_dimensions["C"].width >= len(HOSTILE_NAME)  # widths fit the longest value


def test_registrations_carry_status_waiting_place_walk_ins_check_ins_and_emails(planner, world):
    frame = planner.registrations_table(event_id=world["lima"].id).set_index("Name")
    assert frame.loc[HOSTILE_NAME, "Status"] == "Confirmed" and frame.loc[HOSTILE_NAME, "Door"] == HOSTILE_DOOR
    assert frame.loc[HOSTILE_NAME, "Email"] == "ana@example.org"
    assert frame.loc[ACCENTED, "Status"] == "Waiting list" and frame.loc[ACCENTED, "Place on the waiting list"] == 1
    assert frame.loc["Cy Waits", "Place on the waiting list"] == 2
    assert pd.isna(frame.loc[HOSTILE_NAME, "Place on the waiting list"])
    assert frame.loc["Walker Ríos", "Walk-in"] == "yes" and frame.loc[HOSTILE_NAME, "Walk-in"] == ""
    assert "Nia York" not in frame.index and "Far Away" not in frame.index
    everything = planner.registrations_table()
    assert {"Nia York", "Far Away"} <= set(everything["Name"])
    summit = planner.registrations_table(summit_id=world["summit"].id)
    assert "Far Away" not in set(summit["Name"])


def test_the_check_in_log_has_every_scan_with_its_verdict_and_door(planner, world):
    log = planner.checkin_log_table(event_id=world["lima"].id)
    assert list(log["Verdict"]) == ["Checked in", "Not a valid ticket", "Walk-in"]
    assert set(log["Door"]) == {HOSTILE_DOOR}
    assert list(log["Guest"]) == [HOSTILE_NAME, "", "Walker Ríos"]
    assert log["Scanned"].iloc[0] == datetime(2026, 10, 20, 7, 30)


def test_attendance_is_counted_per_event(planner, world):
    table = planner.attendance_table(summit_id=world["summit"].id).set_index("Event")
    lima = table.loc[HOSTILE_TITLE]
    assert lima["Capacity"] == 1 and lima["Confirmed (registered ahead)"] == 1 and lima["Walk-ins"] == 1
    assert lima["Checked in (all)"] == 2 and lima["Registered but did not come"] == 0
    assert lima["Waiting list"] == 2 and lima["Scans"] == 3 and lima["Scans refused"] == 1
    assert lima["Share of registered who came (%)"] == 100.0
    assert table.loc["Cumbre — sesión en Nueva York", "Checked in (all)"] == 1
    assert "Elsewhere" not in table.index


def test_headings_and_labels_follow_the_language(planner, world):
    with using("en-XA"):
        frame = planner.registrations_table(event_id=world["lima"].id)
        data, _, _ = planner.export("all", "xlsx", event_id=world["lima"].id)
    assert all(str(c).startswith("⟦") for c in frame.columns)
    assert set(frame["⟦Status⟧"]) == {"⟦Confirmed⟧", "⟦Waiting list⟧"}
    assert all(name.startswith("⟦") for name in openpyxl.load_workbook(io.BytesIO(data)).sheetnames)


def test_each_export_of_personal_data_writes_one_audit_entry(planner, world):
    organizer = of_user(planner.add_user(email="org@example.org", name="Org", password="long enough pw"))
    before = len(planner.audit_log(action="export"))
    planner.export("registrations", "csv", event_id=world["lima"].id, actor=organizer)
    planner.export("checkins", "xlsx", summit_id=world["summit"].id, actor=organizer)
    planner.export("all", "xlsx", actor=organizer)
    planner.export("attendance", "xlsx", actor=organizer)  # counts and the programme name nobody: no entry
    planner.export("programme", "csv", actor=organizer)
    planner.registrations_table(actor=organizer)  # a script's export of personal data: audited too
    planner.attendance_table(actor=organizer)  # counts: no entry
    entries = planner.audit_log(action="export")[: len(planner.audit_log(action="export")) - before]
    assert [(e.subject, e.details["format"]) for e in reversed(entries)] == [
        ("registrations", "csv"), ("checkins", "xlsx"), ("all", "xlsx"), ("registrations", "dataframe")]
    registrations, checkins, everything, _frame = reversed(entries)
    assert registrations.event_id == world["lima"].id and registrations.details["rows"] == 4
    assert registrations.actor_user_id == organizer.user.id
    assert checkins.details["summit_id"] == world["summit"].id and checkins.details["rows"] == 4
    assert everything.event_id is None and everything.details["tables"] == {"registrations": 6, "checkins": 4}
    assert everything.details["rows"] == 10
    assert not any("ana@example.org" in str(e.details) or HOSTILE_NAME in str(e.details) for e in entries)


@pytest.mark.parametrize("who", ["door", "public"])
def test_door_passes_and_the_public_get_no_export(planner, world, assert_refused, who):
    actor = of_door(planner.create_door_pass(world["lima"].id, "North door")) if who == "door" else PUBLIC
    calls = [lambda m=m: getattr(planner, m)(event_id=world["lima"].id, actor=actor) for m in METHODS]
    calls += [lambda k=k, f=f: planner.export(k, f, event_id=world["lima"].id, actor=actor)
              for k in KINDS for f in ("csv", "xlsx")]
    calls.append(lambda: planner.export("all", "xlsx", actor=actor))
    for call in calls:
        assert_refused(call, exc=PermissionDenied)
    if who == "door":  # its one export is still there
        assert "Zoë Ñandú" in planner.door_list_csv(world["lima"].id, actor=actor).decode("utf-8-sig")


def test_bad_requests_are_refused_and_write_nothing(planner, world, assert_refused):
    error = assert_refused(lambda: planner.export("registrations", "csv", event_id=world["lima"].id,
                                                  summit_id=world["summit"].id), field="scope")
    assert error.code == "export_scope"
    assert assert_refused(lambda: planner.export("all", "csv"), field="format").code == "export_all_csv"
    assert assert_refused(lambda: planner.export("guests", "csv"), field="kind").code == "not_a_choice"
    assert assert_refused(lambda: planner.export("programme", "pdf"), field="format").code == "not_a_choice"
    assert_refused(lambda: planner.export("registrations", "csv", event_id=99999), exc=NotFound)
    assert_refused(lambda: planner.registrations_table(summit_id=99999), exc=NotFound)
    assert_refused(lambda: planner.attendance_table(event_id=world["lima"].id, summit_id=1), exc=ValidationError)


def test_an_empty_scope_still_has_its_headings(planner, summit):
    for method in METHODS:
        frame = getattr(planner, method)(summit_id=summit.id)
        assert len(frame) == 0 and len(frame.columns) > 3, method
    data = read_csv(planner.export("registrations", "csv", summit_id=summit.id)[0])
    assert list(data.columns)[:3] == ["Event", "Time zone", "Name"] and data.empty
    assert read_xlsx(planner.export("checkins", "xlsx")[0]).worksheets[0].max_row == 1
