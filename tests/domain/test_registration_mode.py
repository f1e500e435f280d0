"""Issue #9, part "mode": how open an event's registration is (open, or with a proof of work
checked by the server) and who sees the online join link.

Solutions are computed here with the `altcha` library's own solver, as the widget would."""

from __future__ import annotations

import base64
import json
import os
import stat
from datetime import timedelta

import altcha
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import Planner, ValidationError
from planner.areas import proofs
from planner.errors import ConfigurationError
from tests.conftest import is_readable, table_rows
from tests.domain.conftest import FUTURE

LINK = "https://meet.example.org/secret-room"


def unfolded(ics: bytes) -> str:
    """A calendar file's text with its long lines joined again (RFC 5545 folds at 75 octets)."""
    return ics.decode().replace("\r\n ", "")


def solve(challenge: dict) -> str:
    """The widget's payload for a challenge: challenge and solution, base64 JSON."""
    parsed = altcha.Challenge.from_dict(challenge)
    return altcha.Payload(parsed, altcha.solve_challenge(parsed)).to_base64()


def edit(payload: str, change) -> str:
    data = json.loads(base64.b64decode(payload))
    change(data)
    return base64.b64encode(json.dumps(data).encode()).decode()


@pytest.fixture
def pow_event(open_event):
    return lambda **fields: open_event(registration_mode="proof_of_work", **fields)


def register(planner, event, proof=None, email="ana@example.org"):
    return planner.register(event.id, name="Ana", email=email, proof=proof)


# ---------------------------------------------------------------------- the event's fields


def test_events_are_open_with_a_private_join_link_unless_the_organizer_says_otherwise(planner, make_event):
    event = make_event()
    assert (event.registration_mode, event.join_link_public) == ("open", False)
    changed = planner.update_event(event.id, version=event.version, registration_mode="proof_of_work",
                                   join_link_public=True)
    assert (changed.registration_mode, changed.join_link_public) == ("proof_of_work", True)
    assert planner.get_event(event.id).registration_mode == "proof_of_work"
    copy = planner.duplicate_event(event.id)
    assert (copy.registration_mode, copy.join_link_public) == ("proof_of_work", True)
    assert [c.field for c in planner.event_changes(event, changed)] == ["Registration", "Online link shown to everyone"]


@pytest.mark.parametrize("mode", ["captcha", "", None, 3])
def test_a_mode_that_does_not_exist_is_refused(planner, make_event, assert_refused, mode):
    event = make_event()
    assert_refused(lambda: planner.update_event(event.id, version=event.version, registration_mode=mode),
                   field="registration_mode")
    assert_refused(lambda: make_event(registration_mode=mode), field="registration_mode")


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_whether_the_join_link_is_public_is_a_real_yes_or_no(planner, make_event, assert_refused, value):
    event = make_event()
    assert_refused(lambda: planner.update_event(event.id, version=event.version, join_link_public=value),
                   field="join_link_public")


# ---------------------------------------------------------------------- proof of work


def test_an_open_event_needs_no_proof(planner, open_event):
    event = open_event()
    assert register(planner, event).status == "confirmed"
    assert register(planner, event, proof="anything", email="bo@example.org").status == "confirmed"


@pytest.mark.parametrize("proof", [None, ""])
def test_proof_of_work_mode_refuses_a_registration_without_a_proof(planner, pow_event, assert_refused, proof):
    event = pow_event()
    error = assert_refused(lambda: register(planner, event, proof), field="proof")
    assert error.code == "proof_required"


def test_a_valid_proof_is_accepted_once(planner, pow_event, assert_refused):
    event = pow_event()
    proof = solve(planner.registration_challenge(event.id))
    assert register(planner, event, proof).status == "confirmed"
    error = assert_refused(lambda: register(planner, event, proof, email="bo@example.org"), field="proof")
    assert error.code == "proof_used"
    assert [r.email for r in planner.registrations(event.id)] == ["ana@example.org"]


def test_a_registration_refused_for_its_details_does_not_use_up_the_proof(planner, pow_event, assert_refused):
    event = pow_event()
    proof = solve(planner.registration_challenge(event.id))
    assert_refused(lambda: register(planner, event, proof, email="not an address"), field="email")
    assert register(planner, event, proof).status == "confirmed"


def test_an_expired_proof_is_refused(planner, pow_event, assert_refused, clock):
    event = pow_event()
    proof = solve(planner.registration_challenge(event.id))
    clock.advance(seconds=proofs.LIFETIME.total_seconds())
    assert assert_refused(lambda: register(planner, event, proof), field="proof").code == "proof_expired"


def test_a_proof_solved_just_before_it_expires_is_accepted(planner, pow_event, clock):
    event = pow_event()
    proof = solve(planner.registration_challenge(event.id))
    clock.advance(seconds=proofs.LIFETIME.total_seconds() - 2)
    assert register(planner, event, proof).status == "confirmed"


def test_a_proof_for_another_event_is_refused(planner, pow_event, assert_refused):
    event, other = pow_event(), pow_event()
    proof = solve(planner.registration_challenge(other.id))
    assert assert_refused(lambda: register(planner, event, proof), field="proof").code == "proof_invalid"


def test_a_challenge_signed_by_another_server_is_refused(planner, pow_event, assert_refused, tmp_path):
    event = pow_event()
    elsewhere = Planner(tmp_path / "elsewhere" / "planner.db")
    proof = solve(elsewhere.registration_challenge(event.id))
    assert assert_refused(lambda: register(planner, event, proof), field="proof").code == "proof_invalid"


