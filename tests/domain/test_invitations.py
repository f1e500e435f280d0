"""Email invitations (``calendar.invitation_bytes``): METHOD:REQUEST and METHOD:CANCEL.

What Gmail, Outlook and Apple Mail need to show an invitation and to apply a later update or
cancellation to the same calendar entry: the event's stored UID, a SEQUENCE that grows,
ORGANIZER (the sending address) and the one ATTENDEE the email goes to. Each file is read by
icalendar, vobject and ical (see test_calendar.py for why three readers).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from planner.models import EventOrganization
from planner.outputs import calendar
from tests.domain.test_calendar import BASE, LIMA, NY, READERS, bare_event, forget_vobject_timezones, instants

SENDER = "invitations@example.org"
GUEST = "ana@example.org"

LIMA_EVENT = bare_event(
    uid="lima-2027@side-event-planner", title="Chacón-López; Lima, Perú", timezone="America/Lima",
    starts_at=datetime(2027, 12, 8, 18, tzinfo=LIMA), ends_at=datetime(2027, 12, 8, 20, 30, tzinfo=LIMA),
    sequence=4, organizations=(EventOrganization(1, "Climate Space", "host"),),
)


def invitation(event=LIMA_EVENT, **changes) -> bytes:
    kwargs = dict(method="REQUEST", sequence=5, organizer_email=SENDER, attendee_email=GUEST,
                  attendee_name="Ana Pérez", base_url=BASE)
    return calendar.invitation_bytes(event, **{**kwargs, **changes})


def read_all(data: bytes):
    """The one VEVENT as icalendar, vobject and ical read it, and the calendars' METHODs."""
    text = data.decode("utf-8")
    ic_cal = icalendar.Calendar.from_ical(data)
    (ic,) = ic_cal.walk("VEVENT")
    forget_vobject_timezones()
    vo_cal = vobject.readOne(text)
    (vo,) = vo_cal.contents["vevent"]
    ia_cal = IcsCalendarStream.calendar_from_ics(text)
    (ia,) = ia_cal.events
    return (ic, vo, ia), (str(ic_cal["METHOD"]), vo_cal.method.value, ia_cal.method)


@pytest.mark.parametrize("partstat", ["ACCEPTED", "TENTATIVE"])
def test_a_request_invites_one_attendee_to_the_stored_uid_with_the_given_sequence(partstat):
    data = invitation(partstat=partstat)
    (ic, vo, ia), methods = read_all(data)
    assert methods == ("REQUEST", "REQUEST", "REQUEST")
    assert str(ic["UID"]) == vo.uid.value == ia.uid == LIMA_EVENT.uid
    assert ic["SEQUENCE"] == int(vo.sequence.value) == ia.sequence == 5  # as given, not the event's 4
    assert str(ic["ORGANIZER"]) == vo.organizer.value == ia.organizer.uri == f"mailto:{SENDER}"
    assert ic["ORGANIZER"].params["CN"] == vo.organizer.params["CN"][0] == ia.organizer.common_name == "Climate Space"

    assert len(vo.contents["attendee"]) == len(ia.attendees) == 1 and isinstance(ic["ATTENDEE"], icalendar.vCalAddress)
    assert str(ic["ATTENDEE"]) == vo.attendee.value == ia.attendees[0].uri == f"mailto:{GUEST}"
    assert ic["ATTENDEE"].params["PARTSTAT"] == vo.attendee.params["PARTSTAT"][0] == ia.attendees[0].status == partstat
    assert ic["ATTENDEE"].params["CN"] == vo.attendee.params["CN"][0] == ia.attendees[0].common_name == "Ana Pérez"
    assert vo.attendee.params["RSVP"] == ["FALSE"] and ia.attendees[0].rsvp is False
    assert str(ic["STATUS"]) == "CONFIRMED"


def test_a_request_reminds_an_hour_before_unless_told_not_to():
    (ic, vo, ia), _ = read_all(invitation())
    (alarm,) = ic.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY" and alarm["DESCRIPTION"] == LIMA_EVENT.title
    assert b"TRIGGER:-PT1H\r\n" in invitation()
    assert vo.valarm.trigger.value == ia.alarm[0].trigger == timedelta(hours=-1)

    (ic, vo, ia), _ = read_all(invitation(alarm=timedelta(minutes=30)))
    assert ia.alarm[0].trigger == timedelta(minutes=-30)

    data = invitation(alarm=None)
    (ic, vo, ia), _ = read_all(data)
    assert b"VALARM" not in data and "valarm" not in vo.contents and ia.alarm == []


@pytest.mark.parametrize("event_status", ["published", "cancelled"])
def test_a_cancel_has_status_cancelled_the_next_sequence_and_no_reminder(event_status):
    """A CANCEL removes the entry whether the event was cancelled or only the person's place."""
    event = bare_event(**{**vars(LIMA_EVENT), "status": event_status})
    data = invitation(event, method="CANCEL", sequence=6)
    (ic, vo, ia), methods = read_all(data)
    assert methods == ("CANCEL", "CANCEL", "CANCEL")
    assert str(ic["STATUS"]) == vo.status.value == "CANCELLED" and ia.status == "CANCELLED"
    assert str(ic["UID"]) == LIMA_EVENT.uid and ic["SEQUENCE"] == ia.sequence == 6
    assert str(ic["ATTENDEE"]) == f"mailto:{GUEST}" and str(ic["ORGANIZER"]) == f"mailto:{SENDER}"
    assert b"VALARM" not in data


