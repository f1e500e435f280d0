"""The sign-on request to an organization's contact and the confirmation request to a speaker
(issue #14, ``areas/sign_on.py``).

Rendered like the others (``render.render``, in the language of the organizer who asked, when
sent). The link carries the contact's or the speaker's own token, derived in
``face/sign_on.py`` so the outbox row holds no secret; the page it opens asks before anything
changes, so a mail scanner that follows links answers nothing. A request answered meanwhile,
or whose event ended or was cancelled, is not sent.
"""

from __future__ import annotations

from urllib.parse import urlencode

from .. import clock
from ..codes import ORGANIZATION_ROLE_LABELS, label
from ..i18n import _
from . import render


def link(base_url: str, page: str, token: str, language: str) -> str:
    """``/sign-on?t=…`` or ``/speaker?t=…``, in the recipient's language."""
    query = {"t": token, **({"lang": language} if language != "en" else {})}
    return f"{base_url.rstrip('/')}/{page}?{urlencode(query)}"


def sign_on_content(row, s: render.Situation, sender: render.Sender) -> render.Content | str:
    """The message's pieces, or the reason it no longer applies."""
    event = s.event
    if event is None:
        return "the event is gone"
    if event.status == "cancelled" or event.ends_at <= clock.now():
        return "the event ended or was cancelled"
    if row.kind == "sign_on":
        contact, pending = s.extra.get("sign_on_contact"), s.extra.get("sign_on_pending") or []
        if contact is None or not pending:
            return "nothing is left to answer"
        organization = contact["organization"]
        c = render.Content(
            # Translators: the subject of the message asking an organization to co-sponsor an event.
            subject=_("Will {organization} be named on “{title}”?").format(organization=organization,
                                                                         title=event.title),
            paragraphs=[
                _("The organizers of the events below would like to name {organization} on their public pages. "
                  "Please confirm or decline each one, and give the name to show and, if you like, a logo.").format(
                    organization=organization),
                _("Nothing is shown as confirmed until you say yes."),
            ],
        )
        for request in pending:
            r_event = request.event.localized(row.language)
            c.details.append((
                # Translators: the role asked ("co-sponsor") and the event's title.
                _("As {role}").format(role=label(ORGANIZATION_ROLE_LABELS, request.role)),
                _("{title}, {when}").format(title=r_event.title, when=render._when(r_event)),
            ))
        c.links.append((_("Answer here"), link(sender.base_url, "sign-on", s.extra["sign_on_token"], row.language)))
        c.footer.append(_("This link is for you only: it lets whoever has it answer for {organization}.").format(
            organization=organization))
        return c
    found = s.extra.get("speaker_request")
    if found is None:
        return "the request is gone"
    if found["status"] != "pending":
        return "the speaker answered already"
    c = render.Content(
        subject=_("Please confirm you will speak at “{title}”").format(title=event.title),
        paragraphs=[
            _("The organizers of {title} would like you to take part. Please confirm or decline, and if you "
              "take part, tell us how, with a short bio and a photo for the event page.").format(title=event.title),
        ],
        details=[(_("When"), render._when(event)), (_("Where"), render._where(event))],
        links=[(_("Answer here"), link(sender.base_url, "speaker", s.extra["speaker_token"], row.language))],
    )
    c.footer.append(_("Your name is shown on the event page only once you confirm."))
    return c
