"""Email (issue #10), end to end against a real SMTP server on 127.0.0.1 (``smtp_server``):
every change that matters reaches the person's inbox and calendar, once, and nothing is lost
when the mail server is down.

``deliver`` runs one pass of the sender after moving the hand clock past the two minutes an
edit waits for a second edit (``outbox.UPDATE_SETTLE``)."""

from __future__ import annotations

import itertools

import email
import re
import threading
from datetime import timedelta
from email import policy

import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from planner import Planner
from planner.areas import outbox
from planner.mail.transport import SmtpTransport
from planner.outputs.qrscan import decode_first


@pytest.fixture
def mailer(tmp_path, smtp_server):
    """A Planner that sends to the test server."""
    return Planner(tmp_path / "planner.db", smtp=smtp_server.settings(), base_url="https://events.example.org")


@pytest.fixture
def event_for(mailer):
    """``event_for(capacity=2, title=…, online_url=None, **fields)``: a published event of the
    mailer's database, in its own room, in the future."""
    from tests.domain.conftest import FUTURE

    made = itertools.count(1)

    def make(capacity=2, title="Borders dialogue", online_url=None, **fields):
        n = next(made)  # names are unique (a second summit, venue or room of the same name is refused)
        s = mailer.add_summit(name=f"UNGA week {n}", city="New York", timezone="America/New_York",
                              starts_on=FUTURE.date() - timedelta(days=3), ends_on=FUTURE.date() + timedelta(days=3))
        v = mailer.add_venue(name=f"Church Center {n}", address="777 UN Plaza", timezone="America/New_York")
        r = mailer.add_room(venue_id=v.id, name="Boss Room", capacity=capacity)
        e = mailer.create_event(title=title, starts_at=FUTURE, ends_at=FUTURE + timedelta(hours=2), summit_id=s.id,
                                room_id=r.id, online_url=online_url, **fields)
        return mailer.publish_event(e.id, allow_room_clash=True)

    return make


def deliver(planner, clock=None):
    if clock is not None:
        clock.advance(minutes=3)
    return planner.deliver_outbox()


def inbox(server, to=None):
    found = [m.message for m in server.messages]
    return [m for m in found if to is None or to in m["To"]]


def calendar_part(message):
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_payload(decode=True), part.get_param("method")
    return None, None


def attachment(message, name):
    for part in message.iter_attachments():
        if part.get_filename() == name:
            return part.get_payload(decode=True)
    return None


def parse_both(data: bytes):
    """The same file through vobject and ical: (method, uid, sequence, status) from each."""
    v = vobject.readOne(data.decode())
    ve = v.vevent
    from_vobject = (v.method.value, ve.uid.value, int(ve.sequence.value), ve.status.value)
    stream = IcsCalendarStream.from_ics(data.decode())
    cal = stream.calendars[0]
    ie = cal.events[0]
    from_ical = (cal.method, ie.uid, ie.sequence, str(ie.status.value if ie.status else ""))
    return from_vobject, from_ical


# ---------------------------------------------------------------------- each kind, once


def test_a_confirmation_arrives_once_with_ticket_link_and_invitation(mailer, event_for, smtp_server):
    event = event_for()
    ana = mailer.register(event.id, name="Ana Pérez", email="ana@example.org")
    assert [m.kind for m in mailer.outbox()] == ["confirmed"]  # written with the registration
    assert mailer.deliver_outbox() == {"sent": 1, "retrying": 0, "failed": 0, "skipped": 0}
    assert mailer.deliver_outbox()["sent"] == 0  # and never again
    (message,) = inbox(smtp_server)
    assert message["To"].addresses[0].addr_spec == "ana@example.org"
    assert message["Subject"] == "You are registered: Borders dialogue"
    assert message["Message-ID"] and message["Date"] and message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe"] is None  # a confirmation cannot be turned off
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    private = f"https://events.example.org/ticket?t={ana.manage_token}"
    assert private in text and private in html
    assert ana.ticket_code in text
    # The QR ticket is an inline image that decodes to the ticket's URL; nothing remote.
    (qr,) = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert qr["Content-ID"] == "<ticket@planner>" and 'src="cid:ticket@planner"' in html
    assert decode_first(qr.get_payload(decode=True)) == mailer.ticket_url(mailer.registration(ana.manage_token))
    assert "http://" not in html.replace("http://localhost", "") and "<img" in html
    assert html.count("<img") == 1
    # The invitation: a REQUEST alternative and the same file attached.
    data, method = calendar_part(message)
    assert method == "REQUEST" and attachment(message, "invite.ics") == data
    (vm, vu, vs, vst), (im, iu, iseq, ist) = parse_both(data)
    assert (vm, vu, vs) == ("REQUEST", event.uid, event.sequence) and (im, iu, iseq) == (vm, vu, vs)
    assert b"ATTENDEE" in data and b"PARTSTAT=ACCEPTED" in data and b"mailto:events@example.org" in data


