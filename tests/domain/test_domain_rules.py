"""Rules pages used to check themselves are domain properties now; refusals carry codes whose
sentences come from one catalogue; promotions are handed on inside their transaction; and the
house keeps its shape (no Streamlit in the domain, a short Planner, one clock)."""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest

import planner.planner as planner_module
from planner import ValidationError, i18n
from planner.codes import MESSAGES, REGISTRATION_CLOSED, message
from planner.errors import PlannerError
from tests.conftest import is_readable

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = [p for p in (ROOT / "planner").rglob("*.py") if "ui" not in p.relative_to(ROOT / "planner").parts]


# ---------------------------------------------------------------------- domain properties


def test_is_public_covers_published_and_published_then_cancelled_only(planner, make_event):
    draft = make_event()
    assert not draft.is_public
    cancelled_draft = planner.cancel_event(make_event().id, reason="Never mind.")
    assert not cancelled_draft.is_public
    published = planner.publish_event(make_event(room_id=None).id, allow_past=True)
    assert published.is_public
    assert planner.cancel_event(published.id, reason="Storm.").is_public


def test_has_door_and_join_link_follow_format_and_status(planner, make_event, room):
    in_person = make_event()
    online = make_event(room_id=None, online_url="https://meet.example.org/a")
    hybrid = make_event(online_url="https://meet.example.org/b", starts_at=in_person.ends_at,
                        ends_at=in_person.ends_at + timedelta(hours=1))
    assert (in_person.has_door, online.has_door, hybrid.has_door) == (True, False, True)
    assert (in_person.has_join_link, online.has_join_link, hybrid.has_join_link) == (False, True, True)
    cancelled = planner.cancel_event(hybrid.id, reason="Moved.")
    assert (cancelled.has_door, cancelled.has_join_link) == (False, False)


def test_registration_closed_says_why_in_one_place(planner, open_event, make_event, clock):
    event = open_event()
    assert event.registration_closed(clock.now) is None
    assert make_event().registration_closed(clock.now) == "not_published"
    assert event.registration_closed(event.ends_at) == "ended"
    cancelled = planner.cancel_event(event.id, reason="Storm.")
    assert cancelled.registration_closed(clock.now) == "cancelled"
    assert set(REGISTRATION_CLOSED) == {"cancelled", "not_published", "ended"}


def test_register_refuses_with_the_same_rule(planner, make_event, assert_refused):
    draft = make_event()
    error = assert_refused(lambda: planner.register(draft.id, name="Ana", email="ana@example.org"))
    assert error.code == "registration_closed_not_published"


def test_has_ticket_needs_a_confirmed_place_at_an_event_with_a_door(planner, open_event):
    in_person = open_event(capacity=1)
    online = open_event(room_id=None, online_url="https://meet.example.org/x", capacity=5)
    seat = planner.register(in_person.id, name="Ana", email="ana@example.org")
    waiting = planner.register(in_person.id, name="Bo", email="bo@example.org")
    remote = planner.register(online.id, name="Cy", email="cy@example.org")
    assert (seat.has_ticket, waiting.has_ticket, remote.has_ticket) == (True, False, False)
    planner.cancel_event(in_person.id, reason="Storm.")
    assert not planner.registration(seat.manage_token).has_ticket


def test_the_join_link_is_for_confirmed_registrants_only(planner, open_event):
    online = open_event(room_id=None, online_url="https://meet.example.org/x", capacity=1)
    seat = planner.register(online.id, name="Ana", email="ana@example.org")
    waiting = planner.register(online.id, name="Bo", email="bo@example.org")
    assert planner.join_url(seat.manage_token) == "https://meet.example.org/x"
    assert planner.join_url(waiting.manage_token) is None
    planner.cancel_event(online.id, reason="Storm.")
    assert planner.join_url(seat.manage_token) is None


# ---------------------------------------------------------------------- promotions handed on


@pytest.fixture
def moved(planner, monkeypatch):
    """Every list of people moved up that a Planner method hands on, in order."""
    seen: list[list[int]] = []
    original = planner_module.Planner._moved_up
    monkeypatch.setattr(planner_module.Planner, "_moved_up", lambda self, db, ids: seen.append(list(ids)) or original(self, db, ids))
    return seen


def test_every_way_a_seat_frees_up_hands_on_who_moved_up(planner, open_event, moved):
    event = open_event(capacity=1)
    a, b, c, d = [planner.register(event.id, name=f"P{n}", email=f"p{n}@example.org") for n in range(4)]
    planner.cancel_registration(a.manage_token)
    assert moved[-1] == [b.id]
    planner.cancel_registration_for(b.id)
    assert moved[-1] == [c.id]
    planner.update_event(event.id, version=planner.get_event(event.id).version, capacity=3)
    assert moved[-1] == [d.id]
    walker = planner.walk_in(event.id, name="Walker")  # the third place
    e = planner.register(event.id, name="P4", email="p4@example.org")
    assert e.status == "waitlisted"
    planner.undo_check_in(walker.id)  # an undone walk-in frees its seat
    assert moved[-1] == [e.id]
    assert [r.status for r in planner.registrations(event.id)] == [
        "cancelled", "cancelled", "confirmed", "confirmed", "cancelled", "confirmed"]


