"""Check-in codes: what a ticket's QR code carries, and how a typed code is read back.

A code is an HMAC of the registration's id under a server key kept beside the database
(``checkin.key``, made on first run, readable only by its owner), truncated to 80 bits and
written in Crockford's base32: 16 characters, no I, L, O or U, so it survives being read
aloud or typed on a phone. It is unforgeable without the key, and it is not the private
link's token: a photographed QR code lets someone in once, but never shows, changes or
cancels the registration.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..errors import ConfigurationError

KEY_FILE_NAME = "checkin.key"
CODE_LENGTH = 16  # 80 bits
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_FROM_RFC4648 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", _CROCKFORD)
# What people type instead: lower case, O for zero, I or L for one. Separators are ignored:
# any white space (a phone's no-break space too), any dash (a keyboard's "smart" en dash),
# underscores and dots.
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\u00ad\u2010-\u2015\u2212\ufe58\ufe63\uff0d_.-]")
_VALID = re.compile(f"[{_CROCKFORD}]{{{CODE_LENGTH}}}")


def load_key(folder: Path, name: str = KEY_FILE_NAME, damaged: str = "checkin_key_damaged") -> bytes:
    """The server's check-in key (or another key file ``name``), created (0600) on first use;
    a damaged file stops the server with the refusal code ``damaged``.

    Several processes may start at once on a new data folder: the key is written whole to a
    private temporary file and linked into place, so a reader never sees half a key, and the
    loser of the race reads the winner's key."""
    path = folder / name
    try:
        return _read_key(path, damaged)
    except FileNotFoundError:
        pass
    key = secrets.token_bytes(32)
    temporary = folder / f".{name}.{os.getpid()}.{secrets.token_hex(6)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(key.hex())
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return _read_key(path, damaged)
        return key
    finally:
        os.unlink(temporary)


def _read_key(path: Path, damaged: str) -> bytes:
    try:
        key = bytes.fromhex(path.read_text().strip())
    except ValueError:
        key = b""
    if len(key) < 32:
        raise ConfigurationError(damaged, path=str(path))
    return key


def code_for(key: bytes, registration_id: int) -> str:
    digest = hmac.new(key, f"registration:{registration_id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:10]).decode().translate(_FROM_RFC4648)


def link_token(key: bytes, registration_id: int) -> str:
    """The registration's private link token: the HMAC of its id under the server's key, with
    a label of its own (so it is never the check-in code), URL-safe, 256 bits. Derived rather
    than stored, so a message sent later (a move up the waiting list, a reminder, "email me
    my link") can carry it while the database keeps only its SHA-256."""
    digest = hmac.new(key, f"private-link:{registration_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def hold_token(key: bytes, hold_id: int) -> str:
    """The token of the link that confirms a place held for an address (confirmed-by-email
    mode): like ``link_token``, with a label of its own, so it is neither a private link nor
    a check-in code. Hold ids are never used twice (migration 8)."""
    digest = hmac.new(key, f"confirm-hold:{hold_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def reconfirm_token(key: bytes, registration_id: int) -> str:
    """The token of a guest's "Still coming?" links (issue #12): like ``link_token``, with a label
    of its own, so it is neither the private link nor a check-in code and answers for this one
    registration only. The answer travels beside it (``a=yes|no``) and is chosen on the page."""
    digest = hmac.new(key, f"still-coming:{registration_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def proposal_token(key: bytes, proposer_id: int) -> str:
    """The token of a proposer's private link to their proposal (issue #14): like ``link_token``,
    with a label of its own, so it is neither a registration's private link, a door's link nor a
    check-in code, and follows one proposer only. Proposer ids are never used twice."""
    digest = hmac.new(key, f"proposal:{proposer_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def normalize(scanned) -> str | None:
    """The code in what the door received — the QR code's URL, the bare code, or a typed
    one — or None when it cannot be a code at all."""
    if not isinstance(scanned, str) or len(scanned) > 2000:
        return None
    text = scanned.strip()
    if "code=" in text:
        values = parse_qs(urlsplit(text).query).get("code") or parse_qs(text.split("?", 1)[-1]).get("code")
        text = values[0] if values else ""
    text = _SEPARATORS.sub("", text).upper().translate(_TYPED)
    return text if _VALID.fullmatch(text) else None


def sign_on_token(key: bytes, contact_id: int) -> str:
    """The token of an organization's contact's sign-on link (issue #14): like ``link_token``,
    with a label of its own, so it is no private link, check-in code or speaker link, and opens
    only that contact's requests. Contact ids are never used twice (AUTOINCREMENT)."""
    digest = hmac.new(key, f"sign-on:{contact_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def speaker_token(key: bytes, request_id: int) -> str:
    """The token of a speaker's confirmation link (issue #14), for that one request."""
    digest = hmac.new(key, f"speaker-request:{request_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
