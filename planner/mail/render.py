"""Messages as people get them: one outbox row, rendered when it is sent, into a MIME message.

Built with the standard library's ``email`` package (``EmailMessage``, ``policy.SMTP``), never
by hand, so headers with non-ASCII names and titles are RFC 2047-encoded, a line break in a
name cannot start a new header (the package refuses it; ``_one_line`` folds what people typed
to one line first), and parts are base64- or quoted-printable-encoded as needed.

Every message has a plain-text part and an HTML part made from the same pieces (a greeting,
sentences, details as label and value, links). The HTML escapes every value, loads nothing
from elsewhere (no remote images, no web fonts: the only image is the QR ticket, attached as
an inline ``cid:`` part), is one narrow column for phones and says ``color-scheme: light
dark`` so mail apps in dark mode keep it readable. Invitations carry a ``text/calendar;
method=REQUEST`` (or ``CANCEL``) alternative and the same file as an ``invite.ics``
attachment (``planner/outputs/calendar.py``), with the event's UID and a SEQUENCE higher than
any sent to this person before, so calendars update one entry.

The message is rendered in the recipient's language (``i18n.using``) from the state of the
event and registration when it is sent: a reminder after a room change names the new room,
and two quick edits send one update showing the latest. What no longer applies (a
confirmation for a registration cancelled meanwhile, an update undone) is skipped with a reason.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from datetime import UTC
from email import policy as email_policy
from email.headerregistry import Address, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlencode, urlsplit

from .. import clock
from ..db import from_db_time
from ..i18n import _, format_when, ngettext, using
from ..models import Event, Registration, Room, Venue
from ..outputs import calendar
from ..outputs.markdown import description_html
from ..outputs.qr import qr_png

AUTOMATIC_KINDS = ("confirmed", "waitlisted", "moved_up", "event_changed", "event_cancelled",
                   "registration_cancelled", "reminder", "private_link", "confirm_email", "reconfirm", "released",
                   "sign_on", "speaker_request",
                   "proposal_received", "proposal_changes_requested", "proposal_accepted", "proposal_declined",
                   "proposal_comment", "proposal_merged")
UNSUBSCRIBABLE = ("reminder", "organizer_message")


@dataclass(frozen=True)
class Sender:
    """Who messages come from: the From and Reply-To addresses and the public base URL."""

    address: str
    name: str
    base_url: str
    reply_to: str | None = None

    @property
    def domain(self) -> str:
        return urlsplit(self.base_url).hostname or "localhost"


@dataclass
class Content:
    """The pieces a message is made of, written once and shown as text and as HTML."""

    subject: str
    paragraphs: list[str] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after
    links: list[tuple[str, str]] = field(default_factory=list)  # label, url
    ticket: tuple[str, bytes] | None = None  # printed code, QR PNG
    markdown: str | None = None  # an organizer's message body
    footer: list[str] = field(default_factory=list)
    calendar: tuple[str, int, bytes] | None = None  # method, sequence, file


@dataclass(frozen=True)
class Rendered:
    message: EmailMessage | None  # None: skipped
    skip_reason: str = ""
    ical_method: str | None = None
    ical_sequence: int | None = None


@dataclass(frozen=True)
class Situation:
    """What a row is rendered from, read in one transaction by the caller."""

    event: Event | None
    registration: Registration | None
    token: str | None  # the registration's private link token
    calendar_history: tuple[str | None, int] = (None, -1)  # last method, highest SEQUENCE sent
    extra: dict = field(default_factory=dict)  # e.g. the registrations of a private-link message


def _one_line(text: str) -> str:
    """What a person typed, as one header-safe line (line breaks and tabs become spaces)."""
    return " ".join(str(text or "").split())


def private_url(base_url: str, token: str, language: str) -> str:
    query = {"t": token, **({"lang": language} if language != "en" else {})}
    return f"{base_url.rstrip('/')}/ticket?{urlencode(query)}"


def ticket_url(base_url: str, registration: Registration) -> str:
    return f"{base_url.rstrip('/')}/checkin?code={registration.checkin_code}"


def _when(event: Event) -> str:
    """"Thursday 23 September 2027, 17:00–19:00 (New York Time)", in the recipient's language."""
    return format_when(event.local_start, event.local_end)


def _where(event: Event) -> str:
    return calendar.location(event)


