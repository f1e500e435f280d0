"""The "confirm your place" message of the confirmed-by-email mode (``areas/holds.py``).

Rendered like the other messages (``render.render``, in the recipient's language, when it is
sent) from the hold it names: its link is derived from the hold's id with the server's key
(``ticket_codes.hold_token``, computed in ``face/mail.py``'s ``_situation``), so the outbox row
holds no secret. A hold that was released or confirmed before the message went out is not
sent. No calendar part: nothing is booked until the link is opened.
"""

from __future__ import annotations

from urllib.parse import urlencode

from .. import clock
from ..i18n import _
from . import render


def confirm_url(base_url: str, token: str, language: str) -> str:
    """The link that confirms a held place: the ``/confirm`` page, in the recipient's language."""
    query = {"t": token, **({"lang": language} if language != "en" else {})}
    return f"{base_url.rstrip('/')}/confirm?{urlencode(query)}"


def confirm_email_content(row, s: render.Situation, sender: render.Sender) -> render.Content | str:
    """The message's pieces, or the reason it is no longer worth sending."""
    hold, token, event = s.extra.get("hold"), s.extra.get("confirm_token"), s.event
    if hold is None or token is None:
        return "the place is no longer held (it lapsed and was released)"
    if hold["registration_id"] is not None:
        return "the place was confirmed already"
    if hold["expires_at"] <= clock.now():
        return "the place is no longer held (it lapsed)"
    if event is None or event.status != "published":
        return "the event no longer takes registrations"
    title = event.title
    if hold["seat"]:
        paragraphs = [
            _("We are holding a place for you at {title} for 30 minutes. Open the link below to confirm it; "
              "after that, the place goes to the next person.").format(title=title),
        ]
        link = _("Confirm my place")
    else:
        paragraphs = [
            _("{title} is full. Open the link below within 30 minutes to confirm your registration: you will join "
              "the waiting list, and move up by yourself when a place frees up.").format(title=title),
        ]
        link = _("Confirm and join the waiting list")
    c = render.Content(
        subject=_("Confirm your place: {title}").format(title=title), paragraphs=paragraphs,
        details=[(_("When"), render._when(event)), (_("Where"), render._where(event))],
        links=[(link, confirm_url(sender.base_url, token, row.language))],
    )
    c.footer.append(_("If you did not register, ignore this message: nothing happens."))
    return c
