"""The Planner's sign-on and speaker-confirmation methods (issue #14; ``areas/sign_on.py`` holds
the rules and says why, ``images.py`` how logos and photos are judged and kept).

A picture is judged and made into our own file before the write transaction (decoding is slow
and must not hold the write lock), written to the data folder, then named in the transaction;
if the transaction refuses (the answer can no longer change, the link is unknown) the file is
removed again, so a refused call keeps nothing. A picture an answer replaced is removed after
the commit."""

from __future__ import annotations

from .. import images
from .. import validate as check
from ..access import SYSTEM, Actor
from ..areas import events, sign_on, ticket_codes
from ..i18n import current as current_language
from . import staff_only


class SignOnMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    def _sign_on_token(self, contact_id: int) -> str:
        return ticket_codes.sign_on_token(self._checkin_key, contact_id)

    def _speaker_token(self, request_id: int) -> str:
        return ticket_codes.speaker_token(self._checkin_key, request_id)

    # ------------------------------------------------------------------ organizers

    @staff_only
    def request_sign_on(self, event_id: int, organization: str, email: str, *, role: str | None = None,
                        actor: Actor = SYSTEM) -> sign_on.OrganizationSignOn:
        """Ask ``organization`` (by name, as on the event; in ``role`` when it has several) to
        sign on, by email to ``email``: its contact's link lists every request of the
        organization sent to that address. Sent again if it waits for an answer (at most once an
        hour); asking another address starts over. Until answered the organization is "pending"
        and public outputs leave it out (or mark it "invited": ``set_show_invited``).
        ``ValidationError``: ``sign_on_closed`` (the event ended or was cancelled),
        ``sign_on_no_organization``, ``sign_on_not_pending`` (that address answered),
        ``sign_on_remind_too_soon``, a bad email; ``NotFound`` for an unknown event."""
        with self._db.write() as db:
            done = sign_on.request(db, event_id, organization, email, role=role, token_for=self._sign_on_token,
                                   domain=self._domain, language=current_language(), actor=actor)
        self._wrote_mail()
        return done

    @staff_only
    def remind_sign_on(self, event_id: int, organization: str, *, role: str | None = None,
                       actor: Actor = SYSTEM) -> sign_on.OrganizationSignOn:
        """Send a pending sign-on request again to the same contact. ``ValidationError``:
        ``sign_on_no_request``, ``sign_on_not_pending``, ``sign_on_remind_too_soon``,
        ``sign_on_closed``, ``sign_on_no_organization``."""
        with self._db.write() as db:
            done = sign_on.request(db, event_id, organization, None, role=role, token_for=self._sign_on_token,
                                   domain=self._domain, language=current_language(), actor=actor, remind=True)
        self._wrote_mail()
        return done

    @staff_only
    def request_speaker_confirmation(self, event_id: int, person_id: int, *, email: str | None = None,
                                     actor: Actor = SYSTEM) -> sign_on.SpeakerSignOn:
        """Ask a speaker of the event (``Speaker.person_id``) to confirm, by email to ``email``
        (default: the speaker's own). Until they answer they are "pending" and public outputs
        leave them out. Sent again if pending (at most once an hour). ``ValidationError``:
        ``sign_on_closed``, ``sign_on_no_speaker``, ``speaker_no_email``,
        ``sign_on_not_pending``, ``sign_on_remind_too_soon``, a bad email."""
        with self._db.write() as db:
            done = sign_on.request_speaker(db, event_id, person_id, email, token_for=self._speaker_token,
                                           domain=self._domain, language=current_language(), actor=actor)
        self._wrote_mail()
        return done

    @staff_only
    def remind_speaker(self, event_id: int, person_id: int, *, actor: Actor = SYSTEM) -> sign_on.SpeakerSignOn:
        """Send a speaker's pending request again (refusals as ``remind_sign_on``)."""
        with self._db.write() as db:
            done = sign_on.request_speaker(db, event_id, person_id, None, token_for=self._speaker_token,
                                           domain=self._domain, language=current_language(), actor=actor,
                                           remind=True)
        self._wrote_mail()
        return done

    @staff_only
    def sign_on_status(self, event_id: int, *, actor: Actor = SYSTEM) -> sign_on.SignOnStatus:
        """Per organization and speaker of the event: added without asking ("vouched"), asked
        and not answered ("pending"), "confirmed" or "declined", with the contact's address,
        when asked and reminded, and what they gave (display name, logo, bio, photo, ID name,
        attendance, language). ``NotFound`` for an unknown event."""
        return self._read(lambda db: sign_on.status_of(db, events.get_event(db, event_id)))

    @staff_only
    def set_show_invited(self, event_id: int, show: bool, *, actor: Actor = SYSTEM) -> bool:
        """Show the organizations asked that have not answered on public pages, marked
        "invited" (never as confirmed); off by default. Calendar files never name them."""
        return self._write(lambda db: sign_on.set_show_invited(db, event_id, show, actor))

    # ------------------------------------------------------------------ the contact's and speaker's links

    def sign_on(self, token: str) -> sign_on.SignOn:
        """What a sign-on link shows: the organization, the contact's address and every request
        of that organization sent to it whose event has not ended or been cancelled (answered
        ones too, with ``changeable``). ``NotFound("sign_on_link_unknown")`` for any other token
        (a registration's, a speaker's, a check-in code)."""
        return self._read(sign_on.sign_on, token)

    def answer_sign_on(self, token: str, request_id: int, *, confirm: bool, display_name: str = "",
                       logo: bytes | None = None) -> sign_on.SignOnRequest:
        """The contact's answer to one of their requests: ``confirm`` yes or no, the name to
        display (default: the organization's) and a logo (PNG, JPEG or SVG bytes; kept as our own
        PNG, see ``images.py``; None keeps the one given before). Answers can change until the
        event is published. ``NotFound("sign_on_link_unknown")``; ``ValidationError``:
        ``sign_on_not_yours``, ``sign_on_closed``, ``sign_on_answered``, the picture's
        (``image_too_large``, ``image_not_an_image``, ``svg_unsafe`` …): nothing is kept then."""
        name = None
        if logo is not None and confirm is True:
            content, extension = images.prepare(logo, "logo")
            self._read(sign_on.sign_on, token)  # an unknown link keeps no file, not even for a moment
            name = images.store(self.path.parent, content, extension, "logo")
        try:
            with self._db.write() as db:
                done, replaced = sign_on.answer(db, token, request_id, confirm, display_name, name)
        except BaseException:
            images.remove(self.path.parent, name)
            raise
        images.remove(self.path.parent, replaced)
        return done

    def speaker_request(self, token: str) -> sign_on.SpeakerRequest:
        """What a speaker's link shows: the event, their role, their answer so far and whether it
        can still change. ``NotFound("speaker_link_unknown")`` for any other token."""
        return self._read(sign_on.speaker_request, token)

    def answer_speaker(self, token: str, *, confirm: bool, bio: str = "", photo: bytes | None = None,
                       id_name: str = "", attendance: str | None = None, speaks: str = ""
                       ) -> sign_on.SpeakerRequest:
        """The speaker's answer: ``confirm`` yes or no; when yes, how they take part
        (``attendance``: "in_person", "remote", "video"; required), their name as on the ID
        document (required in person: the host's security list), a short ``bio`` (≤ 1,000
        characters), the language they speak in (``speaks``) and a ``photo`` (PNG or JPEG,
        resized; None keeps the one given before). Changeable until the event is published.
        ``NotFound("speaker_link_unknown")``; ``ValidationError``: ``speaker_attendance_needed``,
        ``speaker_id_name_needed``, ``sign_on_closed``, ``sign_on_answered``, the photo's."""
        answer = sign_on.check_speaker_answer(confirm, bio, id_name, attendance, speaks)
        name = None
        if photo is not None and confirm is True:
            content, extension = images.prepare(photo, "photo")
            self._read(sign_on.speaker_request, token)
            name = images.store(self.path.parent, content, extension, "photo")
        try:
            with self._db.write() as db:
                done, replaced = sign_on.answer_speaker(db, token, answer, name)
        except BaseException:
            images.remove(self.path.parent, name)
            raise
        images.remove(self.path.parent, replaced)
        return done

    def picture(self, name: str) -> bytes:
        """A logo's or speaker photo's file (PNG or JPEG) by the name an ``EventOrganization.logo``
        or ``Speaker.photo`` gives; ``NotFound`` for any other name."""
        return images.read(self.path.parent, name)

    # ------------------------------------------------------------------ messages

    def _sign_on_extra(self, db, row) -> dict:
        """What a ``sign_on`` or ``speaker_request`` message is written from (``mail/sign_on.py``)."""
        if row.kind not in ("sign_on", "speaker_request"):
            return {}
        return sign_on.message_extra(db, row, self._sign_on_token, self._speaker_token)


def request_sign_ons_for(planner, db, event_id: int, entries, *, actor: Actor = SYSTEM):
    """For another area's Planner method (the call for proposals accepting one), inside its
    transaction: ``areas.sign_on.request_sign_ons_for`` with this Planner's link key and mail
    domain. ``entries``: ``(organization name, role, email)``."""
    return sign_on.request_sign_ons_for(db, check.id(event_id), entries, token_for=planner._sign_on_token,
                                        domain=planner._domain, language=current_language(), actor=actor)