def _event_details(event: Event, registration: Registration | None) -> list[tuple[str, str]]:
    details = [(_("When"), _when(event)), (_("Where"), _where(event))]
    join = event.join_url_for(registration) if registration else event.public_join_url
    if join:
        details.append((_("Join online"), join))
    return details


def _ticket(registration: Registration, base_url: str) -> tuple[str, bytes] | None:
    if not registration.has_ticket:
        return None
    return registration.ticket_code, qr_png(ticket_url(base_url, registration))


def _sequence(event: Event, history: tuple[str | None, int]) -> int:
    """Higher than any SEQUENCE this person was sent for the event, and never below the event's."""
    last = history[1]
    return max(event.sequence, last + 1) if last >= 0 else event.sequence


def _invitation(event: Event, registration: Registration, sender: Sender, token: str | None, method: str,
                history) -> tuple[str, int, bytes]:
    sequence = _sequence(event, history)
    personal = None
    if token:
        personal = calendar.Personal(private_url(sender.base_url, token, registration.language),
                                     event.join_url_for(registration))
    data = calendar.invitation_bytes(
        event, method=method, sequence=sequence, organizer_email=sender.address,
        attendee_email=registration.email, attendee_name=_one_line(registration.name),
        partstat="TENTATIVE" if registration.status == "waitlisted" else "ACCEPTED",
        base_url=sender.base_url, personal=personal,
    )
    return method, sequence, data


def _changes(before: dict, event: Event) -> list[tuple[str, str, str]]:
    """Title, time and place before the first of the edits not yet sent, and now."""
    room = venue = None
    if before.get("room"):
        venue = Venue(0, before.get("venue") or "", before.get("address") or "", before["timezone"])
        room = Room(0, 0, before["room"], 1, "", venue)
    # The title before, in the language shown when only the original's changed since (issue #13).
    old = replace(event, title=event.title if before["title"] == event.original_title else before["title"], starts_at=from_db_time(before["starts_at"]),
                  ends_at=from_db_time(before["ends_at"]), timezone=before["timezone"], room=room, venue=venue,
                  format=before["format"], online_url=before.get("online_url"))
    found = []
    for label, a, b in ((_("Title"), old.title, event.title), (_("When"), _when(old), _when(event)),
                        (_("Where"), _where(old), _where(event))):
        if a != b:
            found.append((label, a, b))
    return found


def snapshot(event: Event) -> dict:
    """What an update compares with later: title, times and place of the event as it was."""
    from ..db import to_db_time

    return {
        "title": event.title, "starts_at": to_db_time(event.starts_at), "ends_at": to_db_time(event.ends_at),
        "timezone": event.timezone, "format": event.format, "online_url": event.online_url,
        "room": event.room.name if event.room else None, "venue": event.venue.name if event.venue else None,
        "address": event.venue.address if event.venue else None,
    }