def test_the_event_page_an_email_links_is_the_light_public_page_in_the_guests_language(mailer, event_for, smtp_server):
    """Mail leaves the app: its "Event page" link and its calendar entry's URL open ``/e/<id>``
    (the plain HTML page), never the in-app ``/event?id=``, with ``?lang=`` for a guest not in English."""
    event = event_for()
    ana = mailer.register(event.id, name="Ana Pérez", email="ana@example.org")
    luc = mailer.register(event.id, name="Luc Martin", email="luc@example.org", language="fr")
    mailer.deliver_outbox()
    for guest in (ana, luc):
        mailer.cancel_registration(guest.manage_token)
    mailer.deliver_outbox()
    page = f"https://events.example.org/e/{event.id}"
    for to, expected in (("ana@example.org", page), ("luc@example.org", f"{page}?lang=fr")):
        confirmed, cancelled = inbox(smtp_server, to)
        text = cancelled.get_body(("plain",)).get_content()
        html = cancelled.get_body(("html",)).get_content()
        assert re.search(re.escape(expected) + r"(?![\w/?&=])", text), text
        assert f'href="{expected}"' in html, html
        for message in (confirmed, cancelled):
            data, _ = calendar_part(message)
            assert vobject.readOne(data.decode()).vevent.url.value == expected
            assert "/event?id=" not in message.as_string()


def test_the_waiting_list_and_the_move_up_each_get_their_message(mailer, event_for, smtp_server, clock):
    event = event_for(capacity=1)
    first = mailer.register(event.id, name="First", email="first@example.org")
    bo = mailer.register(event.id, name="Bo", email="bo@example.org")
    deliver(mailer, clock)
    (waiting,) = inbox(smtp_server, "bo@example.org")
    assert waiting["Subject"] == "On the waiting list: Borders dialogue"
    assert "number 1" in waiting.get_body(("plain",)).get_content()
    assert b"PARTSTAT=TENTATIVE" in calendar_part(waiting)[0]
    assert not [p for p in waiting.walk() if p.get_content_type() == "image/png"]  # no ticket yet
    mailer.cancel_registration(first.manage_token)
    deliver(mailer, clock)
    up = inbox(smtp_server, "bo@example.org")[-1]
    assert up["Subject"] == "A place is yours: Borders dialogue"
    assert [p for p in up.walk() if p.get_content_type() == "image/png"]
    cancelled = inbox(smtp_server, "first@example.org")[-1]
    assert cancelled["Subject"] == "Registration cancelled: Borders dialogue"
    assert "You cancelled" in cancelled.get_body(("plain",)).get_content()
    assert calendar_part(cancelled)[1] == "CANCEL"
    # Sequences grow for each person: TENTATIVE, then ACCEPTED with a higher one.
    seqs = [parse_both(calendar_part(m)[0])[0][2] for m in inbox(smtp_server, "bo@example.org")]
    assert seqs == sorted(set(seqs)) and len(seqs) == 2
    assert len(smtp_server.messages) == 4  # first's confirmation + cancellation, bo's two
    assert bo.position == 1


