"""Issue #12 on the pages: the "Still coming?" link asks with two buttons and answers once, an
unknown link says so; the event editor suggests overbooking from the no-show history and saves
the settings; the reports show the no-show rates (AppTest)."""

from __future__ import annotations

from datetime import timedelta

import pytest

import planner.clock
from planner.areas import ticket_codes
from tests.pages.apptest import app, dialogue, no_exception, seen, signed_in


def still_coming(token, answer="yes"):
    at = app()
    at.query_params["t"] = token
    at.query_params["a"] = answer
    at.run()
    at.switch_page("still_coming.py").run()
    no_exception(at)
    return at


@pytest.fixture
def asked(app_planner, monkeypatch):
    """Two guests of the demo's dialogue, asked "Still coming?" (the clock a day before its start)."""
    event = dialogue(app_planner)
    app_planner.set_reconfirmation(event.id, enabled=True, release_unanswered=False, overbooking=0)
    guests = [app_planner.register(event.id, name=n, email=f"{n.lower()}@example.org") for n in ("Ana", "Bo")]
    now = event.starts_at - timedelta(hours=23)
    monkeypatch.setattr(planner.clock, "now", lambda: now)
    with app_planner._db.write() as db:
        app_planner._reconfirm_pass(db)
    return event, [ticket_codes.reconfirm_token(app_planner._checkin_key, g.id) for g in guests], guests


def test_the_link_asks_first_and_the_button_answers_once(app_planner, asked):
    event, (ana, bo), guests = asked
    at = still_coming(ana, "no")
    assert "Still coming?" in seen(at) and event.title in seen(at)
    assert app_planner.registration(guests[0].manage_token).status == "confirmed"  # opening changed nothing
    assert at.button(key="still_coming_no").proto.type == "primary"
    at.button(key="still_coming_no").click().run()
    no_exception(at)
    assert "You told us you cannot come" in seen(at)
    assert app_planner.registration(guests[0].manage_token).status == "cancelled"
    again = still_coming(ana, "yes")  # used: the answer given, no buttons
    assert "You told us you cannot come" in seen(again) and not again.button
    at = still_coming(bo, "yes")
    at.button(key="still_coming_yes").click().run()
    assert "You told us you are coming" in seen(at)
    assert app_planner.registration(guests[1].manage_token).status == "confirmed"


@pytest.mark.parametrize("token", ["unknown-token-00000000000000000000000", "", "x"])
def test_an_unknown_link_says_so_and_changes_nothing(app_planner, asked, token):
    at = still_coming(token)
    assert "This link is not valid" in seen(at) and not at.button


def _history(app_planner, monkeypatch):
    """25 confirmed guests of the dialogue, 15 checked in, and the clock a day after it ended."""
    event = dialogue(app_planner)
    app_planner.update_event(event.id, version=event.version, capacity=100)
    guests = [app_planner.register(event.id, name=f"G{n}", email=f"g{n}@example.org") for n in range(25)]
    for g in guests[:15]:
        app_planner.check_in(g.checkin_code, event.id)
    later = event.ends_at + timedelta(days=1)
    monkeypatch.setattr(planner.clock, "now", lambda: later)
    return event


def test_the_editor_suggests_overbooking_from_the_history_and_saves_the_settings(app_planner, monkeypatch):
    _history(app_planner, monkeypatch)
    expected = app_planner.suggested_overbooking(100)
    assert expected.enough and expected.places > 0
    at = signed_in(app_planner)
    at.run()
    at.switch_page("edit_event.py").run()  # a new event
    no_exception(at)
    at.checkbox(key="ev_capacity_default").uncheck().run()
    at.number_input(key="ev_capacity").set_value(100).run()
    tips = [i.value for i in at.info if "Suggested" in i.value]
    assert tips and f"offer {expected.places} places beyond the capacity of 100" in tips[0]
    at.checkbox(key="rc_enabled").check().run()
    at.checkbox(key="rc_release").check().run()
    at.number_input(key="rc_overbooking").set_value(expected.places).run()
    at.text_input(key="ev_title").input("Overbooked dialogue").run()
    at.button(key="ev_save").click().run()
    no_exception(at)
    made = next(e for e in app_planner.list_events() if e.title == "Overbooked dialogue")
    settings = app_planner.reconfirmation_settings(made.id)
    assert (settings.enabled, settings.release_unanswered, settings.overbooking) == (True, True, expected.places)


def test_the_reports_show_the_no_show_rates(app_planner, monkeypatch):
    event = _history(app_planner, monkeypatch)
    rates = app_planner.no_show_rates()
    at = signed_in(app_planner)
    at.run()
    at.switch_page("reports.py").run()
    no_exception(at)
    metrics = {m.label: m.value for m in at.metric}
    assert "No-show rate: All events (the whole coalition)" in metrics
    assert metrics["No-show rate: All events (the whole coalition)"].rstrip("%").strip() == str(round(rates.rate * 100))
    table = at.dataframe[-1].value
    assert event.title in list(table["Event"])
