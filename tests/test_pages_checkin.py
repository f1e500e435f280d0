"""AppTest for the door page: door passes, camera scans, typed codes, name search, walk-ins."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.test_pages import app, dialogue, no_exception, planner, signed_in, texts  # noqa: F401


def verdict(at) -> str:
    """The verdict block's text ('' when none is shown)."""
    blocks = [h.proto.body for h in at.get("html") if "door-verdict" in h.proto.body]
    return blocks[0] if blocks else ""


def photo_of(png: bytes) -> bytes:
    """The ticket as a phone would see it: small in a 1280×960 JPEG."""
    frame = Image.new("RGB", (1280, 960), (200, 190, 170))
    ticket = Image.open(io.BytesIO(png)).convert("RGB").resize((420, 420))
    frame.paste(ticket, (430, 270))
    out = io.BytesIO()
    frame.save(out, format="JPEG", quality=80)
    return out.getvalue()


@pytest.fixture
def door(planner):
    """A door pass for the demo dialogue, with three registered guests."""
    event = dialogue(planner)
    guests = [
        planner.register(event.id, name=name, email=f"g{i}@example.org", organization=org)
        for i, (name, org) in enumerate([("Ana Pérez", "Red Migrante"), ("Luis Quispe", "CELS"), ("Yanira Chacón-López", "NALACC")])
    ]
    door_pass = planner.create_door_pass(event.id, "North door")
    return event, guests, door_pass


def open_door(door_pass, **params):
    at = app()
    at.query_params["pass"] = door_pass.url.split("pass=")[1]
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("checkin.py").run()
    return at


def test_a_door_pass_opens_its_events_check_in_page(planner, door):
    event, guests, door_pass = door
    at = open_door(door_pass)
    no_exception(at)
    page = texts(at)
    assert event.title in page and "North door" in page
    assert "3 expected (0 walk-ins)" in page


def test_camera_scan_lets_a_guest_in_once(planner, door):
    event, guests, door_pass = door
    png = planner.ticket_qr_png(guests[0].manage_token)
    at = open_door(door_pass)
    at.camera_input[0].upload("ticket.jpg", photo_of(png), "image/jpeg").run()
    no_exception(at)
    assert "Welcome, Ana Pérez" in verdict(at) and "Red Migrante" in verdict(at)
    assert planner.attendance(event.id).checked_in == 1
    at.camera_input[0].upload("ticket.jpg", photo_of(png), "image/jpeg").run()
    assert "Already checked in" in verdict(at) and "North door" in verdict(at)
    assert planner.attendance(event.id).checked_in == 1


def test_a_photo_without_a_code_asks_to_try_again(planner, door):
    event, guests, door_pass = door
    blank = io.BytesIO()
    Image.new("RGB", (1280, 960), (90, 90, 90)).save(blank, format="JPEG")
    at = open_door(door_pass)
    at.camera_input[0].upload("nothing.jpg", blank.getvalue(), "image/jpeg").run()
    assert "No code found" in verdict(at)


def test_typed_code_with_spaces_and_lower_case(planner, door):
    event, guests, door_pass = door
    at = open_door(door_pass)
    at.text_input(key="door_typed").input(guests[1].ticket_code.lower().replace("-", " ")).run()
    no_exception(at)
    assert "Welcome, Luis Quispe" in verdict(at)
    at.text_input(key="door_typed").input("NOT-A-CODE").run()
    assert "Invalid code" in verdict(at)


def test_find_a_guest_by_name_and_check_in_with_one_tap(planner, door):
    event, guests, door_pass = door
    at = open_door(door_pass)
    at.text_input(key="door_query").input("chacon").run()
    assert "Yanira Chacón-López" in texts(at)
    assert "g2@example.org" not in texts(at)  # the door never sees emails
    at.button(key=f"door_guest_{guests[2].id}").click().run()
    no_exception(at)
    assert "Welcome, Yanira Chacón-López" in verdict(at)
    at.button(key="door_undo").click().run()
    assert "Check-in undone" in verdict(at)
    assert planner.attendance(event.id).checked_in == 0


def test_walk_ins_fill_the_room_and_need_a_yes_when_it_is_full(planner, door):
    event, guests, door_pass = door
    planner.update_event(event.id, version=planner.get_event(event.id).version, capacity=4)
    at = open_door(door_pass)
    at.text_input(key="walk_name").input("Walk In One")
    at.button(key="walk_go").click().run()
    assert "Welcome, Walk In One" in verdict(at)
    at.text_input(key="walk_name").input("Walk In Two")
    at.button(key="walk_go").click().run()
    no_exception(at)
    assert "The room is full" in texts(at)
    at.checkbox(key="walk_force").check()
    at.button(key="walk_go").click().run()
    assert "Welcome, Walk In Two" in verdict(at)
    a = planner.attendance(event.id)
    assert (a.walk_ins, a.checked_in) == (2, 2)


def test_a_revoked_pass_stops_at_the_next_action(planner, door):
    event, guests, door_pass = door
    at = open_door(door_pass)
    planner.revoke_door_pass(door_pass.id)
    at.text_input(key="door_typed").input(guests[0].ticket_code).run()
    assert "no longer valid" in texts(at)
    assert not at.text_input  # the door tools are gone
    assert planner.attendance(event.id).checked_in == 0


def test_arriving_from_the_camera_url_with_a_pass_checks_in_at_once(planner, door):
    event, guests, door_pass = door
    at = open_door(door_pass, code=guests[0].checkin_code)
    no_exception(at)
    assert "Welcome, Ana Pérez" in verdict(at)


def test_without_a_pass_a_ticket_url_reveals_nothing(planner, door):
    event, guests, door_pass = door
    at = app()
    at.query_params["code"] = guests[0].checkin_code
    at.run()
    at.switch_page("checkin.py").run()
    no_exception(at)
    page = texts(at)
    assert "Show this code to the volunteer" in page
    assert "Ana" not in page and event.title not in page and not verdict(at)
    assert planner.attendance(event.id).checked_in == 0


def test_a_pass_for_one_event_rejects_another_events_tickets(planner, door):
    event, guests, door_pass = door
    other = next(e for e in planner.list_events() if e.status == "published" and e.id != event.id and e.capacity)
    stranger = planner.register(other.id, name="Other Guest", email="other@example.org")
    at = open_door(door_pass, code=stranger.checkin_code)
    assert "Wrong event" in verdict(at) and other.title[:20] in verdict(at)
    assert planner.attendance(other.id).checked_in == 0


def test_organizers_choose_the_event_at_the_door(planner, door):
    event, guests, door_pass = door
    at = signed_in(planner).run()
    at.switch_page("checkin.py").run()
    no_exception(at)
    at.selectbox(key="door_event").set_value(event.id).run()
    at.text_input(key="door_typed").input(guests[0].ticket_code).run()
    assert "Welcome, Ana Pérez" in verdict(at)
