"""Co-sponsor sign-on and speaker confirmations (issue #14): every name on a public output agreed
to be there, through a link that answers for its own requests only."""

from __future__ import annotations

import email
import io
import json
import re
import stat
from datetime import timedelta
from email import policy

import pytest
from PIL import Image

from planner import NotFound, ValidationError
from planner.access import of_user
from tests.conftest import is_readable
from tests.domain.conftest import FUTURE


def png(width=300, height=120, colour="red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def jpeg(width=1600, height=1200) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "blue").save(out, "JPEG")
    return out.getvalue()


SAFE_SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">'
            b'<defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/></linearGradient></defs>'
            b'<rect width="200" height="100" fill="url(#g)"/><text x="10" y="50" font-size="30">ACLU</text></svg>')


def link_token(planner, kind: str, page: str) -> str:
    """The token in the link of the latest message of ``kind`` (read from its text part)."""
    message = [m for m in planner.outbox() if m.kind == kind][-1]
    parsed = email.message_from_bytes(planner.outbox_eml(message.id), policy=policy.default)
    text = parsed.get_body(("plain",)).get_content()
    return re.search(rf"/{page}\?t=([A-Za-z0-9_-]+)", text).group(1)


@pytest.fixture
def draft(planner, make_event):
    """``draft(**fields)``: a future draft with ACLU (co-sponsor), OHCHR (endorser) and Ana Pérez
    speaking, each in its own two hours."""
    slots = iter(range(100))

    def make(**fields):
        start = FUTURE + timedelta(hours=2 * next(slots))
        values = dict(starts_at=start, ends_at=start + timedelta(hours=1),
                      speakers=[{"name": "Ana Pérez", "affiliation": "CELS", "email": "ana@example.org"}],
                      organizations=[{"name": "ACLU", "role": "co-sponsor"}, {"name": "OHCHR", "role": "endorser"}])
        values.update(fields)
        return make_event(**values)

    return make


def asked(planner, event, organization="ACLU", address="contact@aclu.example.org"):
    planner.request_sign_on(event.id, organization, address)
    return link_token(planner, "sign_on", "sign-on")


def speaker_asked(planner, event):
    planner.request_speaker_confirmation(event.id, event.speakers[0].person_id)
    return link_token(planner, "speaker_request", "speaker")


def names(event) -> set[str]:
    return {o.shown_name for o in event.public_organizations}


# --- organizations: what public outputs name ------------------------------------------------------


def test_an_organization_entered_without_a_request_stays_confirmed_as_the_organizer_vouches(planner, draft):
    event = draft()
    assert names(planner.get_event(event.id)) == {"ACLU", "OHCHR"}
    assert {o.status for o in planner.sign_on_status(event.id).organizations} == {"vouched"}


def test_an_organization_asked_is_left_off_every_public_output_until_it_confirms(planner, draft):
    event = draft()
    asked(planner, event)
    planner.publish_event(event.id)
    shown = planner.get_event(event.id)
    assert names(shown) == {"OHCHR"} and [o.status for o in shown.organizations] == ["pending", "confirmed"]
    assert b"ACLU" not in planner.event_ics(event.id) and b"ACLU" not in planner.programme_ics()
    assert planner.programme(organization="ACLU") == []  # the programme's filter does not reveal it either
    assert planner.programme(query="ACLU") == []  # nor its search


def test_a_confirmed_organization_is_named_by_the_name_its_contact_gave_with_its_logo(planner, draft):
    event = draft()
    token = asked(planner, event)
    request = planner.sign_on(token).requests[0]
    done = planner.answer_sign_on(token, request.id, confirm=True, display_name="ACLU of New York", logo=png())
    assert done.status == "confirmed" and done.changed
    shown = planner.get_event(event.id)
    aclu = next(o for o in shown.public_organizations if o.name == "ACLU")
    assert aclu.shown_name == "ACLU of New York" and aclu.status == "confirmed"
    with Image.open(io.BytesIO(planner.picture(aclu.logo))) as logo:
        assert logo.format == "PNG" and max(logo.size) <= 512
    planner.publish_event(event.id)
    assert "ACLU of New York" in planner.event_ics(event.id).decode()


