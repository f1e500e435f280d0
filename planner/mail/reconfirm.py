"""The "Still coming?" message and the "your place was released" one (issue #12,
``areas/reconfirm.py``).

Rendered like the others (``render.render``, in the recipient's language, when sent). The two
links carry the guest's own token (``ticket_codes.reconfirm_token``, derived in
``face/reconfirm.py``'s ``_reconfirm_extra``, so the outbox row holds no secret) and the answer
the link stands for; the page they open asks again with two buttons, so a mail scanner that
follows links answers nothing. A request already answered, or for a registration no longer
confirmed, or whose deadline has passed, is not sent.
"""

from __future__ import annotations

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from .. import clock
from ..i18n import _, format_pattern, format_time, zone_name
from . import render


def still_coming_url(base_url: str, token: str, answer: str, language: str) -> str:
    """``/still-coming?t=…&a=yes|no``, in the recipient's language."""
    query = {"t": token, "a": answer, **({"lang": language} if language != "en" else {})}
    return f"{base_url.rstrip('/')}/still-coming?{urlencode(query)}"


def _deadline(event, deadline) -> str:
    local = deadline.astimezone(ZoneInfo(event.timezone))
    # Translators: the reconfirmation deadline in the event's zone: "Mon 19 Oct 2026, 17:00 (New York time)".
    return _("{day}, {time} ({zone})").format(day=format_pattern(local, _("EEE d MMM y")), time=format_time(local),
                                             zone=zone_name(event.timezone))


def reconfirm_content(row, s: render.Situation, sender: render.Sender) -> render.Content | str:
    """The message's pieces, or the reason it no longer applies."""
    event, registration, found = s.event, s.registration, s.extra.get("reconfirmation")
    if event is None or registration is None or found is None:
        return "the registration or its request is gone"
    title, deadline = event.title, s.extra["deadline"]
    if row.kind == "released":
        if found["answer"] != "released":
            return "the place was not released"
        c = render.Content(
            subject=_("Your place was released: {title}").format(title=title),
            paragraphs=[
                _("We asked whether you were still coming to {title} and had no answer by {deadline}, so your place "
                  "went to the next person on the waiting list.").format(title=title,
                                                                          deadline=_deadline(event, deadline)),
                _("If this is a mistake, register again on the event page while places are left."),
            ],
            details=[(_("When"), render._when(event))],
            links=[(_("Event page"), render.calendar.event_url(sender.base_url, event))],
        )
        c.calendar = render._invitation(event, registration, sender, s.token, "CANCEL", s.calendar_history)
        return c
    if found["answer"] is not None:
        return "the guest answered already"
    if registration.status != "confirmed" or event.status != "published":
        return "the registration is no longer confirmed"
    if deadline <= clock.now():
        return "the deadline to answer has passed"
    token = s.extra["reconfirm_token"]
    paragraphs = [
        _("You have a place at {title}. Are you still coming? Please tell us by {deadline}.").format(
            title=title, deadline=_deadline(event, deadline)),
        _("If you cannot come, your place goes at once to the next person on the waiting list."),
    ]
    if s.extra.get("release"):
        paragraphs.append(_("Without an answer by then, your place goes to the waiting list and you will be told."))
    c = render.Content(
        subject=_("Still coming? {title}").format(title=title), paragraphs=paragraphs,
        details=render._event_details(event, registration),
        links=[(_("Yes, I'm coming"), still_coming_url(sender.base_url, token, "yes", row.language)),
               (_("I can't come"), still_coming_url(sender.base_url, token, "no", row.language))],
    )
    c.footer.append(_("Each link asks once more before anything changes."))
    return c
