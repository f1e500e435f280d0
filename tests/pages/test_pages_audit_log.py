"""The admins' audit log page (issue #11): entries in words, the filters, the downloads, and
nobody else reaching it."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from planner.access import of_user
from tests.pages.apptest import app, no_exception, signed_in


def admin(app_planner):
    return next(u for u in app_planner.list_users() if u.email == "admin@example.org")


@pytest.fixture
def logged(app_planner):
    """A few entries: an organizer edits an event and cancels a guest's registration, a wrong
    sign-in, and an admin adds an account."""
    olga = app_planner.add_user(email="org@example.org", name="Olga Organizer", password="another-long-pass")
    as_olga = of_user(olga)
    event = next(e for e in app_planner.list_events() if e.status == "published" and not app_planner.event_counts(e.id).is_full)
    app_planner.update_event(event.id, version=event.version, title="Renamed by Olga", allow_past=True, actor=as_olga)
    guest = app_planner.register(event.id, name="Zoë Secret", email="zoe.secret@example.org")
    app_planner.cancel_registration_for(guest.id, actor=as_olga)
    app_planner.authenticate("nobody@example.org", "a wrong password")
    app_planner.add_user(email="new@example.org", name="New Organizer", password="new-long-password",
                         actor=of_user(admin(app_planner)))
    return {"event": app_planner.get_event(event.id), "old_title": event.title, "guest": guest, "olga": olga}


def log_page(app_planner):
    at = signed_in(app_planner).run()
    at.switch_page("audit_log.py").run()
    no_exception(at)
    return at


def shown(at) -> pd.DataFrame:
    return at.dataframe[0].value


def test_the_admin_sees_entries_in_words_newest_first(app_planner, logged):
    table = shown(log_page(app_planner))
    actions = table["Action"].tolist()
    assert actions[:4] == ["Account added", "Failed sign-in", "Registration cancelled by an organizer", "Event edited"]
    edit = table[table["Action"] == "Event edited"].iloc[0]
    assert edit["Who"] == "Olga Organizer <org@example.org>"
    assert edit["Event"] == "Renamed by Olga"
    assert edit["Details"] == f"Title: {logged['old_title']} → Renamed by Olga"
    cancelled = table[table["Action"] == "Registration cancelled by an organizer"].iloc[0]
    assert cancelled["What"] == f"Registration {logged['guest'].id}"
    assert "Status before: Confirmed" in cancelled["Details"]
    failed = table[table["Action"] == "Failed sign-in"].iloc[0]
    assert (failed["Who"], failed["What"]) == ("Someone not signed in", "nobody@example.org")
    assert "Zoë" not in table.to_csv() and "zoe.secret" not in table.to_csv()
    assert not [b for b in log_page(app_planner).button if "delete" in b.label.lower() or "edit" in b.label.lower()]


def test_the_filters_narrow_the_log(app_planner, logged):
    at = log_page(app_planner)
    at.selectbox(key="al_action").set_value("event_edited").run()
    assert shown(at)["Action"].tolist() == ["Event edited"]
    at.selectbox(key="al_action").set_value("").run()
    at.selectbox(key="al_user").set_value(logged["olga"].id).run()
    assert set(shown(at)["Action"]) == {"Event edited", "Registration cancelled by an organizer"}
    at.selectbox(key="al_user").set_value(0).run()
    at.selectbox(key="al_event").set_value(logged["event"].id).run()
    assert set(shown(at)["Event"]) == {"Renamed by Olga"}
    tomorrow = pd.Timestamp.now(tz="UTC").date() + pd.Timedelta(days=1)
    at.date_input(key="al_from").set_value(tomorrow).run()
    no_exception(at)
    assert not at.dataframe and "No entries match these filters." in [i.value for i in at.info]


def test_show_more_shows_older_entries(app_planner, logged):
    from planner.ui.audit_log import PAGE

    total = len(app_planner.audit_log())
    at = log_page(app_planner)
    assert len(shown(at)) == min(total, PAGE)
    at.session_state["al_limit"] = 2  # as if the log were long
    at.run()
    assert len(shown(at)) == 2
    at.button(key="al_more").click().run()
    assert len(shown(at)) == min(total, 2 + PAGE)


def test_organizers_and_visitors_cannot_reach_it(app_planner, logged):
    at = signed_in(app_planner, role="organizer").run()
    with pytest.raises(ValueError):
        at.switch_page("audit_log.py")
    at = app().run()
    with pytest.raises(ValueError):
        at.switch_page("audit_log.py")




def test_the_downloads_hold_the_filtered_log_and_parse(app_planner, logged, handed):
    at = log_page(app_planner)
    at.selectbox(key="al_user").set_value(logged["olga"].id).run()
    csv, csv_name = handed["al_download_csv"]
    xlsx, xlsx_name = handed["al_download_xlsx"]
    assert (csv_name, xlsx_name) == ("audit-log.csv", "audit-log.xlsx")
    from_csv = pd.read_csv(io.BytesIO(csv()), encoding="utf-8-sig")
    from_xlsx = pd.read_excel(io.BytesIO(xlsx()))
    for table in (from_csv, from_xlsx):
        assert set(table["Action"]) == {"Event edited", "Registration cancelled by an organizer"}
        assert list(table.columns) == ["Time (UTC)", "Who", "Action", "Event", "What", "Details"]
    assert pd.api.types.is_datetime64_any_dtype(from_xlsx["Time (UTC)"])


def test_a_download_after_signing_out_holds_no_entries(app_planner, logged, handed):
    at = log_page(app_planner)
    csv, _ = handed["al_download_csv"]
    app_planner.end_session(at.session_state["session_token"])
    text = csv().decode("utf-8-sig")
    assert "Olga" not in text and "only" in text.lower()