def test_a_declined_organization_never_appears_publicly_even_when_invited_ones_are_shown(planner, draft):
    event = draft()
    token = asked(planner, event)
    planner.set_show_invited(event.id, True)
    planner.answer_sign_on(token, planner.sign_on(token).requests[0].id, confirm=False)
    assert names(planner.get_event(event.id)) == {"OHCHR"}
    assert planner.sign_on_status(event.id).organizations[0].status == "declined"


def test_pending_organizations_appear_as_invited_only_when_the_organizer_chose_so_and_never_in_calendars(
        planner, draft):
    event = draft()
    asked(planner, event)
    planner.publish_event(event.id)
    assert "ACLU" not in names(planner.get_event(event.id))
    planner.set_show_invited(event.id, True)
    aclu = next(o for o in planner.get_event(event.id).public_organizations if o.name == "ACLU")
    assert aclu.invited and aclu.status == "invited" and aclu.status != "confirmed"
    assert b"ACLU" not in planner.event_ics(event.id)  # a calendar entry is not updated when they answer
    assert planner.sign_on_status(event.id).show_invited
    planner.set_show_invited(event.id, False)
    assert "ACLU" not in names(planner.get_event(event.id))


def test_the_partners_embed_and_json_feed_never_name_a_pending_organization_and_mark_invited_ones(planner, draft):
    """The visibility rule end to end on the outputs for partners' websites (issue #14)."""
    event = draft(title="Border dialogue")
    asked(planner, event)
    planner.publish_event(event.id)

    def outputs():
        feed = planner.programme_feed()
        document = json.loads(planner.programme_json(feed))
        listed = next(e for e in document["events"] if e["id"] == event.id)["organizations"]
        return listed, planner.programme_embed(feed)

    listed, page = outputs()
    assert [o["name"] for o in listed] == ["OHCHR"] and "ACLU" not in page
    planner.set_show_invited(event.id, True)
    listed, page = outputs()
    assert {o["name"]: o["status"] for o in listed} == {"ACLU": "invited", "OHCHR": "confirmed"}
    assert "ACLU</bdi> (invited)" in page


# --- the contact's link ---------------------------------------------------------------------------


def test_one_link_lists_every_pending_request_of_the_organization_for_that_contact_across_events(planner, draft):
    first, second, third = draft(), draft(), draft()
    asked(planner, first)
    asked(planner, second, organization="aclu")  # the name as typed, ignoring case
    token = asked(planner, third, organization="OHCHR", address="contact@aclu.example.org")
    ohchr = planner.sign_on(token)
    assert ohchr.organization == "OHCHR" and [r.event.id for r in ohchr.requests] == [third.id]
    messages = [m for m in planner.outbox() if m.kind == "sign_on"]
    assert messages[0].data["contact_id"] == messages[1].data["contact_id"] != messages[2].data["contact_id"]
    # The first message's link (the same contact) now lists both ACLU requests.
    parsed = email.message_from_bytes(planner.outbox_eml(messages[0].id), policy=policy.default)
    token = re.search(r"/sign-on\?t=([A-Za-z0-9_-]+)", parsed.get_body(("plain",)).get_content()).group(1)
    found = planner.sign_on(token)
    assert [r.event.id for r in found.pending] == [first.id, second.id]
    assert "Side event" in parsed.get_body(("plain",)).get_content()


def test_answers_change_until_the_event_is_published_then_stand(planner, draft, assert_refused):
    event = draft()
    token = asked(planner, event)
    request_id = planner.sign_on(token).requests[0].id
    planner.answer_sign_on(token, request_id, confirm=False)
    planner.answer_sign_on(token, request_id, confirm=True, display_name="ACLU")
    planner.publish_event(event.id)
    assert planner.sign_on(token).requests[0].changeable is False
    error = assert_refused(lambda: planner.answer_sign_on(token, request_id, confirm=False), field="confirm")
    assert error.code == "sign_on_answered"


