"""AppTest for the door page: door passes, camera scans, typed codes, name search, walk-ins."""

from __future__ import annotations

import html
import io

import pytest
import streamlit as st
from PIL import Image
from streamlit.testing.v1 import AppTest

from planner.ui.checkin import door_list_file
from planner.ui.components.markdown import escape_md
from tests.conftest import table_rows
from tests.pages.apptest import app, dialogue, no_exception, seen, signed_in, texts


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
def door(app_planner):
    """A door pass for the demo dialogue, with three registered guests."""
    event = dialogue(app_planner)
    guests = [
        app_planner.register(event.id, name=name, email=f"g{i}@example.org", organization=org)
        for i, (name, org) in enumerate([("Ana Pérez", "Red Migrante"), ("Luis Quispe", "CELS"), ("Yanira Chacón-López", "NALACC")])
    ]
    door_pass = app_planner.create_door_pass(event.id, "North door")
    return event, guests, door_pass


def open_door(door_pass, **params):
    at = app()
    at.query_params["pass"] = door_pass.url.split("pass=")[1]
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("checkin.py").run()
    return at


def test_a_door_pass_opens_its_events_check_in_page(app_planner, door):
    event, guests, door_pass = door
    at = open_door(door_pass)
    no_exception(at)
    page = texts(at)
    assert event.title in page and "North door" in page
    assert "3 expected (0 walk-ins)" in page


def test_camera_scan_lets_a_guest_in_once(app_planner, door):
    event, guests, door_pass = door
    png = app_planner.ticket_qr_png(guests[0].manage_token)
    at = open_door(door_pass)
    at.camera_input[0].upload("ticket.jpg", photo_of(png), "image/jpeg").run()
    no_exception(at)
    assert "Welcome, Ana Pérez" in verdict(at) and "Red Migrante" in verdict(at)
    assert app_planner.attendance(event.id).checked_in == 1
    at.camera_input[0].upload("ticket.jpg", photo_of(png), "image/jpeg").run()
    assert "Already checked in" in verdict(at) and "North door" in verdict(at)
    assert app_planner.attendance(event.id).checked_in == 1


def test_a_photo_without_a_code_asks_to_try_again(app_planner, door):
    event, guests, door_pass = door
    blank = io.BytesIO()
    Image.new("RGB", (1280, 960), (90, 90, 90)).save(blank, format="JPEG")
    at = open_door(door_pass)
    at.camera_input[0].upload("nothing.jpg", blank.getvalue(), "image/jpeg").run()
    assert "No code found" in verdict(at)


def test_typed_code_with_spaces_and_lower_case(app_planner, door):
    event, guests, door_pass = door
    at = open_door(door_pass)
    at.text_input(key="door_typed").input(guests[1].ticket_code.lower().replace("-", " ")).run()
    no_exception(at)
    assert "Welcome, Luis Quispe" in verdict(at)
    at.text_input(key="door_typed").input("NOT-A-CODE").run()
    assert "Invalid code" in verdict(at)


def test_find_a_guest_by_name_and_check_in_with_one_tap(app_planner, door):
    event, guests, door_pass = door
    at = open_door(door_pass)
    at.text_input(key="door_query").input("chacon").run()
    assert "Yanira Chacón-López" in seen(at)
    assert "g2@example.org" not in texts(at)  # the door never sees emails
    at.button(key=f"door_guest_{guests[2].id}").click().run()
    no_exception(at)
    assert "Welcome, Yanira Chacón-López" in verdict(at)
    at.button(key="door_undo").click().run()
    assert "Check-in undone" in verdict(at)
    assert app_planner.attendance(event.id).checked_in == 0


def test_walk_ins_fill_the_room_and_need_a_yes_when_it_is_full(app_planner, door):
    event, guests, door_pass = door
    app_planner.update_event(event.id, version=app_planner.get_event(event.id).version, capacity=4)
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
    a = app_planner.attendance(event.id)
    assert (a.walk_ins, a.checked_in) == (2, 2)


