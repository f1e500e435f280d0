"""AppTest for the organizers' Exports page: what it offers, for which scope, and to whom.

AppTest cannot read a download's bytes, so the data each button was handed is caught as the
page hands it (a callable, made when pressed) and called here, as Streamlit would call it."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
import streamlit as st

from tests.pages.apptest import app, dialogue, no_exception, signed_in, texts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spy_on_downloads(monkeypatch) -> dict:
    handed = {}
    real = st.download_button

    def spy(label, data=None, **kwargs):
        handed[kwargs.get("key")] = (label, data, kwargs.get("file_name"), kwargs.get("mime"))
        return real(label, data=data, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    return handed


def exports_page(app_planner, role="organizer", **query):
    at = signed_in(app_planner, role)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page("exports.py").run()


def test_the_page_offers_each_export_as_csv_and_xlsx(app_planner, monkeypatch):
    handed = spy_on_downloads(monkeypatch)
    at = exports_page(app_planner)
    no_exception(at)
    page = texts(at)
    assert "Exports" in page and "recorded in the audit log" in page
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("Download CSV") == 5 and labels.count("Download XLSX") == 6  # issue #12: the list to share
    assert "Participants list to share" in page
    for kind in ("registrations", "checkins", "attendance", "programme", "participants"):
        assert handed[f"x_{kind}_csv"][3] == "text/csv" and handed[f"x_{kind}_xlsx"][3] == XLSX
    assert "x_all_csv" not in handed  # a CSV holds one table
    at.radio(key="x_scope").set_value("all").run()
    assert handed["x_all_xlsx"][2] == "export-all.xlsx" and handed["x_programme_csv"][2] == "programme-all.csv"


def test_one_events_registrations_download_from_the_registrations_link(app_planner, monkeypatch):
    event = dialogue(app_planner)
    app_planner.register(event.id, name="=HYPERLINK(\"http://evil.example\")", email="ana@example.org",
                         organization="Coalición")
    handed = spy_on_downloads(monkeypatch)
    at = exports_page(app_planner, id=str(event.id))  # as the registrations page links here
    no_exception(at)
    assert at.radio(key="x_scope").value == "event" and at.selectbox(key="x_event").value == event.id
    label, data, name, mime = handed["x_registrations_csv"]
    assert name == f"registrations-event-{event.id}.csv"
    frame = pd.read_csv(io.BytesIO(data()), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame["Name"]) == ["'=HYPERLINK(\"http://evil.example\")"] and list(frame["Organization"]) == ["Coalición"]
    book = openpyxl.load_workbook(io.BytesIO(handed["x_all_xlsx"][1]()))
    assert book.sheetnames == ["Registrations", "Check-in log", "Attendance", "Programme"]
    assert app_planner.audit_log(action="export")[0].subject == "all"  # pressed: recorded


def test_a_summit_scope_names_its_files_after_the_summit(app_planner, monkeypatch):
    handed = spy_on_downloads(monkeypatch)
    at = exports_page(app_planner)
    at.radio(key="x_scope").set_value("summit").run()
    no_exception(at)
    summit_id = at.selectbox(key="x_summit").value
    assert handed["x_programme_xlsx"][2] == f"programme-summit-{summit_id}.xlsx"
    programme = pd.read_excel(io.BytesIO(handed["x_programme_xlsx"][1]()))
    assert len(programme) == len(app_planner.list_events(summit_id=summit_id))


def test_a_page_left_open_after_signing_out_hands_out_nothing(app_planner, monkeypatch):
    event = dialogue(app_planner)
    app_planner.register(event.id, name="Ana Pérez", email="ana@example.org")
    handed = spy_on_downloads(monkeypatch)
    at = exports_page(app_planner, id=str(event.id))
    app_planner.end_session(at.session_state["session_token"])
    text = handed["x_registrations_csv"][1]().decode("utf-8-sig")
    assert "Only signed-in organizers" in text and "Ana" not in text
    book = openpyxl.load_workbook(io.BytesIO(handed["x_registrations_xlsx"][1]()))
    assert "ana@example.org" not in str([c.value for row in book.worksheets[0].iter_rows() for c in row])


def test_the_registrations_page_links_to_the_exports(app_planner):
    event = dialogue(app_planner)
    at = signed_in(app_planner)
    at.query_params["id"] = str(event.id)
    at.run()
    at.switch_page("registrations.py").run()
    no_exception(at)
    (link,) = [link for link in at.get("page_link") if "spreadsheet" in link.proto.label]
    assert link.proto.page == "exports" and link.proto.query_string == f"id={event.id}"


def _pages(at) -> list[str]:
    return [str(info.get("script_path", "")) for info in at._registered_pages.values()]


def test_anonymous_visitors_and_door_passes_cannot_reach_the_exports(app_planner):
    at = app()
    at.run()
    assert _pages(at) and not [page for page in _pages(at) if page.endswith("exports.py")]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("exports.py")
    event = next(e for e in app_planner.list_events() if e.status == "published" and e.has_door)
    door_pass = app_planner.create_door_pass(event.id, "North door")
    at = app(**{"pass": door_pass.url.split("pass=")[1]})
    at.run()
    at.switch_page("checkin.py").run()
    no_exception(at)
    assert not [page for page in _pages(at) if page.endswith("exports.py")]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("exports.py")