def _guest_content(kind: str, row, s: Situation, sender: Sender) -> Content | str:
    """Content for a message about one registration, or the reason it no longer applies."""
    event, registration = s.event, s.registration
    if event is None or registration is None:
        return "the event or registration is gone"
    title = event.title
    manage = private_url(sender.base_url, s.token, registration.language) if s.token else None
    manage_link = [(_("Your registration: see it, change your details or cancel"), manage)] if manage else []
    invitation = None
    if kind in ("confirmed", "moved_up"):
        if registration.status != "confirmed" or event.status != "published":
            return "the registration is no longer confirmed"
        c = Content(
            subject=_("You are registered: {title}").format(title=title) if kind == "confirmed"
            else _("A place is yours: {title}").format(title=title),
            paragraphs=[
                _("Your place at {title} is confirmed.").format(title=title) if kind == "confirmed"
                else _("A place became free at {title} and it is yours: your registration is now confirmed.").format(
                    title=title),
            ],
            details=_event_details(event, registration), links=manage_link,
            ticket=_ticket(registration, sender.base_url),
        )
        if c.ticket:
            c.paragraphs.append(_("Show the QR code below at the door, on your phone or on paper."))
        invitation = "REQUEST"
    elif kind == "waitlisted":
        if registration.status != "waitlisted" or event.status != "published":
            return "the registration is no longer on the waiting list"
        c = Content(
            subject=_("On the waiting list: {title}").format(title=title),
            paragraphs=[
                _("{title} is full, so you are on the waiting list, number {position}.").format(
                    title=title, position=registration.position),
                _("If a place becomes free, it is yours at once and we will email you your ticket."),
            ],
            details=_event_details(event, registration), links=manage_link,
        )
        invitation = "REQUEST"
    elif kind == "event_changed":
        if event.status != "published" or registration.status not in ("confirmed", "waitlisted"):
            return "the event or the registration is no longer on"
        changes = _changes(row.data.get("before") or {}, event)
        if not changes:
            return "the changes were undone before they were sent"
        c = Content(
            subject=_("Changed: {title}").format(title=title),
            paragraphs=[_("The organizers changed {title}. What changed:").format(title=title)],
            changes=changes, details=_event_details(event, registration), links=manage_link,
            ticket=_ticket(registration, sender.base_url),
        )
        invitation = "REQUEST"
    elif kind == "event_cancelled":
        c = Content(
            subject=_("Cancelled: {title}").format(title=title),
            paragraphs=[_("{title}, planned for {when}, is cancelled.").format(title=title, when=_when(event))],
        )
        if event.cancel_reason:
            c.details.append((_("Reason"), event.cancel_reason))
        c.paragraphs.append(_("Your registration is cancelled with it; there is nothing more for you to do."))
        invitation = "CANCEL"
    elif kind == "registration_cancelled":
        by = row.data.get("by")
        c = Content(
            subject=_("Registration cancelled: {title}").format(title=title),
            paragraphs=[
                _("You cancelled your registration for {title}.").format(title=title) if by == "guest"
                else _("The organizers cancelled your registration for {title}.").format(title=title),
                _("If this is a mistake, register again on the event page while places are left."),
            ],
            details=[(_("When"), _when(event))],
            links=[(_("Event page"), calendar.event_url(sender.base_url, event))],
        )
        invitation = "CANCEL"
    elif kind == "reminder":
        if registration.status != "confirmed" or event.status != "published" or event.starts_at <= clock.now():
            return "the registration or event is no longer on, or it has started"
        c = Content(
            subject=_("Reminder: {title}, {when}").format(title=title, when=_when(event)),
            paragraphs=[_("This is a reminder that you are registered for {title}.").format(title=title)],
            details=_event_details(event, registration), links=manage_link,
            ticket=_ticket(registration, sender.base_url),
        )
    else:
        raise ValueError(kind)
    if invitation:
        c.calendar = _invitation(event, registration, sender, s.token, invitation, s.calendar_history)
    if kind == "reminder" and manage:
        c.footer.append(_("You get reminders because you registered. To turn them off, open your registration: "
                          "{url}").format(url=manage))
    return c


def _private_link_content(row, s: Situation, sender: Sender) -> Content | str:
    found = s.extra.get("registrations") or []
    if not found:
        return "no registration is left for this address"
    c = Content(subject=ngettext("Your private link", "Your private links", len(found)))
    c.paragraphs.append(ngettext(
        "Someone (we hope you) asked for the private link of your registration. Here it is:",
        "Someone (we hope you) asked for the private links of your registrations. Here they are:", len(found)))
    for event, registration, token in found:
        c.links.append((_("{title}, {when}").format(title=event.title, when=_when(event)),
                        private_url(sender.base_url, token, registration.language)))
    c.footer.append(_("If you did not ask for this, you can ignore this message: nothing has changed."))
    return c


def _organizer_content(row, s: Situation, sender: Sender) -> Content | str:
    event, registration = s.event, s.registration
    data = row.data
    c = Content(subject=_one_line(data.get("subject", "")), markdown=data.get("body", ""))
    if row.kind == "test":
        c.subject = _("[Test] {subject}").format(subject=c.subject)
        c.footer.append(_("This is a test: only you got it. Your guests get the same message, with their own link."))
        return c
    if registration is None or event is None:
        return "the registration is gone"
    if registration.messages_off:
        return "the guest turned off messages from the organizers"
    manage = private_url(sender.base_url, s.token, registration.language) if s.token else None
    c.footer.append(_("You get this message from the organizers of {title} because you registered. "
                      "To stop these messages, open your registration: {url}").format(title=event.title, url=manage))
    return c