def test_a_challenge_changed_by_the_browser_is_refused(planner, pow_event, assert_refused, clock):
    event, other = pow_event(), pow_event()
    proof = solve(planner.registration_challenge(other.id))
    retargeted = edit(proof, lambda d: d["challenge"]["parameters"]["data"].update(event=event.id))
    assert assert_refused(lambda: register(planner, event, retargeted), field="proof").code == "proof_invalid"
    proof = solve(planner.registration_challenge(event.id))
    clock.advance(seconds=proofs.LIFETIME.total_seconds())
    prolonged = edit(proof, lambda d: d["challenge"]["parameters"]["data"].update(expires=2**40))
    assert assert_refused(lambda: register(planner, event, prolonged), field="proof").code == "proof_invalid"


def test_a_wrong_solution_is_refused(planner, pow_event, assert_refused):
    event = pow_event()
    proof = solve(planner.registration_challenge(event.id))

    def wrong(d):
        d["solution"]["counter"] += 1
        d["solution"]["derivedKey"] = "00" * 32

    assert assert_refused(lambda: register(planner, event, edit(proof, wrong)), field="proof").code == "proof_invalid"
    unsolved = edit(proof, lambda d: d.pop("solution"))
    assert assert_refused(lambda: register(planner, event, unsolved), field="proof").code == "proof_invalid"


@settings(max_examples=60, deadline=None)
@given(garbage=st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300).map(lambda b: base64.b64encode(b).decode()),
    st.recursive(st.none() | st.integers() | st.text(max_size=8),
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3))
    .map(lambda value: base64.b64encode(json.dumps(value).encode()).decode()),
    st.integers(), st.lists(st.integers(), max_size=3),
))
def test_hostile_proofs_are_refused_in_a_sentence_and_change_nothing(tmp_path_factory, garbage):
    planner = Planner(tmp_path_factory.mktemp("fuzz") / "planner.db")
    event = _published_pow_event(planner)
    before = table_rows(planner.path)
    with pytest.raises(ValidationError) as info:
        planner.register(event.id, name="Ana", email="ana@example.org", proof=garbage)
    assert info.value.field == "proof" and is_readable(str(info.value))
    assert table_rows(planner.path) == before


def _published_pow_event(planner):
    event = planner.create_event(title="Rush", starts_at=FUTURE, ends_at=FUTURE + timedelta(hours=1),
                                 online_url="https://meet.example.org/x", registration_mode="proof_of_work")
    return planner.publish_event(event.id)


def test_used_proofs_are_kept_only_until_they_expire(planner, pow_event, clock):
    event = pow_event()
    register(planner, event, solve(planner.registration_challenge(event.id)))
    clock.advance(seconds=proofs.LIFETIME.total_seconds() + 1)
    register(planner, event, solve(planner.registration_challenge(event.id)), email="bo@example.org")
    with planner._db.read() as db:
        assert db.execute("SELECT count(*) FROM used_proofs").fetchone()[0] == 1


def test_the_proof_key_is_made_once_readable_only_by_its_owner(tmp_path):
    Planner(tmp_path / "planner.db")
    key_file = tmp_path / proofs.KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    Planner(tmp_path / "planner.db")
    assert key_file.read_text() == key


def test_a_damaged_proof_key_stops_the_server_in_words(tmp_path):
    (tmp_path / proofs.KEY_FILE_NAME).write_text("not a key")
    os.chmod(tmp_path / proofs.KEY_FILE_NAME, 0o600)
    with pytest.raises(ConfigurationError) as info:
        Planner(tmp_path / "planner.db")
    assert info.value.code == "proof_key_damaged" and "altcha.key" in str(info.value)


# ---------------------------------------------------------------------- the join link


def test_the_join_link_is_public_only_when_the_organizer_says_so(planner, open_event, room):
    hidden = open_event(online_url=LINK)
    shown = open_event(online_url=LINK, join_link_public=True)
    assert (hidden.format, hidden.public_join_url, shown.public_join_url) == ("hybrid", None, LINK)
    online = open_event(room_id=None, online_url=LINK, join_link_public=True)
    assert online.public_join_url == LINK
    cancelled = planner.cancel_event(shown.id, reason="Postponed.")
    assert cancelled.public_join_url is None


def test_the_personal_calendar_file_has_the_join_link_for_a_confirmed_registrant_only(planner, open_event):
    event = open_event(online_url=LINK, capacity=1)
    seat = register(planner, event)
    waiting = register(planner, event, email="bo@example.org")
    assert waiting.status == "waitlisted"
    assert LINK in unfolded(planner.registration_ics(seat.manage_token))
    assert LINK not in unfolded(planner.registration_ics(waiting.manage_token))
    planner.cancel_registration(seat.manage_token)
    assert LINK not in unfolded(planner.registration_ics(seat.manage_token))
    assert LINK in unfolded(planner.registration_ics(waiting.manage_token))  # moved up
    planner.cancel_event(event.id, reason="Postponed.")
    assert LINK not in unfolded(planner.registration_ics(waiting.manage_token))


def test_public_calendar_files_never_carry_the_join_link(planner, open_event):
    hidden = open_event(online_url=LINK)
    shown = open_event(online_url=LINK, join_link_public=True)
    for event in (hidden, shown):
        assert LINK not in unfolded(planner.event_ics(event.id))
    assert LINK not in unfolded(planner.programme_ics())
