"""Accounts and sign-in: organizers and admins, scrypt password hashes, sessions.

A session token and a sign-in code are random; only their SHA-256 is stored. A session ends
after 12 hours without use; a sign-in code is good once, for two minutes (the sign-in route
swaps it for the session cookie a Streamlit page cannot set). Writing functions run inside
the caller's transaction.

Sign-in throttling (``LIMITS``): every wrong sign-in is a row of ``sign_in_failures`` (the email
as typed, the client's address, the time; never the password). Before a password is checked,
the failures under that email, and under that address, in the 15 minutes up to the latest one
decide whether the attempt must wait: from 5 failures of one email (20 of one address) the next
attempt waits 1 minute after the latest failure, from 10 (30 of one address) 15 minutes. So one
email gets at most 10 wrong guesses in any 15 minutes, one address at most 30. The email counts
whether or not an account has it, so a wait never tells whether an account exists. Failures
older than 30 days are deleted when a new one is written.
"""

from __future__ import annotations

import ipaddress
import math
import sqlite3
from dataclasses import dataclass
from datetime import timedelta

from .. import clock, security
from .. import validate as check
from ..codes import USER_ROLE_LABELS, USER_ROLES
from ..db import from_db_time, to_db_time
from ..errors import NotFound, ValidationError
from ..i18n import N_
from ..models import SignInFailure, User

SESSION_IDLE_LIMIT = timedelta(hours=12)
SIGN_IN_CODE_LIFETIME = timedelta(minutes=2)
SESSION_TOUCH_EVERY = timedelta(minutes=1)
PASSWORD_MIN, PASSWORD_MAX = 10, 1000


def check_password(password) -> str:
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise ValidationError("password_too_short", field="password")
    if len(password) > PASSWORD_MAX:
        raise ValidationError("password_too_long", field="password")
    return password


def add_user(db, *, email, name, password, role) -> int:
    """Writes a new account (the password hashed with scrypt, salted per user)."""
    email = check.email(email)
    name = check.text(name, "name", N_("Name"))
    role = check.choice(role, USER_ROLES, "role", N_("Role"), USER_ROLE_LABELS)
    hashed = security.hash_password(check_password(password))
    try:
        return db["users"].insert(
            {"email": email, "name": name, "role": role, "password_hash": hashed, "created_at": to_db_time(clock.now())}
        ).last_pk
    except sqlite3.IntegrityError:
        raise ValidationError("account_exists", field="email", email=email) from None


def set_password(db, user_id, password) -> None:
    """Writes the new hash and ends the account's sessions everywhere."""
    user = get_user(db, user_id)
    hashed = security.hash_password(check_password(password))
    db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [hashed, user.id])
    db.execute("DELETE FROM sessions WHERE user_id = ?", [user.id])


def remove_user(db, user_id) -> None:
    """Writes. The last admin cannot be removed."""
    user = get_user(db, user_id)
    if user.is_admin and db.execute("SELECT count(*) FROM users WHERE role = 'admin'").fetchone()[0] <= 1:
        raise ValidationError("last_admin")
    db.execute("DELETE FROM users WHERE id = ?", [user.id])


def get_user(db, user_id) -> User:
    row = db.execute("SELECT id, email, name, role FROM users WHERE id = ?", [check.id(user_id)]).fetchone()
    if row is None:
        raise NotFound("no_account", id=user_id)
    return User(**dict(row))


def list_users(db) -> list[User]:
    return [User(**dict(r)) for r in db.execute("SELECT id, email, name, role FROM users ORDER BY email").fetchall()]


def has_admin(db) -> bool:
    return db.execute("SELECT 1 FROM users WHERE role = 'admin' LIMIT 1").fetchone() is not None


def authenticate(db, email, password) -> User | None:
    """The user with this email and password, or None (also for unknown emails, in the same time)."""
    if not isinstance(email, str) or not isinstance(password, str):
        return None
    row = db.execute(
        "SELECT id, email, name, role, password_hash FROM users WHERE email = ?", [email.strip().lower()]
    ).fetchone()
    stored = row["password_hash"] if row else security.DUMMY_HASH
    if security.verify_password(password, stored) and row is not None:
        return User(row["id"], row["email"], row["name"], row["role"])
    return None


# ---------------------------------------------------------------------- sign-in throttling


@dataclass(frozen=True)
class Limit:
    """Failures of one key (``column``) in the last ``WINDOW`` before an attempt must wait:
    from ``slow_after`` it waits ``SHORT_WAIT`` after the latest failure, from ``lock_after``
    ``LOCKOUT``."""

    column: str
    slow_after: int
    lock_after: int


WINDOW = timedelta(minutes=15)
SHORT_WAIT = timedelta(minutes=1)
LOCKOUT = timedelta(minutes=15)
LIMITS = (Limit("email", slow_after=5, lock_after=10), Limit("address", slow_after=20, lock_after=30))
FAILURES_KEPT = timedelta(days=30)
EMAIL_KEY_MAX, ADDRESS_KEY_MAX = 254, 100  # the longest email address there can be; any address


