"""Proof of work before registering: self-hosted ALTCHA challenges, made and checked here.

An event in the ``proof_of_work`` registration mode takes a registration only with a solved
challenge. The server makes the challenge (``new_challenge``) with the `altcha` library: a
PBKDF2/SHA-256 search for one counter chosen at random, which costs the registering browser
about a second of work (the ALTCHA widget does it, served from our own files: no third-party
service, no tracking) and a bot filling hundreds of forms as many seconds each. The
challenge is signed with a key kept beside the database (``altcha.key``, 0600, made on first
run like the check-in key) and names its event and its expiry in its signed ``data``, so a
solution is good for one event, for ``LIFETIME``, once: the signatures of used challenges
are kept (``used_proofs``) until they expire, so a replayed solution is refused. Expiry is
asked of the one clock (``planner.clock``), not of the library's own.

Functions taking ``db`` run inside the caller's ``BEGIN IMMEDIATE`` transaction: a proof is
used up only if the registration it came with is written.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

import altcha

from .. import clock
from .. import validate as check
from ..db import to_db_time
from ..errors import NotFound, ValidationError
from ..files import PROOF_KEY_FILE_NAME as KEY_FILE_NAME

ALGORITHM = "PBKDF2/SHA-256"
COST = 2000  # PBKDF2 iterations per try
COUNTERS = (500, 1500)  # the counter to find is drawn from this range: about 1,000 tries on average
LIFETIME = timedelta(minutes=20)  # long enough to fill the form after ticking the box
PAYLOAD_MAX = 10_000  # characters; a real payload is under 1,000


def _secrets(key: bytes) -> tuple[bytes, bytes]:
    """Two keys from the one file: one signs challenges, one signs the key to be found."""
    return (hmac.new(key, b"altcha challenge", hashlib.sha256).digest(),
            hmac.new(key, b"altcha derived key", hashlib.sha256).digest())


def new_challenge(key: bytes, event_id: int) -> dict:
    """A signed challenge for one event, as the widget reads it (JSON-ready; writes nothing)."""
    return _challenge(key, "event", check.id(event_id))


def _challenge(key: bytes, subject: str, subject_id: int) -> dict:
    """A signed challenge naming ``subject`` ("event" or "call") ``subject_id``: a solution is
    good for that one only (``_use`` checks the name)."""
    challenge_secret, key_secret = _secrets(key)
    expires = int((clock.now() + LIFETIME).timestamp())
    challenge = altcha.create_challenge(
        ALGORITHM, COST, counter=COUNTERS[0] + secrets.randbelow(COUNTERS[1] - COUNTERS[0]),
        data={subject: subject_id, "expires": expires},
        hmac_secret=challenge_secret, hmac_key_secret=key_secret,
    )
    return challenge.to_dict()


def mode(db, event_id: int) -> str:
    row = db.execute("SELECT registration_mode FROM events WHERE id = ?", [event_id]).fetchone()
    if row is None:
        raise NotFound("no_event", id=event_id)
    return row[0]


def check_proof(db, event_id, proof, key: bytes, registration_mode: str | None = None) -> None:
    """Writes. Nothing for an event open to all; in proof-of-work mode, refuses unless
    ``proof`` (the widget's base64 payload) solves an unexpired challenge made for this event
    and not used before, then records it as used. ``registration_mode``: the event's, when the
    caller has just read it (``mode``)."""
    event_id = check.id(event_id)
    if (registration_mode or mode(db, event_id)) != "proof_of_work":
        return
    _use(db, proof, key, "event", event_id)


def new_call_challenge(key: bytes, call_id: int) -> dict:
    """A signed challenge for one call's proposal form (issue #14): like ``new_challenge``, naming
    the call instead of an event, so a solution for one is never good for the other."""
    return _challenge(key, "call", check.id(call_id))


def check_call_proof(db, call_id: int, proof, key: bytes) -> None:
    """Writes. A proposal always needs a proof: refuses unless ``proof`` solves an unexpired
    challenge made for this call and not used before, then records it as used."""
    _use(db, proof, key, "call", call_id)


def _use(db, proof: str, key: bytes, subject: str, subject_id: int) -> None:
    """Writes: checks a payload solves a challenge made for ``subject`` (event or call)
    ``subject_id``, unexpired and not used before, and records it as used."""
    if not proof:
        raise ValidationError("proof_required", field="proof")
    if not isinstance(proof, str) or len(proof) > PAYLOAD_MAX:
        raise ValidationError("proof_invalid", field="proof")
    challenge_secret, key_secret = _secrets(key)
    try:
        result = altcha.verify_solution(proof, challenge_secret, hmac_key_secret=key_secret)
    except Exception:  # a payload that is not one at all
        raise ValidationError("proof_invalid", field="proof") from None
    if not result.verified:
        raise ValidationError("proof_invalid", field="proof")
    # Signed, so these are the server's own values.
    payload = altcha.Payload.from_base64(proof)
    data = payload.challenge.parameters.data or {}
    expires, signature = data.get("expires"), payload.challenge.signature
    if data.get(subject) != subject_id or not isinstance(expires, int):
        raise ValidationError("proof_invalid", field="proof")
    now = clock.now()
    if expires <= now.timestamp():
        raise ValidationError("proof_expired", field="proof")
    db.execute("DELETE FROM used_proofs WHERE expires_at <= ?", [to_db_time(now)])
    if db.execute("SELECT 1 FROM used_proofs WHERE signature = ?", [signature]).fetchone():
        raise ValidationError("proof_used", field="proof")
    expires_at = to_db_time(datetime.fromtimestamp(expires, UTC))
    db.execute("INSERT INTO used_proofs (signature, expires_at) VALUES (?, ?)", [signature, expires_at])