def test_an_update_and_a_cancellation_reach_the_calendar_with_the_same_uid(mailer, event_for, smtp_server, clock):
    event = event_for()
    mailer.register(event.id, name="Ana", email="ana@example.org")
    deliver(mailer, clock)
    later = event.starts_at + timedelta(hours=1)
    moved = mailer.update_event(event.id, version=event.version, starts_at=later, ends_at=later + timedelta(hours=2))
    deliver(mailer, clock)
    mailer.cancel_event(event.id, reason="The room is closed for repairs.")
    deliver(mailer, clock)
    confirmation, update, cancellation = inbox(smtp_server)
    assert update["Subject"] == "Changed: Borders dialogue"
    text = update.get_body(("plain",)).get_content()
    assert "→" in text and "When" in text
    assert cancellation["Subject"] == "Cancelled: Borders dialogue"
    assert "The room is closed for repairs." in cancellation.get_body(("plain",)).get_content()
    parsed = [parse_both(calendar_part(m)[0]) for m in (confirmation, update, cancellation)]
    for from_vobject, from_ical in parsed:
        assert from_vobject[:3] == from_ical[:3]
        assert from_vobject[1] == event.uid
    methods = [p[0][0] for p in parsed]
    sequences = [p[0][2] for p in parsed]
    assert methods == ["REQUEST", "REQUEST", "CANCEL"]
    assert sequences[0] < sequences[1] < sequences[2] and sequences[1] >= moved.sequence
    assert parsed[2][0][3] == "CANCELLED" and "CANCELLED" in parsed[2][1][3].upper()


def test_two_quick_edits_send_one_update_with_the_latest_state(mailer, event_for, smtp_server, clock):
    event = event_for(title="Borders dialog")
    mailer.register(event.id, name="Ana", email="ana@example.org")
    deliver(mailer, clock)
    e = mailer.update_event(event.id, version=event.version, title="Borders dialogue")
    clock.advance(seconds=30)
    mailer.update_event(event.id, version=e.version, title="Borders: a dialogue")
    clock.advance(seconds=30)
    assert mailer.deliver_outbox()["sent"] == 0  # still settling: a third edit may come
    deliver(mailer, clock)
    updates = [m for m in inbox(smtp_server) if m["Subject"].startswith("Changed")]
    assert len(updates) == 1
    text = updates[0].get_body(("plain",)).get_content()
    assert "Borders dialog → Borders: a dialogue" in text


def test_an_edit_undone_before_it_went_out_sends_nothing(mailer, event_for, smtp_server, clock):
    event = event_for(title="Borders dialogue")
    mailer.register(event.id, name="Ana", email="ana@example.org")
    deliver(mailer, clock)
    e = mailer.update_event(event.id, version=event.version, title="Typo")
    mailer.update_event(event.id, version=e.version, title="Borders dialogue")
    assert deliver(mailer, clock)["skipped"] == 1
    assert len(smtp_server.messages) == 1