def failure_keys(email, client) -> dict[str, str | None]:
    """What a failure is counted under: the email as typed (trimmed, lower case, as accounts are
    looked up) and the client's address; an IPv6 address counts as its /64, which one machine
    usually holds whole, an IPv4-mapped one as the IPv4 address. ``None``: no address known."""
    typed = email.strip().lower()[:EMAIL_KEY_MAX] if isinstance(email, str) else ""
    address = None
    if isinstance(client, str) and client.strip():
        try:
            ip = ipaddress.ip_address(client.strip())
        except ValueError:
            address = client.strip()[:ADDRESS_KEY_MAX]
        else:
            if ip.version == 6 and ip.ipv4_mapped is not None:
                ip = ip.ipv4_mapped
            address = str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)
    return {"email": typed, "address": address}


def sign_in_wait(db, keys: dict[str, str | None]) -> timedelta | None:
    """How long an attempt under these keys must still wait, or None. The failures are counted
    in the 15 minutes up to the latest one, so a lockout lasts its whole 15 minutes."""
    now = clock.now()
    until = now
    for limit in LIMITS:
        key = keys[limit.column]
        if key is None:
            continue
        where = f"FROM sign_in_failures WHERE {limit.column} = ? AND failed_at > ?"
        latest = db.execute(f"SELECT max(failed_at) {where}", [key, to_db_time(now - LOCKOUT)]).fetchone()[0]
        if latest is None:
            continue
        latest = from_db_time(latest)
        count = db.execute(f"SELECT count(*) {where}", [key, to_db_time(latest - WINDOW)]).fetchone()[0]
        if count >= limit.slow_after:
            until = max(until, latest + (LOCKOUT if count >= limit.lock_after else SHORT_WAIT))
    return until - now if until > now else None


def begin_sign_in(db, keys: dict[str, str | None]) -> int:
    """Writes the attempt as a failure before its password is checked (``forget_failure`` takes
    it back if the password was right), so the count and the new row are one check-then-write
    and the slow password check runs outside the write lock. Refuses an attempt that must wait,
    whether or not an account has this email, with the same sentence; that writes nothing."""
    wait = sign_in_wait(db, keys)
    if wait is not None:
        raise ValidationError("sign_in_throttled", wait=timedelta(minutes=math.ceil(wait / timedelta(minutes=1))))
    now = clock.now()
    db.execute("DELETE FROM sign_in_failures WHERE failed_at < ?", [to_db_time(now - FAILURES_KEPT)])
    return db["sign_in_failures"].insert({**keys, "failed_at": to_db_time(now)}).last_pk


def forget_failure(db, failure_id: int) -> None:
    """Writes: the attempt was right after all."""
    db.execute("DELETE FROM sign_in_failures WHERE id = ?", [failure_id])


def sign_in_failures(db, limit: int = 100) -> list[SignInFailure]:
    """The latest failed sign-ins, newest first."""
    rows = db.execute(
        "SELECT failed_at, email, address FROM sign_in_failures ORDER BY failed_at DESC, id DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [SignInFailure(from_db_time(r["failed_at"]), r["email"], r["address"]) for r in rows]


# ---------------------------------------------------------------------- sessions


def start_session(db, user_id) -> str:
    """Writes a new session; returns its token (only the hash is kept)."""
    user = get_user(db, user_id)
    token = security.new_token()
    now = to_db_time(clock.now())
    db["sessions"].insert(
        {"token_hash": security.token_hash(token), "user_id": user.id, "created_at": now, "last_seen_at": now}
    )
    return token


def session_row(db, token):
    """The session's user and when it was last used, or None."""
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    return db.execute(
        "SELECT u.id, u.email, u.name, u.role, s.last_seen_at FROM sessions s"
        " JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
        [security.token_hash(token)],
    ).fetchone()


def session_state(row) -> str:
    """"idle" (ended), "touch" (in use: note it), or "fresh" (noted less than a minute ago)."""
    idle = clock.now() - from_db_time(row["last_seen_at"])
    if idle > SESSION_IDLE_LIMIT:
        return "idle"
    return "touch" if idle > SESSION_TOUCH_EVERY else "fresh"


def touch_session(db, token: str) -> None:
    """Writes the session's last use."""
    db.execute("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?",
               [to_db_time(clock.now()), security.token_hash(token)])


def end_session(db, token) -> None:
    """Writes."""
    if token and isinstance(token, str):
        db.execute("DELETE FROM sessions WHERE token_hash = ?", [security.token_hash(token)])


def issue_sign_in_code(db, user_id) -> str:
    """Writes a single-use code, good for two minutes."""
    user = get_user(db, user_id)
    code = security.new_token()
    db.execute("DELETE FROM sign_in_codes WHERE expires_at < ?", [to_db_time(clock.now())])
    db["sign_in_codes"].insert(
        {"code_hash": security.token_hash(code), "user_id": user.id,
         "expires_at": to_db_time(clock.now() + SIGN_IN_CODE_LIFETIME)}
    )
    return code


def redeem_sign_in_code(db, code) -> str | None:
    """Writes: the code is used up, and a new session starts. None if unknown, used or expired."""
    if not code or not isinstance(code, str) or len(code) > 200:
        return None
    row = db.execute(
        "SELECT user_id, expires_at FROM sign_in_codes WHERE code_hash = ?", [security.token_hash(code)]
    ).fetchone()
    db.execute("DELETE FROM sign_in_codes WHERE code_hash = ?", [security.token_hash(code)])
    if row is None or from_db_time(row["expires_at"]) < clock.now():
        return None
    return start_session(db, row["user_id"])