def test_a_revoked_pass_stops_at_the_next_action(app_planner, door):
    event, guests, door_pass = door
    at = open_door(door_pass)
    app_planner.revoke_door_pass(door_pass.id)
    at.text_input(key="door_typed").input(guests[0].ticket_code).run()
    assert "no longer valid" in texts(at)
    assert not at.text_input  # the door tools are gone
    assert app_planner.attendance(event.id).checked_in == 0


def test_arriving_from_the_camera_url_with_a_pass_checks_in_at_once(app_planner, door):
    event, guests, door_pass = door
    at = open_door(door_pass, code=guests[0].checkin_code)
    no_exception(at)
    assert "Welcome, Ana Pérez" in verdict(at)


def test_without_a_pass_a_ticket_url_reveals_nothing(app_planner, door):
    event, guests, door_pass = door
    at = app()
    at.query_params["code"] = guests[0].checkin_code
    at.run()
    at.switch_page("checkin.py").run()
    no_exception(at)
    page = texts(at)
    assert "Show this code to the volunteer" in page
    assert "Ana" not in page and event.title not in page and not verdict(at)
    assert app_planner.attendance(event.id).checked_in == 0


def test_a_pass_for_one_event_rejects_another_events_tickets(app_planner, door):
    event, guests, door_pass = door
    other = next(e for e in app_planner.list_events() if e.status == "published" and e.id != event.id and e.capacity)
    stranger = app_planner.register(other.id, name="Other Guest", email="other@example.org")
    at = open_door(door_pass, code=stranger.checkin_code)
    assert "Wrong event" in verdict(at) and other.title[:20] in verdict(at)
    assert app_planner.attendance(other.id).checked_in == 0


def test_organizers_choose_the_event_at_the_door(app_planner, door):
    event, guests, door_pass = door
    at = signed_in(app_planner).run()
    at.switch_page("checkin.py").run()
    no_exception(at)
    at.selectbox(key="door_event").set_value(event.id).run()
    at.text_input(key="door_typed").input(guests[0].ticket_code).run()
    assert "Welcome, Ana Pérez" in verdict(at)


# ---------------------------------------------------------------- the door list download


def secret_of(door_pass) -> str:
    return door_pass.url.split("pass=")[1]


def test_the_door_list_needs_a_valid_pass_for_its_event_or_a_signed_in_organizer(app_planner, door):
    event, guests, door_pass = door
    other = next(e for e in app_planner.list_events() if e.status == "published" and e.id != event.id)
    secret = secret_of(door_pass)
    listed = door_list_file(app_planner, event.id, secret, None).decode("utf-8-sig")
    assert "Ana Pérez" in listed and guests[0].ticket_code in listed
    refused = door_list_file(app_planner, other.id, secret, None).decode("utf-8-sig")  # another event's list
    assert "no longer valid" in refused and "Ana" not in refused
    token = app_planner.start_session(next(u for u in app_planner.list_users() if u.email == "admin@example.org").id)
    assert "Luis Quispe" in door_list_file(app_planner, event.id, None, token).decode("utf-8-sig")
    app_planner.end_session(token)
    app_planner.revoke_door_pass(door_pass.id)
    for body in (door_list_file(app_planner, event.id, secret, None), door_list_file(app_planner, event.id, secret, token)):
        text = body.decode("utf-8-sig")
        assert "This door link is no longer valid" in text
        assert not any(g.name in text or g.ticket_code in text or g.checkin_code in text for g in guests)


