"""AppTest for the security list (issue #12): the venue's rule editor, the event's deadline panel
on the registrations page with its one-click list, and the door's amber verdict."""

from __future__ import annotations

import io

import openpyxl

from tests.pages.apptest import dialogue, no_exception, signed_in, texts
from tests.pages.test_pages_checkin import open_door, verdict




def registrations_page(app_planner, event_id):
    at = signed_in(app_planner)
    at.query_params["id"] = str(event_id)
    at.run()
    return at.switch_page("registrations.py").run()


def test_the_venue_rule_editor_saves_a_rule_events_inherit(app_planner):
    event = dialogue(app_planner)
    venue = event.venue
    at = signed_in(app_planner).run()
    at.switch_page("venues.py").run()
    no_exception(at)
    at.radio(key=f"gl_kind_venue_{venue.id}").set_value("working_days")
    at.number_input(key=f"gl_count_venue_{venue.id}").set_value(3)
    at.text_input(key=f"gl_sponsor_venue_{venue.id}").input("Permanent Mission of Argentina")
    at.multiselect(key=f"gl_columns_venue_{venue.id}").set_value(["given_names", "family_name", "organization"])
    at.button(key=f"FormSubmitter:gl_venue_{venue.id}-Save the security list rule").click().run()
    no_exception(at)
    assert "Saved the security list rule." in texts(at)
    rule = app_planner.guest_list_rule(event.id)
    assert (rule.source, rule.working_days, rule.sponsor) == ("venue", 3, "Permanent Mission of Argentina")
    assert rule.columns == ("given_names", "family_name", "organization")


def test_the_registrations_page_shows_the_deadline_and_makes_the_list_in_one_click(app_planner, handed):
    event = dialogue(app_planner)
    app_planner.set_guest_list_rule(venue_id=event.venue.id, hours=48, sponsor="Permanent Mission of Argentina")
    for i, name in enumerate(["Ana Pérez", "Luis Quispe"]):
        app_planner.register(event.id, name=name, email=f"g{i}@example.org")
    at = registrations_page(app_planner, event.id)
    no_exception(at)
    page = texts(at)
    assert "Security list due 48 hours before the start, submitted by Permanent Mission of Argentina." in page
    assert "The list is due" in page and "(New York time)" in page  # the zone named for people
    assert "2 confirmed guests have not given their names as on their ID" in page
    assert not app_planner.security_lists(event.id)  # nothing made by opening the page
    at.button(key=f"gl_make_{event.id}").click().run()
    no_exception(at)
    assert len(app_planner.security_lists(event.id)) == 1  # made and recorded by the one click
    assert "Last list made" in texts(at)  # the panel says so at once
    data, name = handed[f"gl_download_{event.id}"]
    assert name.startswith(f"security-list-{event.id}-") and name.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert [r[1] for r in sheet.iter_rows(values_only=True)][1:] == ["PÉREZ", "QUISPE"]
    app_planner.register(event.id, name="Late Comer", email="late@example.org")
    at = registrations_page(app_planner, event.id)
    assert "Not on the list sent at" in texts(at) and "Late Comer" in texts(at)


def test_the_door_shows_amber_for_a_guest_not_on_the_list_and_lets_them_in_anyway(app_planner):
    event = dialogue(app_planner)
    app_planner.set_guest_list_rule(venue_id=event.venue.id, hours=48)
    app_planner.register(event.id, name="Ana Pérez", email="ana@example.org")
    app_planner.make_security_list(event.id)
    late = app_planner.register(event.id, name="Late Comer", email="late@example.org", organization="CELS")
    door_pass = app_planner.create_door_pass(event.id, "North door")
    at = open_door(door_pass, code=late.checkin_code)
    no_exception(at)
    shown = verdict(at)
    assert "data-verdict='amber'" in shown
    assert "Not on the security list sent to the host — check with the host's desk" in shown and "Late Comer" in shown
    assert app_planner.attendance(event.id).checked_in == 0
    at.button(key="door_anyway_go").click().run()
    no_exception(at)
    assert "data-verdict='green'" in verdict(at) and "Welcome, Late Comer" in verdict(at)
    assert app_planner.attendance(event.id).checked_in == 1
    assert [s.verdict for s in app_planner.scans(event.id)][:2] == ["let_in_anyway", "not_on_security_list"]