def test_a_bigger_room_hands_on_who_moved_up(planner, open_event, room, moved):
    event = open_event()  # takes the room's 80 places
    planner.update_room(room.id, capacity=1)
    regs = [planner.register(event.id, name=f"P{n}", email=f"p{n}@example.org") for n in range(3)]
    planner.update_room(room.id, capacity=2)
    assert moved[-1] == [regs[1].id]


# ---------------------------------------------------------------------- refusal codes


def _raised_codes() -> set[str]:
    """Every code a domain module raises or passes to an error (``…Error("code", …)``)."""
    codes = set()
    for path in DOMAIN:
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("ValidationError", "NotFound", "PermissionDenied", "StaleEdit",
                                         "ConfigurationError", "PlannerError")
                    and node.args):
                first = node.args[0]
                if isinstance(first, ast.Constant):
                    codes.add(first.value)
                elif isinstance(first, ast.JoinedStr):  # f"registration_closed_{closed}"
                    prefix = first.values[0].value
                    codes |= {c for c in MESSAGES if c.startswith(prefix)}
                elif isinstance(first, ast.IfExp):  # "a" if … else "b": both branches
                    codes |= {b.value for b in (first.body, first.orelse) if isinstance(b, ast.Constant)}
    return codes


def test_every_code_the_domain_raises_has_a_sentence():
    raised = _raised_codes()
    assert len(raised) > 50, raised
    assert raised <= set(MESSAGES), sorted(raised - set(MESSAGES))


def test_every_sentence_reads_as_a_sentence_with_its_parameters():
    sample = {"label": i18n.N_("Title"), "max": 200, "length": 230, "value": "x", "choices": ["a", "b"], "name": "Ana",
              "names": "a, b", "id": 7, "n": 2, "email": "a@example.org", "other": "Debt relief", "taken": 3,
              "capacity": 3, "path": "/data/checkin.key", "room": "Boss Room", "first": "A", "second": "B",
              "first_when": "Tue 10:00", "second_when": "Tue 11:00", "title": "A", "when": "Tue", "summit": "UNGA",
              "first_day": "19 Oct", "last_day": "23 Oct", "clash": i18n.N_("The room is busy."),
              "wait": timedelta(minutes=15), "current": "Asia/Kolkata", "zone": "America/New_York",
              "start": "02:00", "end": "03:00", "count": 60_000, "missing": "Date, Start", "found": "Title, Where",
              "venue": "Church Center", "language": "Español", "side": 16,
              # issue #14, calls for side events
              "opens": "1 Oct 09:00", "closes": "15 Oct 17:00", "status": i18n.N_("Declined"), "day": "1 Nov",
              "last": "23 Oct",
              # issue #15, the coalition's logo
              "max_kb": 1000, "max_side": 4000}
    for code in MESSAGES:
        text = message(code, sample)
        assert is_readable(text) and "{" not in text, (code, text)


def test_a_refusal_renders_in_the_language_active_when_it_is_shown(planner, make_event):
    with pytest.raises(ValidationError) as info:
        planner.create_event(title="", starts_at=make_event().starts_at, ends_at=make_event().ends_at)
    error = info.value
    assert (error.code, error.field, error.params["label"]) == ("required", "title", i18n.N_("Title"))
    assert str(error) == "The title is required."
    with i18n.using(i18n.PSEUDO):
        assert str(error) == "⟦The title is required.⟧"
    label = i18n.N_("Name of speaker {n}").format(n=2)  # no sentence of its own: the general one
    assert str(ValidationError("required", field="speakers", label=label)) == "“Name of speaker 2” is required."
    assert isinstance(error, PlannerError) and repr(error).startswith("ValidationError('required'")


def test_conflicts_speak_the_active_language(planner, make_event):
    make_event(title="First")
    make_event(title="Second")
    (clash,) = planner.conflicts()
    assert clash.message.startswith("Boss Room, 8th floor — Church Center") and "“First”" in clash.message
    with i18n.using(i18n.PSEUDO):
        assert clash.message.startswith("⟦") and "Tue 20 Oct" in clash.message


# ---------------------------------------------------------------------- the shape of the house


def test_no_streamlit_outside_the_ui():
    for path in DOMAIN:
        assert not re.search(r"^\s*(import|from) streamlit", path.read_text(), re.M), path


def test_the_planner_face_stays_short():
    assert len((ROOT / "planner" / "planner.py").read_text().splitlines()) < 400


def test_one_clock():
    """Only planner/clock.py asks the system for the time; everything else asks it."""
    for path in DOMAIN:
        if path.name == "clock.py" or path.parent.name == "i18n":
            continue
        text = path.read_text()
        assert "datetime.now(" not in text and "time.time(" not in text, path