def test_a_reminder_goes_once_to_confirmed_guests_at_the_set_time(mailer, event_for, smtp_server, clock):
    from datetime import UTC

    event = event_for(capacity=1, online_url="https://meet.example.org/room-1", reminder_hours=24)
    clock.now = event.starts_at - timedelta(days=3)
    mailer.register(event.id, name="Ana", email="ana@example.org")
    mailer.register(event.id, name="Bo", email="bo@example.org")  # waiting: no reminder
    deliver(mailer)
    assert not [m for m in mailer.outbox() if m.kind == "reminder"]
    clock.now = event.starts_at - timedelta(hours=23)
    deliver(mailer)
    deliver(mailer)
    reminders = [m for m in inbox(smtp_server) if m["Subject"].startswith("Reminder")]
    assert len(reminders) == 1 and "ana@example.org" in reminders[0]["To"]
    body = reminders[0].get_body(("plain",)).get_content()
    assert "https://meet.example.org/room-1" in body  # the join link of a hybrid event
    assert reminders[0]["List-Unsubscribe"].startswith("<https://events.example.org/unsubscribe?t=")
    assert reminders[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert event.starts_at.tzinfo is UTC or event.starts_at.utcoffset() == timedelta(0)


def test_no_reminder_for_an_event_without_one_or_a_guest_who_turned_them_off(mailer, event_for, smtp_server, clock):
    quiet = event_for(reminder_hours=None, title="No reminder")
    noisy = event_for(title="With reminder")
    clock.now = noisy.starts_at - timedelta(days=2)
    mailer.register(quiet.id, name="Ana", email="ana@example.org")
    bo = mailer.register(noisy.id, name="Bo", email="bo@example.org")
    mailer.set_messages(bo.manage_token, False)
    clock.now = noisy.starts_at - timedelta(hours=1)
    deliver(mailer)
    assert not [m for m in mailer.outbox() if m.kind == "reminder"]


def test_organizers_write_to_their_guests_and_to_themselves_first(mailer, event_for, smtp_server, clock):
    event = event_for(capacity=1)
    mailer.register(event.id, name="Ana", email="ana@example.org")
    mailer.register(event.id, name="Bo", email="bo@example.org")
    deliver(mailer, clock)
    before = len(smtp_server.messages)
    mailer.send_test_message(event.id, "Room change", "We meet in **Room 2**. <script>x</script>", "org@example.org")
    deliver(mailer)
    test = inbox(smtp_server, "org@example.org")[0]
    assert test["Subject"] == "[Test] Room change"
    batch = mailer.message_guests(event.id, "Room change", "We meet in **Room 2**. <script>x</script>",
                                  to=("confirmed", "waitlisted"))
    assert mailer.outbox_counts(batch=batch)["waiting"] == 2
    deliver(mailer)
    assert mailer.outbox_counts(batch=batch)["sent"] == 2
    sent = smtp_server.messages[before + 1:]
    assert sorted(m.message["To"].addresses[0].addr_spec for m in sent) == ["ana@example.org", "bo@example.org"]
    html = sent[0].message.get_body(("html",)).get_content()
    assert "<strong>Room 2</strong>" in html and "<script>" not in html and "&lt;script&gt;" in html
    assert sent[0].message["List-Unsubscribe"] and sent[0].message["Auto-Submitted"] is None


# ---------------------------------------------------------------------- headers


@pytest.mark.parametrize("name", ["Eve\r\nBcc: victim@example.org", "Zoë \"Q\" Ñandú", "أحمد", "Eve\nSubject: x"])
def test_names_and_titles_cannot_inject_headers(mailer, smtp_server, name):
    from planner.areas.outbox import OutboxMessage
    from planner.mail import render

    row = OutboxMessage(id=1, kind="test", event_id=None, registration_id=None, recipient="a@example.org",
                        recipient_name=name, language="en", data={"subject": f"Hi\r\nBcc: x@example.org {name}",
                                                                  "body": "Body"},
                        status="waiting", attempts=0, next_attempt_at=None, last_error=None,
                        message_id="<1@example.org>", created_at=None, sent_at=None)
    message = render.render(row, render.Situation(None, None, None), mailer.mail_sender).message
    with SmtpTransport(smtp_server.settings()) as transport:
        transport.send(message)
    (received,) = smtp_server.messages
    assert received.rcpt_tos == ("a@example.org",)
    raw_headers = received.raw.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in raw_headers and b"\nBcc:" not in raw_headers
    parsed = received.message
    assert parsed["Bcc"] is None
    assert list(parsed.keys()).count("Subject") == 1
    assert "Bcc: x@example.org" in parsed["Subject"]  # kept as text on one line


def test_a_title_with_line_breaks_and_accents_is_one_encoded_subject(mailer, event_for, smtp_server, clock):
    event = event_for(title="Diálogo: fronteras — «derechos»")
    mailer.register(event.id, name="Zoë Müller", email="zoe@example.org")
    deliver(mailer, clock)
    (received,) = smtp_server.messages
    assert received.message["Subject"] == "You are registered: Diálogo: fronteras — «derechos»"
    assert b"=?utf-8?" in received.raw.split(b"\r\n\r\n", 1)[0].lower()


# ---------------------------------------------------------------------- delivery


def test_a_change_rolled_back_writes_no_message(mailer, event_for, smtp_server):
    from planner import StaleEdit

    event = event_for()
    mailer.register(event.id, name="Ana", email="ana@example.org")
    mailer.update_event(event.id, version=event.version, title="New title")
    before = len(mailer.outbox())
    with pytest.raises(StaleEdit):
        mailer.update_event(event.id, version=event.version, title="Stale title")
    assert len(mailer.outbox()) == before


def test_a_permanent_refusal_stops_and_shows_the_reason(mailer, event_for, smtp_server):
    event = event_for()
    smtp_server.refuse_permanently(550, "5.1.1 No such user here", recipient="nobody@example.org")
    mailer.register(event.id, name="Nobody", email="nobody@example.org")
    mailer.register(event.id, name="Ana", email="ana@example.org")
    assert mailer.deliver_outbox() == {"sent": 1, "retrying": 0, "failed": 1, "skipped": 0}
    (failed,) = mailer.outbox(status="failed")
    assert failed.recipient == "nobody@example.org" and "550" in failed.last_error and "No such user" in failed.last_error
    assert mailer.deliver_outbox()["sent"] == 0  # not retried


def test_a_server_that_refuses_for_now_or_is_gone_loses_and_duplicates_nothing(mailer, event_for, smtp_server, clock):
    event = event_for(capacity=10)
    for n in range(3):
        mailer.register(event.id, name=f"Guest {n}", email=f"g{n}@example.org")
    smtp_server.refuse_temporarily(451, "4.3.0 Try again later")
    assert mailer.deliver_outbox()["retrying"] == 3
    smtp_server.reset()
    smtp_server.stop()  # the server disappears
    clock.advance(minutes=2)
    assert mailer.deliver_outbox()["retrying"] == 3
    assert {m.status for m in mailer.outbox()} == {"waiting"}
    assert all(m.attempts == 2 and m.last_error for m in mailer.outbox())
    smtp_server.start()  # and comes back
    assert mailer.deliver_outbox()["sent"] == 0  # not due yet: delays grow
    clock.advance(minutes=10)
    assert mailer.deliver_outbox()["sent"] == 3
    clock.advance(hours=5)
    assert mailer.deliver_outbox()["sent"] == 0
    assert sorted(m.message["To"].addresses[0].addr_spec for m in smtp_server.messages) == [
        "g0@example.org", "g1@example.org", "g2@example.org"]


def test_a_server_that_stops_answering_mid_batch_loses_nothing(mailer, event_for, smtp_server, clock):
    event = event_for(capacity=10)
    for n in range(4):
        mailer.register(event.id, name=f"Guest {n}", email=f"g{n}@example.org")

    class GoneAfterTwo:
        """The real transport, whose server goes away after the second message."""

        def __init__(self):
            self.real, self.sent = SmtpTransport(smtp_server.settings(timeout=1.0)), 0

        def send(self, message):
            if self.sent == 2 and smtp_server.running:
                smtp_server.stop()
            self.real.send(message)
            self.sent += 1

        def close(self):
            self.real.close()

    transport = GoneAfterTwo()
    done = mailer.deliver_outbox(transport=transport)
    assert done["sent"] == 2 and done["retrying"] == 2
    smtp_server.start()
    clock.advance(minutes=2)
    assert mailer.deliver_outbox()["sent"] == 2
    assert len(smtp_server.messages) == 4
    assert len({m.message["Message-ID"] for m in smtp_server.messages}) == 4


def test_a_sender_restarted_mid_batch_sends_the_rest_once(tmp_path, mailer, event_for, smtp_server, clock):
    event = event_for(capacity=10)
    for n in range(3):
        mailer.register(event.id, name=f"Guest {n}", email=f"g{n}@example.org")
    # A sender claims the batch, then its process dies before sending.
    with mailer._db.write() as db:
        claimed = outbox.claim(db, "dead-sender", 10, clock.now)
    assert len(claimed) == 3
    restarted = Planner(mailer.path, smtp=smtp_server.settings(), base_url=mailer.base_url)
    assert restarted.deliver_outbox()["sent"] == 0  # its claims still hold
    clock.advance(minutes=6)  # the lease lapsed
    assert restarted.deliver_outbox()["sent"] == 3
    assert restarted.deliver_outbox()["sent"] == 0
    assert len(smtp_server.messages) == 3


def test_two_senders_on_one_outbox_send_each_message_once(tmp_path, mailer, event_for, smtp_server):
    event = event_for(capacity=100)
    for n in range(40):
        mailer.register(event.id, name=f"Guest {n}", email=f"g{n}@example.org")
    other = Planner(mailer.path, smtp=smtp_server.settings(), base_url=mailer.base_url)
    results, start = [], threading.Barrier(2)

    def run(p):
        start.wait()
        results.append(p.deliver_outbox())

    threads = [threading.Thread(target=run, args=(p,)) for p in (mailer, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sum(r["sent"] for r in results) == 40
    ids = [m.message["Message-ID"] for m in smtp_server.messages]
    assert len(ids) == 40 and len(set(ids)) == 40


def test_without_a_mail_server_messages_wait_and_can_be_downloaded(planner, open_event):
    from planner.errors import ConfigurationError

    event = open_event()
    ana = planner.register(event.id, name="Ana", email="ana@example.org")
    with pytest.raises(ConfigurationError) as info:
        planner.deliver_outbox()
    assert "PLANNER_SMTP_HOST" in str(info.value)
    (row,) = planner.outbox(event_id=event.id)
    parsed = email.message_from_bytes(planner.outbox_eml(row.id), policy=policy.default)
    assert parsed["To"].addresses[0].addr_spec == "ana@example.org"
    assert ana.manage_token in parsed.get_body(("plain",)).get_content()


# ---------------------------------------------------------------------- the private link again


def test_the_private_link_request_answers_the_same_for_known_and_unknown_addresses(mailer, event_for, smtp_server,
                                                                                  clock):
    event = event_for()
    ana = mailer.register(event.id, name="Ana", email="ana@example.org")
    deliver(mailer, clock)
    before = len(smtp_server.messages)
    assert mailer.send_private_link("ANA@example.org ", event.id) is None
    assert mailer.send_private_link("stranger@example.org", event.id) is None
    with mailer._db.read() as db:
        assert db.execute("SELECT count(*) FROM link_requests").fetchone()[0] == 2  # both wrote the same
    deliver(mailer)
    (received,) = smtp_server.messages[before:]
    assert received.message["To"].addresses[0].addr_spec == "ana@example.org"
    assert f"/ticket?t={ana.manage_token}" in received.message.get_body(("plain",)).get_content()


def test_an_inbox_gets_at_most_three_private_link_messages_an_hour(mailer, event_for, smtp_server, clock):
    event = event_for()
    mailer.register(event.id, name="Ana", email="ana@example.org")
    for _ in range(6):
        mailer.send_private_link("ana@example.org")
    assert len([m for m in mailer.outbox() if m.kind == "private_link"]) == 3
    clock.advance(hours=1, minutes=1)
    mailer.send_private_link("ana@example.org")
    assert len([m for m in mailer.outbox() if m.kind == "private_link"]) == 4


def test_the_private_link_from_any_event_lists_every_registration(mailer, event_for, smtp_server, clock):
    one, two = event_for(title="One"), event_for(title="Two")
    a = mailer.register(one.id, name="Ana", email="ana@example.org")
    b = mailer.register(two.id, name="Ana", email="ana@example.org")
    deliver(mailer, clock)
    mailer.send_private_link("ana@example.org")
    deliver(mailer)
    last = smtp_server.messages[-1].message
    assert last["Subject"] == "Your private links"
    body = last.get_body(("plain",)).get_content()
    assert a.manage_token in body and b.manage_token in body


def test_links_made_before_derived_links_keep_working(tmp_path, open_event, planner):
    """Registrations made by the version before this one had random links: they still open."""
    import secrets

    from planner import security

    event = open_event()
    r = planner.register(event.id, name="Ana", email="ana@example.org")
    old = secrets.token_urlsafe(32)
    with planner._db.write() as db:
        db.execute("UPDATE registrations SET token_hash = ?, link_derived = 0 WHERE id = ?",
                   [security.token_hash(old), r.id])
    again = Planner(planner.path)
    assert again.registration(old).id == r.id  # the link people bookmarked
    assert again.registration(r.manage_token).id == r.id  # the one messages carry


def test_a_renamed_room_or_venue_reaches_the_guests_of_its_published_events(mailer, event_for, smtp_server, clock):
    event = event_for()
    mailer.register(event.id, name="Ana", email="ana@example.org")
    deliver(mailer, clock)
    mailer.update_room(event.room_id, name="Conference Room 4")
    deliver(mailer, clock)
    mailer.update_venue(event.venue.id, name="UN Church Center")
    deliver(mailer, clock)
    updates = [m for m in inbox(smtp_server) if m["Subject"].startswith("Changed")]
    assert len(updates) == 2
    first, second = (u.get_body(("plain",)).get_content() for u in updates)
    assert "Boss Room, Church Center" in first and "Conference Room 4, Church Center" in first
    assert "Conference Room 4, UN Church Center" in second
    mailer.update_room(event.room_id, accessibility="Lift to the 8th floor")  # not a place change
    assert deliver(mailer, clock)["sent"] == 0


# ---------------------------------------------------------------------- confirmed by email


def test_confirmed_by_email_end_to_end(mailer, event_for, smtp_server, clock):
    """The form's answer reveals nothing; the link in the message confirms the place; the
    confirmation with the ticket follows; a hold nobody confirms is released by the sender's pass."""
    import re

    from planner.models import PendingConfirmation

    event = event_for(capacity=1, registration_mode="email")
    answer = mailer.register(event.id, name="Ana", email="ana@example.org")
    assert answer == PendingConfirmation(event.id)
    assert mailer.event_counts(event.id).is_full  # the held place counts as taken
    deliver(mailer)
    (ask,) = inbox(smtp_server)
    assert ask["Subject"].startswith("Confirm your place")
    link = re.search(r"https://events\.example\.org/confirm\?t=[\w-]+", ask.get_body(("plain",)).get_content())
    token = link.group(0).split("t=", 1)[1]
    ana = mailer.confirm_registration(token)
    assert ana.status == "confirmed" and ana.manage_token
    deliver(mailer)
    confirmation = inbox(smtp_server)[-1]
    assert confirmation["Subject"] == "You are registered: Borders dialogue"
    assert ana.manage_token in confirmation.get_body(("plain",)).get_content()
    # A second person holds... nothing: the event is full, so they would wait. Bo's hold lapses.
    event2 = event_for(capacity=1, registration_mode="email", title="Second")
    mailer.register(event2.id, name="Bo", email="bo@example.org")
    assert mailer.event_counts(event2.id).is_full
    clock.advance(minutes=31)
    deliver(mailer)  # the pass releases the lapsed hold
    assert not mailer.event_counts(event2.id).is_full


def test_organizers_see_the_servers_reason_next_to_the_guest(mailer, event_for, smtp_server):
    event = event_for()
    smtp_server.refuse_permanently(550, "5.1.1 Mailbox unavailable", recipient="gone@example.org")
    gone = mailer.register(event.id, name="Gone", email="gone@example.org")
    mailer.register(event.id, name="Ana", email="ana@example.org")
    mailer.deliver_outbox()
    assert mailer.undelivered(event.id) == {gone.id: "550 5.1.1 Mailbox unavailable"}


def test_a_server_that_times_out_loses_nothing_and_sends_once_when_it_answers_again(tmp_path, smtp_server, clock):
    from tests.domain.conftest import FUTURE

    slow = Planner(tmp_path / "slow.db", smtp=smtp_server.settings(timeout=0.5), base_url="https://events.example.org")
    e = slow.create_event(title="Timeout", starts_at=FUTURE, ends_at=FUTURE + timedelta(hours=1),
                          online_url="https://meet.example.org/x", capacity=10)
    slow.publish_event(e.id)
    for n in range(2):
        slow.register(e.id, name=f"Guest {n}", email=f"g{n}@example.org")
    smtp_server.delay(2.0)  # longer than the client waits
    assert slow.deliver_outbox()["retrying"] == 2
    assert all("0.5" in m.last_error for m in slow.outbox())  # the reason names the wait
    smtp_server.reset()
    clock.advance(minutes=2)
    assert slow.deliver_outbox()["sent"] == 2
    assert sorted(m.message["To"].addresses[0].addr_spec for m in smtp_server.messages) == [
        "g0@example.org", "g1@example.org"]


def test_the_reach_of_a_message_is_who_message_guests_writes_to(mailer, event_for):
    event = event_for(capacity=2)
    ana = mailer.register(event.id, name="Ana", email="ana@example.org")
    bo = mailer.register(event.id, name="Bo", email="bo@example.org")
    mailer.register(event.id, name="Cy", email="cy@example.org")  # waiting
    mailer.set_messages(bo.manage_token, False)
    mailer.check_in(ana.checkin_code, event.id)
    assert mailer.message_reach(event.id, ("confirmed",)) == 1  # Bo turned messages off
    assert mailer.message_reach(event.id, ("confirmed", "checked_in", "waitlisted")) == 2  # Ana once, Cy
    batch = mailer.message_guests(event.id, "Hi", "Body", to=("confirmed", "checked_in", "waitlisted"))
    assert sum(mailer.outbox_counts(batch=batch).values()) == 2
