"""AppTest for the Import page: upload → preview → confirm → result, and a broken file shows a
sentence, never an exception."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.pages.apptest import no_exception, signed_in, texts


def import_page(app_planner, role="organizer"):
    at = signed_in(app_planner, role)
    at.run()
    return at.switch_page("imports.py").run()


def open_event(app_planner):
    now = datetime.now(UTC)
    return next(e for e in app_planner.list_events(status="published") if e.ends_at > now)


def upload(at, kind, name, data, mime="text/csv"):
    at.file_uploader(key=f"imp_file_{kind}").upload(name, data, mime).run()
    return at


def guests_page(app_planner, event):
    at = import_page(app_planner)
    at.radio(key="imp_kind").set_value("guests").run()
    at.selectbox(key="imp_event").set_value(event.id).run()
    return at


def test_a_guest_list_is_previewed_then_imported_with_a_result_sentence(app_planner):
    event = open_event(app_planner)
    before = len(app_planner.registrations(event.id))
    data = b"Name;Email;Organization\nNora Quispe;nora@example.org;Red\nBad Row;not-an-email;\nNora again;NORA@example.org;\n"
    at = upload(guests_page(app_planner, event), "guests", "guests.csv", data)
    no_exception(at)
    page = texts(at)
    assert [m.value for m in at.metric] == ["1", "1", "1"], page
    refused = at.dataframe[0].value
    assert list(refused.iloc[:, 0]) == [3] and "email" in refused.iloc[0, 1].lower()
    assert len(app_planner.registrations(event.id)) == before  # the preview wrote nothing
    at.checkbox(key="imp_send").check()
    at.button(key="imp_go").click().run()
    no_exception(at)
    assert "Registered 1 guest" in texts(at) and "outbox" in texts(at)
    assert len(app_planner.registrations(event.id)) == before + 1
    assert any(m.recipient == "nora@example.org" for m in app_planner.outbox(event_id=event.id))


def test_events_are_imported_as_drafts(app_planner):
    summit = app_planner.list_summits()[0]
    day = (datetime.now(UTC) + timedelta(days=90)).strftime("%d/%m/%Y")
    data = f"Title,Date,Start,End,Summit,Online link\nImported briefing,{day},09:00,10:00,{summit.name},https://example.org/b\n"
    at = upload(import_page(app_planner), "events", "events.csv", data.encode("cp1252"))
    no_exception(at)
    at.button(key="imp_go").click().run()
    no_exception(at)
    assert "Imported 1 event as a draft" in texts(at)
    assert any(e.title == "Imported briefing" and e.status == "draft" for e in app_planner.list_events())


def test_a_broken_file_shows_a_sentence_and_no_exception(app_planner):
    at = upload(import_page(app_planner), "events", "photo.xlsx", b"PK\x03\x04garbage", "application/octet-stream")
    no_exception(at)
    assert "cannot be read as a table" in texts(at)
    at = upload(import_page(app_planner), "events", "empty.csv", b"")
    no_exception(at)
    assert "The file is empty" in texts(at)
    at = upload(import_page(app_planner), "events", "x.csv", b"Title;Where\nA;B\n")
    no_exception(at)
    assert "no column for" in texts(at)