def test_a_request_expires_with_its_event(planner, draft, clock, assert_refused):
    clock.now = FUTURE - timedelta(days=1)
    event = draft()
    token = asked(planner, event)
    request_id = planner.sign_on(token).requests[0].id
    clock.now = event.ends_at + timedelta(minutes=1)
    assert planner.sign_on(token).requests == ()
    error = assert_refused(lambda: planner.answer_sign_on(token, request_id, confirm=True), field="request_id")
    assert error.code == "sign_on_closed"
    assert_refused(lambda: planner.request_sign_on(event.id, "OHCHR", "x@ohchr.example.org"), field="event_id")


def test_a_contact_cannot_answer_another_organizations_request(planner, draft, assert_refused):
    event = draft()
    aclu = asked(planner, event)
    ohchr = asked(planner, event, organization="OHCHR", address="someone@ohchr.example.org")
    other_request = planner.sign_on(ohchr).requests[0].id
    error = assert_refused(lambda: planner.answer_sign_on(aclu, other_request, confirm=True), field="request_id")
    assert error.code == "sign_on_not_yours"


@pytest.mark.parametrize("token", ["", "short", "x" * 43, None, 12, "../../etc/passwd"])
def test_an_unknown_or_malformed_sign_on_link_finds_nothing(planner, token, assert_refused):
    assert_refused(lambda: planner.sign_on(token), exc=NotFound)
    assert_refused(lambda: planner.answer_sign_on(token, 1, confirm=True), exc=NotFound)


def test_bad_requests_are_refused_with_a_sentence_and_nothing_written(planner, draft, assert_refused):
    event = draft()
    assert_refused(lambda: planner.request_sign_on(event.id, "Nobody Inc", "a@example.org"), field="organization")
    assert_refused(lambda: planner.request_sign_on(event.id, "ACLU", "not an address"), field="email")
    assert_refused(lambda: planner.request_sign_on(event.id, "ACLU", "a@example.org", role="sponsor"), field="role")
    assert_refused(lambda: planner.remind_sign_on(event.id, "ACLU"), field="organization")
    assert_refused(lambda: planner.request_sign_on(999, "ACLU", "a@example.org"), exc=NotFound)
    token = asked(planner, event)
    request_id = planner.sign_on(token).requests[0].id
    assert_refused(lambda: planner.answer_sign_on(token, request_id, confirm="yes"), field="confirm")
    assert_refused(lambda: planner.answer_sign_on(token, request_id, confirm=True, display_name="A\nB"),
                   field="display_name")


def test_a_request_is_sent_again_on_demand_at_most_once_an_hour(planner, draft, clock, assert_refused):
    clock.now = FUTURE - timedelta(days=3)
    event = draft()
    asked(planner, event)
    error = assert_refused(lambda: planner.remind_sign_on(event.id, "ACLU"), field="email")
    assert error.code == "sign_on_remind_too_soon"
    clock.advance(hours=2)
    status = planner.remind_sign_on(event.id, "ACLU")
    assert status.reminded_at == clock.now and status.status == "pending"
    assert [m.data["reminder"] for m in planner.outbox() if m.kind == "sign_on"] == [False, True]


def test_asking_another_contact_after_a_decline_starts_over(planner, draft):
    event = draft()
    token = asked(planner, event)
    planner.answer_sign_on(token, planner.sign_on(token).requests[0].id, confirm=False)
    done = planner.request_sign_on(event.id, "ACLU", "director@aclu.example.org")
    assert done.status == "pending" and done.email == "director@aclu.example.org"
    assert planner.sign_on(token).requests == ()  # the first contact's link no longer lists it