def spy_on_downloads(monkeypatch) -> dict:
    """What the page hands st.download_button as data, by key (the callable runs when pressed)."""
    handed = {}
    real = st.download_button

    def spy(label, data=None, **kwargs):
        handed[kwargs.get("key")] = data
        return real(label, data=data, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    return handed


def test_a_pass_revoked_while_the_page_is_open_downloads_no_door_list(app_planner, door, monkeypatch):
    event, guests, door_pass = door
    handed = spy_on_downloads(monkeypatch)
    at = open_door(door_pass)
    no_exception(at)
    data = handed["door_list"]
    assert callable(data) and "Ana Pérez" in data().decode("utf-8-sig")
    app_planner.revoke_door_pass(door_pass.id)  # the page is not rerun: the button is pressed as it is
    text = data().decode("utf-8-sig")  # as Streamlit calls it: another thread, no script context
    assert "This door link is no longer valid" in text
    assert not any(g.name in text or g.ticket_code in text or g.checkin_code in text for g in guests)


def test_a_signed_out_organizer_downloads_no_door_list(app_planner, door, monkeypatch):
    event, guests, door_pass = door
    handed = spy_on_downloads(monkeypatch)
    at = signed_in(app_planner).run()
    at.switch_page("checkin.py").run()
    at.selectbox(key="door_event").set_value(event.id).run()
    data = handed["door_list"]
    assert "Ana Pérez" in data().decode("utf-8-sig")
    app_planner.end_session(at.session_state["session_token"])
    text = data().decode("utf-8-sig")
    assert "no longer valid" in text and "Ana" not in text


# ---------------------------------------------------------------- the headcount


def test_the_headcount_goes_away_for_a_revoked_pass(app_planner, door):
    event, guests, door_pass = door
    at = open_door(door_pass)
    assert "3 expected" in texts(at)
    app_planner.revoke_door_pass(door_pass.id)
    at.run()
    no_exception(at)
    assert "expected" not in texts(at) and "inside" not in texts(at)
    assert "no longer valid" in texts(at)


def counter_alone(event_id):
    """The headcount fragment on its own, as its every-3-seconds rerun runs it."""
    from planner.ui.checkin import _counter

    _counter(event_id)


def test_the_headcount_fragment_checks_the_pass_itself(app_planner, door):
    event, guests, door_pass = door
    at = AppTest.from_function(counter_alone, args=(event.id,), default_timeout=30)
    at.session_state["door_pass_secret"] = secret_of(door_pass)
    at.run()
    no_exception(at)
    assert "3 expected" in texts(at)
    app_planner.revoke_door_pass(door_pass.id)
    at.run()
    no_exception(at)
    page = texts(at)
    assert "expected" not in page and "inside" not in page and not at.get("progress")
    assert "This door link is no longer valid." in page


def test_the_headcount_fragment_stops_for_a_signed_out_organizer(app_planner, door):
    event, guests, door_pass = door
    at = AppTest.from_function(counter_alone, args=(event.id,), default_timeout=30)
    token = app_planner.start_session(next(u for u in app_planner.list_users() if u.email == "admin@example.org").id)
    at.session_state["session_token"] = token
    at.session_state["door_event"] = event.id
    at.run()
    assert "3 expected" in texts(at)
    app_planner.end_session(token)
    at.run()
    no_exception(at)
    assert "expected" not in texts(at) and "signed out" in texts(at)


# ---------------------------------------------------------------- errors in plain words


def test_one_tap_check_in_at_an_event_cancelled_meanwhile_says_so(app_planner, door):
    event, guests, door_pass = door
    at = open_door(door_pass)
    at.text_input(key="door_query").input("quispe").run()
    app_planner.cancel_event(event.id, reason="The room was flooded.")
    at.button(key=f"door_guest_{guests[1].id}").click().run()
    no_exception(at)
    assert "data-verdict='red'" in verdict(at)
    assert "Could not check in" in verdict(at) and "cancelled" in verdict(at)
    assert app_planner.attendance(event.id).checked_in == 0


def test_the_door_of_a_cancelled_event_says_so_before_the_first_scan(app_planner, door):
    event, guests, door_pass = door
    app_planner.cancel_event(event.id, reason="The room was flooded.")
    at = open_door(door_pass)
    no_exception(at)
    (banner,) = [e for e in at.error if "This event is cancelled" in e.value]
    assert "nobody can be checked in" in banner.value and escape_md("The room was flooded.") in banner.value


def test_a_walk_in_without_a_name_asks_for_the_guests_name_not_yours(app_planner, door):
    event, guests, door_pass = door
    at = open_door(door_pass)
    at.button(key="walk_go").click().run()
    no_exception(at)
    assert "The name is required." in texts(at) and "Your name is required" not in texts(at)
    assert app_planner.attendance(event.id).checked_in == 0


def test_typed_titles_and_door_labels_keep_their_own_direction_in_arabic(app_planner):
    event = dialogue(app_planner)
    door_pass = app_planner.create_door_pass(event.id, "Main door (A)")
    at = open_door(door_pass, lang="ar")
    no_exception(at)
    heading = next(m.value for m in at.markdown if "Main door" in m.value)
    assert f"\u2068{escape_md('Main door (A)')}\u2069" in heading  # a first-strong isolate: the brackets stay put
    assert f"\u2068{escape_md(event.title)}\u2069" in heading


def test_the_organizers_door_label_is_at_most_100_characters(app_planner, door):
    event, guests, door_pass = door
    at = signed_in(app_planner).run()
    at.switch_page("checkin.py").run()
    assert at.text_input(key="door_label").proto.max_chars == 100


# ---------------------------------------------------------------- typed text shown as typed


def test_guest_names_and_door_labels_are_not_markdown(app_planner):
    event = dialogue(app_planner)
    name, org = "Zed [LET IN](https://evil.example)", "**Bold** _Org_"
    zed = app_planner.register(event.id, name=name, email="zed@example.org", organization=org)
    door_pass = app_planner.create_door_pass(event.id, "[Side door](https://evil.example)")
    at = open_door(door_pass)
    at.text_input(key="door_query").input("zed").run()
    no_exception(at)
    markdown = "\n".join(m.value for m in at.markdown)
    assert "](" not in markdown and "**Bold**" not in markdown
    assert escape_md(name) in markdown and escape_md(org) in markdown
    assert escape_md("[Side door](https://evil.example)") in markdown
    assert name in seen(at) and "[Side door](https://evil.example)" in seen(at)  # shown as typed
    at.button(key=f"door_guest_{zed.id}").click().run()
    assert "Welcome, Zed [LET IN](https://evil.example)" in verdict(at)  # raw HTML: no Markdown there


# --- uploads refused before they are read (issue #9, "files") ----------------------------------


def refused_photo(at) -> str:
    """The verdict's text for a refused photo, as a reader sees it."""
    shown = html.unescape(verdict(at))
    assert "Could not read the photo" in shown, shown
    return shown


def test_an_image_bomb_at_the_door_gets_a_sentence_and_changes_nothing(app_planner, door):
    from tests.domain.test_photo_uploads import bomb_png

    event, guests, door_pass = door
    at = open_door(door_pass)
    before = table_rows(app_planner.path)
    at.camera_input[0].upload("ticket.jpg", bomb_png(), "image/jpeg").run()  # a PNG, by its bytes
    no_exception(at)
    assert "This photo is too large to read: take it again with the phone's camera." in refused_photo(at)
    assert table_rows(app_planner.path) == before


def test_a_text_file_named_ticket_jpg_is_not_read_as_a_photo(app_planner, door):
    event, guests, door_pass = door
    at = open_door(door_pass)
    before = table_rows(app_planner.path)
    at.camera_input[0].upload("ticket.jpg", guests[0].ticket_code.encode(), "image/jpeg").run()
    no_exception(at)
    assert "This file is not a camera photo" in refused_photo(at)
    assert table_rows(app_planner.path) == before
    assert app_planner.attendance(event.id).checked_in == 0


def test_a_photo_sent_after_the_pass_was_revoked_is_not_decoded(app_planner, door, monkeypatch):
    from planner.ui.components import door as door_component

    event, guests, door_pass = door
    at = open_door(door_pass)
    app_planner.revoke_door_pass(door_pass.id)
    decoded = []
    monkeypatch.setattr(door_component, "scan_photo", lambda data: decoded.append(data) or [])
    at.camera_input[0].upload("ticket.jpg", photo_of(app_planner.ticket_qr_png(guests[0].manage_token)), "image/jpeg").run()
    assert decoded == []
    assert "no longer valid" in html.unescape(texts(at))
    assert app_planner.attendance(event.id).checked_in == 0