def content_for(row, s: Situation, sender: Sender) -> Content | str:
    if row.kind == "private_link":
        return _private_link_content(row, s, sender)
    if row.kind in ("organizer_message", "test"):
        return _organizer_content(row, s, sender)
    if row.kind == "confirm_email":
        from .confirm import confirm_email_content  # the confirmed-by-email mode

        return confirm_email_content(row, s, sender)
    if row.kind in ("reconfirm", "released"):
        from .reconfirm import reconfirm_content  # "Still coming?" (issue #12)

        return reconfirm_content(row, s, sender)
    if row.kind in ("sign_on", "speaker_request"):
        from .sign_on import sign_on_content  # co-sponsors and speakers sign on (issue #14)

        return sign_on_content(row, s, sender)
    if row.kind.startswith("proposal_"):
        from .proposals import proposal_content  # calls for side events (issue #14)

        return proposal_content(row, s, sender)
    return _guest_content(row.kind, row, s, sender)


def _localized(s: Situation, language: str) -> Situation:
    """The situation with the event's title and description in the recipient's language, when the
    organizers gave them (issue #13); a private-link message names each event in the language
    of its registration. The recipient's own code, not the active one: a guest who registered in
    Spanish gets the Spanish title even before the Spanish catalogue is compiled."""
    extra = s.extra
    if extra.get("registrations"):
        extra = {**extra, "registrations": [(e.localized(r.language), r, t) for e, r, t in extra["registrations"]]}
    return replace(s, event=s.event.localized(language) if s.event else None, extra=extra)


def render(row, s: Situation, sender: Sender) -> Rendered:
    """The message for one outbox row, in its recipient's language, or why it is skipped."""
    s = _localized(s, row.language)
    with using(row.language):
        content = content_for(row, s, sender)
        if isinstance(content, str):
            return Rendered(None, skip_reason=content)
        message = build(row, content, sender, s)
    method, sequence = (content.calendar[0], content.calendar[1]) if content.calendar else (None, None)
    return Rendered(message, ical_method=method, ical_sequence=sequence)


class _UrlHeader(UnstructuredHeader):
    """A header of URLs in angle brackets (List-Unsubscribe), written on one line as it is.

    The default policy folds lines longer than 78 characters; a URL has no space to fold at,
    so Python wrote it as RFC 2047 encoded words (``=?utf-8?q?=3Chttp=3A//…``), which no mail
    app reads as a URL: the unsubscribe link was lost on every message. RFC 5322 allows 998
    characters a line; a base URL and a 43-character token stay far below."""

    def fold(self, *, policy):
        return f"{self.name}: {self}{policy.linesep}"


_HEADERS = HeaderRegistry()
_HEADERS.map_to_type("list-unsubscribe", _UrlHeader)
POLICY = email_policy.default.clone(header_factory=_HEADERS)


def build(row, c: Content, sender: Sender, s: Situation | None = None) -> EmailMessage:
    """The MIME message: headers, text, HTML (with the inline ticket), calendar part and file."""
    msg = EmailMessage(policy=POLICY)
    msg["Subject"] = _one_line(c.subject)
    msg["From"] = Address(display_name=_one_line(sender.name), addr_spec=sender.address)
    msg["To"] = Address(display_name=_one_line(row.recipient_name), addr_spec=row.recipient)
    if sender.reply_to:
        msg["Reply-To"] = sender.reply_to
    msg["Date"] = format_datetime(clock.now().astimezone(UTC))
    msg["Message-ID"] = row.message_id
    msg["Content-Language"] = row.language
    if row.kind in AUTOMATIC_KINDS:
        msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: vacation responders stay quiet
    if row.kind in UNSUBSCRIBABLE and s is not None and s.token:
        # RFC 2369 and RFC 8058: mail apps offer "unsubscribe", and may do it with one POST.
        msg["List-Unsubscribe"] = f"<{sender.base_url.rstrip('/')}/unsubscribe?{urlencode({'t': s.token})}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if row.kind == "organizer_message":
        msg["Precedence"] = "bulk"
    msg.set_content(text_body(c))
    msg.add_alternative(html_body(c, row.language), subtype="html")
    html_part = msg.get_payload()[-1]
    if c.ticket:
        html_part.add_related(c.ticket[1], maintype="image", subtype="png", cid="<ticket@planner>",
                              filename="ticket.png", disposition="inline")
    if c.calendar:
        method, _sequence, data = c.calendar
        msg.add_alternative(data, maintype="text", subtype="calendar", params={"method": method, "charset": "utf-8"})
        msg.add_attachment(data, maintype="application", subtype="ics",
                           filename="cancel.ics" if method == "CANCEL" else "invite.ics")
    return msg