def test_requests_and_answers_are_in_the_audit_log(planner, draft):
    organizer = of_user(planner.add_user(email="org@example.org", name="Org", password="long enough pw"))
    event = draft()
    planner.request_sign_on(event.id, "ACLU", "contact@aclu.example.org", actor=organizer)
    token = link_token(planner, "sign_on", "sign-on")
    planner.answer_sign_on(token, planner.sign_on(token).requests[0].id, confirm=True)
    actions = [(e.action, e.actor_kind) for e in planner.audit_log(event_id=event.id)]
    assert ("sign_on_requested", "organizer") in actions and ("sign_on_answered", "system") in actions
    assert all("contact@aclu" not in str(e.details) for e in planner.audit_log(event_id=event.id))


def test_the_call_for_proposals_asks_organizations_inside_its_own_transaction(planner, draft):
    from planner.face.sign_on import request_sign_ons_for

    event = draft()
    with pytest.raises(RuntimeError):
        with planner._db.write() as db:
            request_sign_ons_for(planner, db, event.id, [("ACLU", "co-sponsor", "a@aclu.example.org")])
            raise RuntimeError("the acceptance failed later")
    assert planner.outbox() == [] and planner.sign_on_status(event.id).organizations[0].status == "vouched"
    with planner._db.write() as db:
        done = request_sign_ons_for(planner, db, event.id, [("ACLU", "co-sponsor", "a@aclu.example.org"),
                                                            ("OHCHR", "endorser", "")])
    assert [o.name for o in done] == ["ACLU"]
    assert [o.status for o in planner.sign_on_status(event.id).organizations] == ["pending", "vouched"]


# --- speakers --------------------------------------------------------------------------------------


def test_a_speaker_asked_is_not_public_until_they_confirm_with_bio_and_photo(planner, draft):
    event = draft()
    token = speaker_asked(planner, event)
    assert planner.get_event(event.id).public_speakers == ()
    found = planner.speaker_request(token)
    assert found.name == "Ana Pérez" and found.status == "pending" and found.changeable
    done = planner.answer_speaker(token, confirm=True, bio="Lawyer at CELS.", photo=jpeg(), attendance="remote",
                                  speaks="Spanish")
    assert done.status == "confirmed"
    (ana,) = planner.get_event(event.id).public_speakers
    assert (ana.bio, ana.attendance, ana.speaks) == ("Lawyer at CELS.", "remote", "Spanish")
    with Image.open(io.BytesIO(planner.picture(ana.photo))) as photo:
        assert photo.format == "JPEG" and max(photo.size) == 800  # resized from 1600×1200
    planner.publish_event(event.id)
    assert "Ana Pérez" in planner.event_ics(event.id).decode()


def test_a_speaker_in_person_gives_the_name_on_their_id_and_everyone_says_how_they_take_part(
        planner, draft, assert_refused):
    event = draft()
    token = speaker_asked(planner, event)
    assert_refused(lambda: planner.answer_speaker(token, confirm=True), field="attendance")
    assert_refused(lambda: planner.answer_speaker(token, confirm=True, attendance="in_person"), field="id_name")
    assert_refused(lambda: planner.answer_speaker(token, confirm=True, attendance="teleport"), field="attendance")
    assert_refused(lambda: planner.answer_speaker(token, confirm=True, attendance="video", bio="x" * 1001),
                   field="bio")
    planner.answer_speaker(token, confirm=True, attendance="in_person", id_name="Ana María PÉREZ GÓMEZ")
    status = planner.sign_on_status(event.id).speakers[0]
    assert status.id_name == "Ana María PÉREZ GÓMEZ" and status.status == "confirmed"
    assert not hasattr(planner.get_event(event.id).speakers[0], "id_name")  # the ID name is never public


def test_a_speaker_who_declines_is_not_named_and_their_photo_goes(planner, draft):
    event = draft()
    token = speaker_asked(planner, event)
    planner.answer_speaker(token, confirm=True, attendance="remote", photo=jpeg())
    images = planner.path.parent / "images"
    assert len(list(images.iterdir())) == 1
    planner.answer_speaker(token, confirm=False)
    assert planner.get_event(event.id).public_speakers == ()
    assert list(images.iterdir()) == []


