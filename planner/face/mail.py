"""The Planner's email methods (issue #10): the outbox, delivering it, "email me my private
link", organizers' messages to their guests, each guest's choice to hear from them, and the
confirmed-by-email mode (its places held and its links).

Messages are written to the outbox by the changes that cause them, in their transactions
(``planner.py`` calls ``areas/outbox.py``); here they are read, rendered (``mail/render.py``)
and handed to SMTP (``mail/transport.py``) after that transaction has committed, one claimed
batch at a time, so a slow or absent mail server never holds a page or the database.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from email.message import EmailMessage
from typing import Iterable

from .. import clock
from .. import validate as check
from ..access import SYSTEM, Actor
from ..areas import audit, events, holds, outbox, recovery, registrations, ticket_codes
from ..codes import MESSAGE_AUDIENCE_LABELS, MESSAGE_AUDIENCES, OUTBOX_STATUS_LABELS, OUTBOX_STATUSES
from ..errors import ValidationError
from ..i18n import N_, current
from ..models import PendingConfirmation, Registration
from ..mail import render
from ..ratelimit import ClientKey, LinkRequestLimiter
from . import staff_only

log = logging.getLogger(__name__)
SUBJECT_MAX = 200
BODY_MAX = 20_000


class MailMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    def _init_mail(self, smtp) -> None:
        self.smtp = smtp  # mail.transport.SmtpSettings, or None: messages wait in the outbox
        self._link_limiter = LinkRequestLimiter()
        self.outbox_wakeup = threading.Event()  # set when a change wrote messages: the sender wakes
        self._worker = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"

    @property
    def mail_sender(self) -> render.Sender:
        s = self.smtp
        return render.Sender(address=s.from_address if s else self.contact_email,
                             name=(s.from_name if s else "") or str(N_("Side Event Planner")),
                             base_url=self.base_url, reply_to=s.reply_to if s else None)

    @property
    def _domain(self) -> str:
        return self.mail_sender.domain

    def _wrote_mail(self) -> None:
        self.outbox_wakeup.set()

    # ------------------------------------------------------------------ the outbox

    @staff_only
    def outbox(self, event_id: int | None = None, status: str | None = None, *,
               actor: Actor = SYSTEM) -> list[outbox.OutboxMessage]:
        """Messages written so far (of one event and/or status: ``codes.OUTBOX_STATUSES``), oldest first."""
        if status is not None:
            status = check.choice(status, OUTBOX_STATUSES, "status", N_("Status"), OUTBOX_STATUS_LABELS)
        return self._read(outbox.listing, None if event_id is None else check.id(event_id), status)

    @staff_only
    def outbox_counts(self, event_id: int | None = None, batch: str | None = None, *,
                      actor: Actor = SYSTEM) -> dict[str, int]:
        """How many messages are waiting, sending, sent, failed and skipped (of one event or batch)."""
        return self._read(lambda db: outbox.counts(db, event_id=event_id, batch=batch))

    @staff_only
    def undelivered(self, event_id: int, *, actor: Actor = SYSTEM) -> dict[int, str]:
        """Registrations of an event whose latest message the mail server refused for good
        (registration id → the server's reason), for the registrations page."""
        return self._read(outbox.undelivered, check.id(event_id))

    @staff_only
    def outbox_eml(self, message_id: int, *, actor: Actor = SYSTEM) -> bytes:
        """One message as an ``.eml`` file, rendered as it would be sent now (from the latest
        state of its event and registration), for organizers without a mail server to forward
        or check. A message that no longer applies renders with a note saying why."""
        with self._db.read() as db:
            row = outbox.get(db, check.id(message_id))
            rendered = render.render(row, self._situation(db, row), self.mail_sender)
        if rendered.message is None:
            note = EmailMessage()
            note["Subject"] = f"(not sent: {rendered.skip_reason})"
            note["To"] = row.recipient
            note.set_content(rendered.skip_reason + "\n")
            return bytes(note)
        return bytes(rendered.message)

    def _situation(self, db, row) -> render.Situation:
        event = registration = token = None
        if row.event_id is not None:
            event = events.get_event(db, row.event_id)
        if row.registration_id is not None:
            registration = registrations.by_id(db, row.registration_id)
            token = registrations.private_token(db, registration.id, self._checkin_key)
        extra = {}
        if row.kind == "private_link":
            found = []
            for registration_id in row.data.get("registration_ids", []):
                r = registrations.by_id(db, registration_id)
                if r.status != "cancelled":
                    found.append((events.get_event(db, r.event_id), r,
                                  registrations.private_token(db, r.id, self._checkin_key)))
            extra["registrations"] = found
        if row.kind == "confirm_email":
            hold = holds.get(db, row.data.get("hold_id"))
            if hold is not None:
                extra["hold"] = hold
                extra["confirm_token"] = ticket_codes.hold_token(self._checkin_key, hold["id"])
        extra.update(self._reconfirm_extra(db, row))  # "Still coming?" and its release (face/reconfirm.py)
        extra.update(self._sign_on_extra(db, row))  # sign-on and speaker requests (face/sign_on.py)
        extra.update(self._proposal_extra(db, row))  # news to a proposer (face/proposals.py, issue #14)
        history = outbox.calendar_history(db, row.recipient, row.event_id) if row.event_id else (None, -1)
        return render.Situation(event, registration, token, history, extra)

    def deliver_outbox(self, limit: int | None = None, *, transport=None) -> dict[str, int]:
        """One pass of the sender: writes the reminders now due, then claims the messages due
        (at most ``limit``), renders and sends each through ``transport`` (default: SMTP from
        the settings; ``ConfigurationError`` without them) and records the outcome. Returns
        counts: ``sent``, ``retrying``, ``failed``, ``skipped``. Safe to run in several
        processes at once: each message is claimed by one."""
        from ..mail.transport import (MAX_ATTEMPTS, PermanentFailure, SmtpTransport, TemporaryFailure,
                                      retry_delay)

        own = transport is None
        if own:
            if self.smtp is None:
                from ..errors import ConfigurationError

                raise ConfigurationError("smtp_not_configured")
            transport = SmtpTransport(self.smtp)
        done = {"sent": 0, "retrying": 0, "failed": 0, "skipped": 0}
        seen: set[int] = set()
        try:
            while limit is None or sum(done.values()) < limit:
                batch = 50 if limit is None else min(50, limit - sum(done.values()))
                with self._db.write() as db:
                    outbox.schedule_reminders(db, clock.now(), domain=self._domain)
                    self._release_holds(db)
                    self._reconfirm_pass(db)  # "Still coming?" requests due, and places released
                    claimed = outbox.claim(db, self._worker, batch, clock.now())
                claimed = [row for row in claimed if row.id not in seen]  # once per pass, whatever happens
                if not claimed:
                    break
                seen.update(row.id for row in claimed)
                for row in claimed:
                    done[self._deliver_one(row, transport, PermanentFailure, TemporaryFailure, retry_delay,
                                           MAX_ATTEMPTS)] += 1
        finally:
            if own:
                transport.close()
        return done

    def _release_holds(self, db) -> None:
        """Inside the caller's transaction: places held for a confirmation by email that lapsed
        are released, and each freed seat goes to the first person waiting, who is told."""
        moved: list[int] = []
        for event_id in holds.release(db, clock.now()):
            moved += registrations.promote(db, event_id)
        self._moved_up(db, moved)

    def _deliver_one(self, row, transport, PermanentFailure, TemporaryFailure, retry_delay, max_attempts) -> str:
        try:
            with self._db.read() as db:
                rendered = render.render(row, self._situation(db, row), self.mail_sender)
        except Exception as err:  # a message that cannot be written must not stop the others
            log.exception("could not render outbox message %s", row.id)
            reason = f"could not be written: {err}"
            self._write(lambda db: outbox.mark_failed(db, row.id, self._worker, reason))
            return "failed"
        if rendered.message is None:
            self._write(lambda db: outbox.mark_skipped(db, row.id, self._worker, rendered.skip_reason))
            return "skipped"
        try:
            transport.send(rendered.message)
        except PermanentFailure as err:
            reason = err.reason
            self._write(lambda db: outbox.mark_failed(db, row.id, self._worker, reason))
            return "failed"
        except TemporaryFailure as err:
            reason, attempts = err.reason, row.attempts + 1
            if attempts >= max_attempts:
                self._write(lambda db: outbox.mark_failed(db, row.id, self._worker, reason))
                return "failed"
            next_at = clock.now() + retry_delay(attempts)
            self._write(lambda db: outbox.mark_retry(db, row.id, self._worker, reason, next_at))
            return "retrying"
        self._write(lambda db: outbox.mark_sent(db, row.id, self._worker, rendered.ical_method,
                                                rendered.ical_sequence))
        return "sent"

    # ------------------------------------------------------------------ recovery

    def send_private_link(self, email: str, event_id: int | None = None, *, client: ClientKey | None = None) -> None:
        """"Email me my private link": if ``email`` holds registrations (of ``event_id``, else of
        any event), one message lists their private links. Returns nothing and takes the same
        path either way, so the answer tells nobody whether an address is registered. With
        ``client`` (pages pass theirs) the per-client limits apply (``TooManyRequests``); an
        inbox gets at most three such messages an hour, silently."""
        if event_id is not None:
            event_id = check.id(event_id)
        if client is not None:
            self._link_limiter.hit(client)
        language = current()
        with self._db.write(failed="link_request_failed") as db:
            recovery.request_links(db, email, event_id, clock.now(), language=language, domain=self._domain)
        self._wrote_mail()

    # ------------------------------------------------------------------ confirmed by email

    def _hold_place(self, db, event_id, *, name, email, organization, needs, admit, language,
                    **answered) -> PendingConfirmation:
        """``register`` for an event confirmed by email, inside its transaction (``areas/holds.py``)."""
        self._release_holds(db)  # lapsed holds free their seats before this one is counted
        holds.request(db, event_id, name=name, email=email, organization=organization, needs=needs, admit=admit,
                      language=language, checkin_key=self._checkin_key, domain=self._domain, **answered)
        return PendingConfirmation(check.id(event_id))

    def confirm_registration(self, confirm_token: str) -> Registration:
        """The link of a "confirm your place" message (confirmed-by-email mode) makes the
        registration its place was held for: confirmed if the held seat is still there (or one
        is free and nobody waits), else on the waiting list, with its message in the outbox;
        the registration comes back with its ``manage_token``. Opening the link again gives
        the same registration back and writes nothing. A lapsed, unknown or garbled link
        raises ``NotFound("confirm_link_expired")``; an event closed meanwhile
        ``ValidationError``; both write nothing."""
        with self._db.write(failed="registration_write_failed") as db:
            done, created = holds.confirm(db, confirm_token, self._checkin_key)
            if created:
                outbox.registered(db, done.id, done.status, domain=self._domain)
        if created:
            self._wrote_mail()
        return done

    # ------------------------------------------------------------------ guests' choices

    def set_messages(self, manage_token: str, on: bool) -> "registrations.Registration":
        """The guest's choice (from their private page): reminders and organizers' messages on
        or off. Confirmations and changes to the event always go out."""
        if not isinstance(on, bool):
            raise ValidationError("not_a_choice", field="messages", value=str(on), label=N_("Messages"),
                                  choices=N_("yes or no"))

        def write(db):
            registration = registrations.by_token(db, manage_token)
            db.execute("UPDATE registrations SET messages_off = ? WHERE id = ?", [0 if on else 1, registration.id])
            if not on:
                outbox.drop_waiting(db, registration_id=registration.id, kinds=("reminder", "organizer_message"))
            return registrations.by_token(db, manage_token)
        return self._write(write)

    # ------------------------------------------------------------------ organizers' messages

    def _check_message(self, subject, body) -> tuple[str, str]:
        subject = check.text(subject, "subject", N_("Subject"), max_length=SUBJECT_MAX)
        body = check.long_text(body, "body", N_("Message"), BODY_MAX)
        if not body.strip():
            raise ValidationError("message_body", field="body")
        return subject, body

    def _audience(self, to) -> set[str]:
        audience = {check.choice(t, MESSAGE_AUDIENCES, "to", N_("Send to"), MESSAGE_AUDIENCE_LABELS) for t in to}
        if not audience:
            raise ValidationError("no_audience", field="to")
        return audience

    @staff_only
    def message_reach(self, event_id: int, to: Iterable[str] = ("confirmed",), *, actor: Actor = SYSTEM) -> int:
        """How many people a message to ``to`` would reach now (each once), as ``message_guests``
        chooses them: with an address, messages not turned off (writes nothing)."""
        audience = self._audience(to)
        return self._read(lambda db: len(outbox.audience(db, events.get_event(db, event_id).id, audience)))

    @staff_only
    def message_guests(self, event_id: int, subject: str, body: str, to: Iterable[str] = ("confirmed",), *,
                       actor: Actor = SYSTEM) -> str:
        """Write one message (subject, Markdown body) to the chosen guests of an event:
        ``to`` holds "confirmed", "waitlisted" and/or "checked_in". Guests who turned messages
        off are left out. Returns the batch id (``outbox_counts(batch=…)`` follows its delivery)."""
        subject, body = self._check_message(subject, body)
        audience = self._audience(to)
        batch = secrets.token_hex(8)
        with self._db.write() as db:
            event = events.get_event(db, event_id)
            ids = outbox.audience(db, event.id, audience)
            if not ids:
                raise ValidationError("no_recipients", field="to")
            for registration_id in ids:
                row = db.execute("SELECT email, name, language FROM registrations WHERE id = ?",
                                 [registration_id]).fetchone()
                outbox.enqueue(db, "organizer_message", recipient=row["email"], recipient_name=row["name"],
                               event_id=event.id, registration_id=registration_id, language=row["language"],
                               data={"subject": subject, "body": body}, batch=batch, domain=self._domain)
            audit.record(db, actor, "guests_messaged", event_id=event.id, subject=batch, recipients=len(ids),
                         to=sorted(audience, key=MESSAGE_AUDIENCES.index), message_subject=subject)
        self._wrote_mail()
        return batch

    @staff_only
    def preview_guest_message(self, event_id: int, subject: str, body: str, *,
                              actor: Actor = SYSTEM) -> EmailMessage:
        """The message as a guest will get it (with a sample private link), written nowhere."""
        subject, body = self._check_message(subject, body)
        with self._db.read() as db:
            event = events.get_event(db, event_id)
        row = outbox.OutboxMessage(
            id=0, kind="organizer_message", event_id=event.id, registration_id=None, recipient="guest@example.org",
            recipient_name=str(N_("Guest")), language=current(), data={"subject": subject, "body": body},
            status="waiting", attempts=0, next_attempt_at=clock.now(), last_error=None,
            message_id=outbox.new_message_id(self._domain), created_at=clock.now(), sent_at=None)
        sample = registrations.Registration(
            id=0, event_id=event.id, name=str(N_("Guest")), email="guest@example.org", organization="", needs="",
            status="confirmed", position=None, created_at=clock.now(), updated_at=clock.now(), language=current())
        situation = render.Situation(event, sample, "sample-private-link-token-000")
        with_footer = render.render(row, situation, self.mail_sender)
        return with_footer.message

    @staff_only
    def send_test_message(self, event_id: int, subject: str, body: str, to_email: str, *,
                          actor: Actor = SYSTEM) -> int:
        """The message to ``to_email`` only (the organizer's own address), marked as a test."""
        subject, body = self._check_message(subject, body)
        to_email = check.email(to_email, "to_email")
        with self._db.write() as db:
            event = events.get_event(db, event_id)
            message_id = outbox.enqueue(db, "test", recipient=to_email, event_id=event.id, language=current(),
                                        data={"subject": subject, "body": body}, domain=self._domain)
        self._wrote_mail()
        return message_id