def text_body(c: Content) -> str:
    lines = []
    for p in c.paragraphs:
        lines += [p, ""]
    if c.markdown is not None:
        lines += [c.markdown.strip(), ""]
    for label, before, after in c.changes:
        lines.append(_("{label}: {before} → {after}").format(label=label, before=before, after=after))
    if c.changes:
        lines.append("")
    for label, value in c.details:
        lines.append(f"{label}: {value}")
    if c.details:
        lines.append("")
    if c.ticket:
        lines += [_("Your ticket code: {code}").format(code=c.ticket[0]), ""]
    for label, url in c.links:
        lines += [f"{label}:", url, ""]
    if c.footer:
        lines += ["-- ", *c.footer]
    return "\n".join(lines).strip() + "\n"


_STYLE = (
    "body{margin:0;padding:0;background:#ffffff;color:#1a1a1a;}"
    ".box{max-width:560px;margin:0 auto;padding:16px;font:16px/1.5 -apple-system,'Segoe UI',Roboto,Arial,sans-serif;}"
    "h1{font-size:20px;line-height:1.3;margin:0 0 12px;}"
    "table{border-collapse:collapse;margin:8px 0;}td{padding:4px 12px 4px 0;vertical-align:top;}"
    "td.label{font-weight:600;white-space:nowrap;}"
    "a{color:#0b57d0;word-break:break-all;}"
    ".ticket{border:1px solid #cccccc;border-radius:8px;padding:12px;text-align:center;background:#ffffff;}"
    ".code{font:600 18px/1.4 ui-monospace,Menlo,Consolas,monospace;letter-spacing:1px;color:#1a1a1a;}"
    ".footer{color:#555555;font-size:13px;border-top:1px solid #dddddd;margin-top:24px;padding-top:8px;}"
    "del{color:#8a1c1c;}ins{color:#1c6b2a;text-decoration:none;font-weight:600;}"
    "@media (prefers-color-scheme: dark){body{background:#121212;color:#eeeeee;}a{color:#8ab4f8;}"
    ".footer{color:#bbbbbb;}del{color:#ff9a9a;}ins{color:#9ae6a8;}}"
)


def html_body(c: Content, language: str) -> str:
    e = html.escape
    parts = [f"<h1>{e(c.subject)}</h1>"]
    parts += [f"<p>{e(p)}</p>" for p in c.paragraphs]
    if c.markdown is not None:
        parts.append(f"<div>{description_html(c.markdown)}</div>")
    if c.changes:
        rows = "".join(
            f'<tr><td class="label">{e(label)}</td><td><del>{e(before)}</del><br>→ <ins>{e(after)}</ins></td></tr>'
            for label, before, after in c.changes)
        parts.append(f"<table>{rows}</table>")
    if c.details:
        rows = "".join(
            f'<tr><td class="label">{e(label)}</td><td>{_linked(value)}</td></tr>' for label, value in c.details)
        parts.append(f"<table>{rows}</table>")
    if c.ticket:
        alt = e(_("QR ticket"))
        parts.append(
            f'<div class="ticket"><img src="cid:ticket@planner" width="240" height="240" alt="{alt}">'
            f'<div class="code">{e(c.ticket[0])}</div></div>')
    for label, url in c.links:
        parts.append(f'<p>{e(label)}:<br><a href="{e(url)}">{e(url)}</a></p>')
    if c.footer:
        parts.append('<div class="footer">' + "".join(f"<p>{_linked(f)}</p>" for f in c.footer) + "</div>")
    direction = "rtl" if language.split("-")[0] in ("ar", "fa", "he", "ur") else "ltr"
    return (
        f'<!DOCTYPE html><html lang="{e(language)}" dir="{direction}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">'
        f"<style>{_STYLE}</style></head><body><div class=\"box\">{''.join(parts)}</div></body></html>"
    )


def _linked(value: str) -> str:
    """A value as HTML: escaped; an http(s) address alone becomes a link to itself."""
    text = html.escape(value)
    if value.startswith(("https://", "http://")) and " " not in value:
        return f'<a href="{text}">{text}</a>'
    return text