def test_a_request_for_a_cancelled_event_says_cancelled_and_sets_no_reminder():
    event = bare_event(**{**vars(LIMA_EVENT), "status": "cancelled", "cancel_reason": "Heavy rain."})
    (ic, _, _), _ = read_all(invitation(event))
    assert str(ic["STATUS"]) == "CANCELLED" and not ic.walk("VALARM")
    assert str(ic["DESCRIPTION"]).startswith("Cancelled: Heavy rain.")


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_invitation_times_are_the_stored_instants(reader, method):
    ny = bare_event(uid="ny@side-event-planner", timezone="America/New_York",
                    starts_at=datetime(2027, 9, 23, 17, tzinfo=NY), ends_at=datetime(2027, 9, 23, 19, tzinfo=NY))
    for event in (LIMA_EVENT, ny):
        data = invitation(event, method=method)
        assert READERS[reader](data)[event.uid] == instants(event)
    assert b"DTSTART;TZID=America/Lima:20271208T180000\r\n" in invitation()


def test_the_invitation_shares_the_download_s_details_and_adds_the_person_s_own():
    personal = calendar.Personal(manage_url=f"{BASE}/ticket?t=abc", join_url="https://meet.example.org/x")
    (ic, _, _), _ = read_all(invitation(personal=personal))
    (download,) = icalendar.Calendar.from_ical(calendar.calendar_bytes(
        [LIMA_EVENT], base_url=BASE, contact_email="events@example.org", name="x", personal=personal)).walk("VEVENT")
    for key in ("SUMMARY", "LOCATION", "DESCRIPTION", "URL", "DTSTART", "DTEND", "UID"):
        assert ic[key].to_ical() == download[key].to_ical(), key
    assert "Join online: https://meet.example.org/x" in str(ic["DESCRIPTION"])
    assert f"Your registration: {BASE}/ticket?t=abc" in str(ic["DESCRIPTION"])


HOSTILE_NAMES = [
    'Ana "the boss" Pérez',
    "Mallory\r\nATTENDEE;CN=Eve:mailto:eve@example.org\r\nX-INJECTED:1",
    "Bob; PARTSTAT=DECLINED: mailto:bob@example.org",
    "محمد عبد الله",
    "Tab\tand\u2028line separator",  # (other control characters never reach the database: validate.text)
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_round_trip_without_injecting_properties(name):
    event = bare_event(**{**vars(LIMA_EVENT), "title": name,
                          "organizations": (EventOrganization(1, name, "host"),)})
    data = invitation(event, attendee_name=name)
    lines = data.decode("utf-8").replace("\r\n ", "").split("\r\n")  # unfolded
    assert [line.split(";")[0].split(":")[0] for line in lines].count("ATTENDEE") == 1
    assert not any(line.startswith(("X-INJECTED", "PARTSTAT")) for line in lines)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))

    (ic, vo, ia), _ = read_all(data)
    cn = calendar.param_text(name)
    assert '"' not in cn and "\n" not in cn and "\r" not in cn
    assert ic["ATTENDEE"].params["CN"] == vo.attendee.params["CN"][0] == ia.attendees[0].common_name == cn
    assert ic["ORGANIZER"].params["CN"] == vo.organizer.params["CN"][0] == ia.organizer.common_name == cn
    assert ic["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED" and len(ia.attendees) == 1
    assert str(ic["ATTENDEE"]) == f"mailto:{GUEST}"
    assert str(ic["SUMMARY"]) == vo.summary.value == ia.summary == name.replace("\r\n", "\n")  # text keeps its lines


def test_param_text_keeps_what_names_need():
    assert calendar.param_text("Ana  Pérez\n") == "Ana Pérez"
    assert calendar.param_text("Ana\x00\x1bPérez") == "Ana Pérez"
    assert calendar.param_text("می\u200cخواهم") == "می\u200cخواهم"  # Persian zero-width non-joiner stays
    assert calendar.param_text('Women\'s "Earth"') == "Women's 'Earth'"


@pytest.mark.parametrize(
    "changes",
    [
        {"method": "PUBLISH"},
        {"method": "request"},
        {"partstat": "DECLINED"},
        {"attendee_email": "ana@example.org\r\nATTENDEE:mailto:eve@example.org"},
        {"organizer_email": "not an address"},
        {"attendee_email": ""},
    ],
)
def test_unknown_methods_states_and_addresses_are_refused(changes):
    with pytest.raises(ValueError):
        invitation(**changes)


def test_the_stamp_is_the_one_clock(monkeypatch):
    monkeypatch.setattr("planner.clock.now", lambda: datetime(2027, 11, 30, 12, 0, 0, 123, tzinfo=UTC))
    (ic, _, _), _ = read_all(invitation())
    assert ic.stamp == datetime(2027, 11, 30, 12, tzinfo=UTC)