def test_a_speaker_without_an_email_needs_one_to_be_asked(planner, draft, assert_refused):
    event = draft(speakers=[{"name": "Diego Morales"}])
    person = event.speakers[0].person_id
    error = assert_refused(lambda: planner.request_speaker_confirmation(event.id, person), field="email")
    assert error.code == "speaker_no_email" and "Diego Morales" in str(error)
    assert_refused(lambda: planner.request_speaker_confirmation(event.id, 9999), field="person_id")
    planner.request_speaker_confirmation(event.id, person, email="diego@example.org")
    assert [m.recipient for m in planner.outbox()] == ["diego@example.org"]


def test_a_speaker_confirmed_for_two_overlapping_events_is_a_clash_not_one_only_asked(planner, draft):
    first = draft()
    second = draft(starts_at=first.starts_at + timedelta(minutes=30), ends_at=first.ends_at + timedelta(minutes=30),
                   room_id=None, online_url="https://meet.example.org/x")

    def speaker_clashes():
        return [c for c in planner.conflicts(first.id) if c.kind == "speaker"]

    assert len(speaker_clashes()) == 1  # both vouched by the organizer
    token = speaker_asked(planner, planner.get_event(second.id))
    assert speaker_clashes() == []  # asked, not answered: due nowhere yet
    planner.answer_speaker(token, confirm=True, attendance="remote")
    clash = speaker_clashes()
    assert len(clash) == 1 and "Ana Pérez" in clash[0].message


# --- link tokens: each good for its own purpose --------------------------------------------------


def test_each_link_opens_its_own_kind_of_request_only(planner, draft, open_event):
    event = draft()
    sign_on_token = asked(planner, event)
    speaker_token = speaker_asked(planner, event)
    published = open_event()
    guest = planner.register(published.id, name="Eve", email="eve@example.org")
    for token in (sign_on_token, speaker_token):
        with pytest.raises(NotFound):
            planner.registration(token)  # no registration to manage
        assert planner.check_in(token, published.id).verdict == "invalid"  # no door to open
    with pytest.raises(NotFound):
        planner.speaker_request(sign_on_token)
    with pytest.raises(NotFound):
        planner.answer_speaker(sign_on_token, confirm=True, attendance="remote")
    with pytest.raises(NotFound):
        planner.sign_on(speaker_token)
    for token in (guest.manage_token, guest.checkin_code):
        with pytest.raises(NotFound):
            planner.sign_on(token)
        with pytest.raises(NotFound):
            planner.speaker_request(token)
    assert planner.get_event(event.id).public_speakers == ()


def test_only_token_hashes_are_stored(planner, draft):
    event = draft()
    sign_on_token, speaker_token = asked(planner, event), speaker_asked(planner, event)
    data = planner.path.read_bytes()
    assert sign_on_token.encode() not in data and speaker_token.encode() not in data


# --- pictures: hostile files refused, nothing kept ------------------------------------------------


