"""Accounts and sign-in, the Planner's part: admins manage accounts; anyone may sign in."""

from __future__ import annotations

from .. import access
from .. import validate as check
from ..access import PUBLIC, SYSTEM, Actor
from ..areas import accounts, audit
from ..models import SignInFailure, User
from . import admin_only


class AccountMethods:
    @admin_only
    def add_user(self, *, email: str, name: str, password: str, role: str = "organizer", actor: Actor = SYSTEM) -> User:
        fields = dict(email=email, name=name, password=password, role=role)
        with self._db.write() as db:
            user = accounts.get_user(db, accounts.add_user(db, **fields))
            audit.record(db, actor, "user_added", subject=user.email, name=user.name, role=user.role)
            return user

    def set_password(self, user_id: int, password: str, *, actor: Actor = SYSTEM) -> None:
        """A new password (admins, or the account itself); its sessions end."""
        if actor.user is None or actor.user.id != check.id(user_id):
            access.require_admin(actor)
        with self._db.write() as db:
            accounts.set_password(db, user_id, password)
            audit.record(db, actor, "password_set", subject=accounts.get_user(db, user_id).email)  # never the password

    @admin_only
    def remove_user(self, user_id: int, *, actor: Actor = SYSTEM) -> None:
        """Delete an account (and sign it out everywhere). The last admin cannot be removed."""
        with self._db.write() as db:
            user = accounts.get_user(db, user_id)
            accounts.remove_user(db, user.id)
            audit.record(db, actor, "user_removed", subject=user.email, name=user.name, role=user.role)

    def get_user(self, user_id: int) -> User:
        return self._read(accounts.get_user, user_id)

    @admin_only
    def list_users(self, *, actor: Actor = SYSTEM) -> list[User]:
        return self._read(accounts.list_users)

    def has_admin(self) -> bool:
        return self._read(accounts.has_admin)

    def authenticate(self, email: str, password: str, *, client: str | None = None) -> User | None:
        """The user with this email and password, or None (also for unknown emails): the answer.

        The one refusal: ``ValidationError("sign_in_throttled", wait=timedelta)`` when too many
        wrong sign-ins of this email, or from this ``client`` address (the page passes the
        browser's), ask it to wait; the password is then not checked at all, and the answer is
        the same whether or not an account has this email. A wrong answer is recorded (email as
        typed, address, time) before the password is checked; a right one takes it back.
        """
        keys = accounts.failure_keys(email, client)
        attempt = self._write(accounts.begin_sign_in, keys)
        user = self._read(accounts.authenticate, email, password)  # scrypt, outside the write lock
        if user is not None:
            self._write(accounts.forget_failure, attempt)
        else:  # the failure row stays: the audit log says so too (the email as typed, never the password)
            self._write(lambda db: audit.record(db, PUBLIC, "sign_in_failed", subject=keys["email"], client=client))
        return user

    @admin_only
    def sign_in_failures(self, *, actor: Actor = SYSTEM) -> list[SignInFailure]:
        """The latest 100 failed sign-ins, newest first (admins)."""
        return self._read(accounts.sign_in_failures)

    def start_session(self, user_id: int) -> str:
        """A new sign-in session; the token goes in an HttpOnly cookie, only its hash is kept."""
        return self._write(accounts.start_session, user_id)

    def session_user(self, token: str | None) -> User | None:
        """Who is signed in with this token, or None (unknown, or idle over 12 hours)."""
        row = self._read(accounts.session_row, token)
        if row is None:
            return None
        state = accounts.session_state(row)
        if state != "fresh":  # note the use (at most once a minute), or end an idle session
            self._write(accounts.end_session if state == "idle" else accounts.touch_session, token)
        return None if state == "idle" else User(row["id"], row["email"], row["name"], row["role"])

    def end_session(self, token: str | None) -> None:
        self._write(accounts.end_session, token)

    def issue_sign_in_code(self, user_id: int) -> str:
        """A single-use code, valid two minutes, that the sign-in route swaps for a session cookie."""
        return self._write(accounts.issue_sign_in_code, user_id)

    def redeem_sign_in_code(self, code: str | None) -> str | None:
        """Swap a sign-in code for a new session token; None if unknown, used or expired."""
        return self._write(accounts.redeem_sign_in_code, code)