def bomb_png(side=20_000) -> bytes:
    """A valid PNG header claiming ``side``×``side`` pixels (the rows need not be there: the
    header alone must refuse it)."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))


HOSTILE = {
    "a script in an SVG": (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script>'
                           b'</svg>', "svg_unsafe"),
    "an event handler": (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"/>',
                         "svg_unsafe"),
    "an external image": (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                          b'viewBox="0 0 10 10"><use xlink:href="http://evil.example/x.svg#a"/></svg>', "svg_unsafe"),
    "a file read by an entity": (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                 b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>&x;</text></svg>',
                                 "svg_unsafe"),
    "a foreign object": (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><foreignObject>'
                         b'<body xmlns="http://www.w3.org/1999/xhtml">hi</body></foreignObject></svg>', "svg_unsafe"),
    "a style that loads a URL": (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect '
                                 b'style="fill:url(https://evil.example/t)" width="5" height="5"/></svg>',
                                 "svg_unsafe"),
    "a javascript link": (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><a href="javascript:x">'
                          b'<rect width="5" height="5"/></a></svg>', "svg_unsafe"),
    "a PNG that is really HTML": (b"<html><body><script>alert(1)</script></body></html>", "image_not_an_image"),
    "a PNG header and nothing after": (png()[:40], "image_not_an_image"),
    "a 20000x20000 decompression bomb": (bomb_png(), "image_too_large"),
    "a 20 MB file": (b"\x89PNG\r\n\x1a\n" + b"\x00" * (20 * 1024 * 1024), "image_too_large"),
    "a tiny image": (png(4, 4), "image_too_small"),
    "nothing": (b"", "image_not_an_image"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_logo_is_refused_with_a_sentence_and_nothing_is_kept(planner, draft, assert_refused, name):
    data, code = HOSTILE[name]
    event = draft()
    token = asked(planner, event)
    request_id = planner.sign_on(token).requests[0].id
    error = assert_refused(lambda: planner.answer_sign_on(token, request_id, confirm=True, logo=data), field="logo")
    assert error.code == code and is_readable(str(error))
    images = planner.path.parent / "images"
    assert not images.exists() or list(images.iterdir()) == []


@pytest.mark.parametrize("name", ["a PNG that is really HTML", "a 20000x20000 decompression bomb", "a 20 MB file",
                                  "a script in an SVG"])
def test_a_hostile_speaker_photo_is_refused_and_nothing_is_kept(planner, draft, assert_refused, name):
    data, _code = HOSTILE[name]
    token = speaker_asked(planner, draft())
    error = assert_refused(lambda: planner.answer_speaker(token, confirm=True, attendance="remote", photo=data),
                           field="photo")
    assert is_readable(str(error))
    images = planner.path.parent / "images"
    assert not images.exists() or list(images.iterdir()) == []


def test_a_safe_svg_logo_is_kept_as_our_own_png_in_a_private_file(planner, draft):
    event = draft()
    token = asked(planner, event)
    done = planner.answer_sign_on(token, planner.sign_on(token).requests[0].id, confirm=True, logo=SAFE_SVG)
    assert done.logo.endswith(".png")
    with Image.open(io.BytesIO(planner.picture(done.logo))) as logo:
        assert logo.format == "PNG" and logo.size == (512, 256)
    folder = planner.path.parent / "images"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / done.logo).stat().st_mode) == 0o600


@pytest.mark.parametrize("svg", [
    # declared far larger than its viewBox: drawn at the declared size, it would need petabytes
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000" viewBox="0 0 1 1">'
    b'<rect width="1" height="1" fill="red"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40in" height="20in" viewBox="0 0 10 5">'
    b'<rect width="10" height="5" fill="red"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><rect width="400" height="200"/></svg>',
])
def test_an_svg_logo_is_drawn_at_the_size_measured_whatever_it_declares(planner, draft, svg):
    event = draft()
    token = asked(planner, event)
    done = planner.answer_sign_on(token, planner.sign_on(token).requests[0].id, confirm=True, logo=svg)
    with Image.open(io.BytesIO(planner.picture(done.logo))) as logo:
        assert logo.size == (512, 256) or logo.size == (512, 512)


def test_a_speaker_request_sent_again_to_a_corrected_address_closes_the_first_link(planner, draft):
    """The first address was wrong: whoever got it can no longer answer for the speaker."""
    event = draft()
    person = event.speakers[0].person_id
    planner.request_speaker_confirmation(event.id, person, email="wrong@example.org")
    wrong = link_token(planner, "speaker_request", "speaker")
    planner.answer_speaker(wrong, confirm=True, bio="Not the speaker.", attendance="remote")
    planner.request_speaker_confirmation(event.id, person, email="ana.right@example.org")
    right = link_token(planner, "speaker_request", "speaker")
    assert right != wrong
    with pytest.raises(NotFound):
        planner.speaker_request(wrong)
    with pytest.raises(NotFound):
        planner.answer_speaker(wrong, confirm=True, attendance="remote")
    found = planner.speaker_request(right)
    assert found.status == "pending" and not found.bio  # nothing the wrong address said carries over
    assert [s.status for s in planner.get_event(event.id).speakers] == ["pending"]


def test_a_logo_sent_again_replaces_the_first_file(planner, draft):
    event = draft()
    token = asked(planner, event)
    request_id = planner.sign_on(token).requests[0].id
    first = planner.answer_sign_on(token, request_id, confirm=True, logo=png()).logo
    second = planner.answer_sign_on(token, request_id, confirm=True, logo=png(colour="green")).logo
    assert first != second and [p.name for p in (planner.path.parent / "images").iterdir()] == [second]
    assert planner.answer_sign_on(token, request_id, confirm=True).logo == second  # None keeps it


@pytest.mark.parametrize("name", ["../planner.db", "logo-x.png", "checkin.key", "", None])
def test_a_picture_is_read_only_by_a_name_we_made(planner, name):
    with pytest.raises(NotFound):
        planner.picture(name)


def test_a_logo_sent_through_an_unknown_link_is_not_kept(planner, assert_refused):
    assert_refused(lambda: planner.answer_sign_on("x" * 43, 1, confirm=True, logo=png()), exc=NotFound)
    images = planner.path.parent / "images"
    assert not images.exists() or list(images.iterdir()) == []


def test_erasing_a_speaker_removes_their_request_and_photo(planner, draft):
    event = draft()
    token = speaker_asked(planner, event)
    planner.answer_speaker(token, confirm=True, attendance="remote", photo=jpeg())
    planner.erase_person("ana@example.org")
    assert list((planner.path.parent / "images").iterdir()) == []
    with pytest.raises(NotFound):
        planner.speaker_request(token)


def test_the_sign_on_message_names_the_organization_and_the_role(planner, draft):
    event = draft()
    asked(planner, event)
    message = [m for m in planner.outbox() if m.kind == "sign_on"][-1]
    parsed = email.message_from_bytes(planner.outbox_eml(message.id), policy=policy.default)
    text = parsed.get_body(("plain",)).get_content()
    assert "ACLU" in parsed["Subject"] and "co-sponsor" in text and event.title in text


def test_the_data_folder_with_pictures_in_it_is_still_made_private_at_start(planner, draft):
    import os

    from planner import Planner

    token = asked(planner, draft())
    planner.answer_sign_on(token, planner.sign_on(token).requests[0].id, confirm=True, logo=png())
    folder = planner.path.parent
    os.chmod(folder, 0o755)
    Planner(planner.path)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # images/ is the planner's own


def test_a_draft_with_requests_can_still_be_deleted(planner, draft):
    event = draft()
    asked(planner, event)
    speaker_asked(planner, event)
    planner.delete_event(event.id)
    with pytest.raises(NotFound):
        planner.get_event(event.id)


def test_a_copy_of_an_event_asks_again_whoever_was_asked_and_names_nobody_meanwhile(planner, draft, clock):
    clock.now = FUTURE - timedelta(days=5)
    event = draft()
    token = asked(planner, event)
    planner.answer_sign_on(token, planner.sign_on(token).requests[0].id, confirm=False)
    speaker_asked(planner, event)
    copy = planner.duplicate_event(event.id)
    assert names(copy) == {"OHCHR"} and copy.public_speakers == ()
    assert [o.status for o in planner.sign_on_status(copy.id).organizations] == ["pending", "vouched"]
    assert [r.event.id for r in planner.sign_on(token).pending] == [copy.id]  # the same contact's link
    clock.advance(hours=2)
    planner.remind_sign_on(copy.id, "ACLU")  # the organizer sends it when ready


def test_a_request_answered_before_its_message_left_is_not_sent(planner, draft):
    event = draft()
    token = asked(planner, event)
    planner.answer_sign_on(token, planner.sign_on(token).requests[0].id, confirm=True)
    speaker = speaker_asked(planner, event)
    planner.answer_speaker(speaker, confirm=False)
    for message in planner.outbox():
        assert planner.outbox_eml(message.id).startswith(b"Subject: (not sent:"), message.kind
