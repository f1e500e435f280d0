"""Text a person typed, shown inside Markdown exactly as typed, and the sentences of the
registration box (the last section), shared by the Streamlit pages and the plain HTML event page.

Titles, names, addresses and door labels go through ``escape_md`` wherever an element renders
Markdown: st.markdown, st.caption, the alerts (info, success, warning, error), st.title,
header and subheader, st.progress and st.toast text, and every *label* (buttons, link
buttons, page links, tabs, expanders, metrics, radio options), where images show as icons and
so are fetched. Selectbox options and dataframe cells are plain text: data goes there as it is
(escaping would show the backslashes). Escape the data, not the sentence around it: a
translation may use Markdown itself. The event description is the only Markdown on purpose:
``components/description.py`` renders it.

Why these characters: CommonMark lets a backslash make any ASCII punctuation literal (spec
§2.4), and every Markdown construct Streamlit's renderer knows needs one of ``MARKUP``:
links and images (``[`` ``!``), autolinks (``<``, and GFM's ``www.``, ``https://`` and
``a@b.org`` literals, which need the ``.``, ``:`` and ``@``), HTML (``<``), entities (``&``),
emphasis, headings, lists, tables, LaTeX (``$``), Streamlit's directives (``:red[…]``,
``:material/…:``) and emoji shortcodes (``:smile:``; Streamlit loads the emoji plugin only
when the raw text holds a colon pair with no backslash between). The rest (``, ; ? % / ' "``)
means nothing outside those constructs and stays as typed, so the source stays readable.
GFM's bare links and the emoji shortcodes are found in the parsed text, where backslashes are
gone, so those patterns are also broken by an invisible word joiner (U+2060). White space is
folded to single spaces, which is what a Markdown paragraph shows anyway, so no line of data
can start a block (a list, a quote, a heading, an indented code block) or end one.
"""

from __future__ import annotations

import re

from ..codes import MESSAGES, message
from ..errors import PlannerError
from ..i18n import N_, Lazy, _, format_number, ngettext

MARKUP = "\\`*_{}[]<>()#+-.!|~$:&@=^"
_MARKUP = re.compile("([" + re.escape(MARKUP) + "])")
_WHITE = re.compile(r"[ \t\n\r\f\v]+")
# Where GFM's bare links (https://…, www.…, a@b.org) and emoji shortcodes would be found in
# the text *after* parsing, where backslashes are gone: after a colon followed by "/" or a
# word character, between "www" and its dot, between a word and "@". An invisible WORD JOINER
# there breaks the pattern and shows nothing; elsewhere ("rights: a dialogue") the text is
# left alone, so it reads, searches and speaks as typed.
JOINER = "\u2060"
_BARE_LINK = re.compile(r"(?<=:)(?=[/\w+-])|(?<=www)(?=\.)|(?<=[-.\w+])(?=@)", re.IGNORECASE)


def escape_md(text: str) -> str:
    """Text shown inside Markdown as it was typed: no links, images, HTML, emphasis, icons."""
    text = _BARE_LINK.sub(JOINER, _WHITE.sub(" ", str(text)).strip())
    return _MARKUP.sub(r"\\\1", text)


def escape_params(params: dict) -> dict:
    """A sentence's parameters with the text in them escaped (labels, numbers and dates are
    ours and stay as they are)."""

    def escaped(value):
        if isinstance(value, str):
            return escape_md(value)
        if isinstance(value, Lazy) and value.params:  # a field's label naming a speaker
            return Lazy(value.msgid, escape_params(value.params))
        if isinstance(value, (list, tuple)):
            return [escaped(v) for v in value]
        return value

    return {name: escaped(value) for name, value in params.items()}


def sentence_md(code: str, params: dict) -> str:
    """The sentence for ``code`` with its parameters escaped, to show in a Markdown element."""
    return message(code, escape_params(params))


def error_md(err: PlannerError) -> str:
    """A refusal's sentence for a Markdown element: the names, titles and values it repeats
    from what people typed are escaped."""
    if err.code not in MESSAGES:  # an old sentence-style raise: the whole text is data
        return escape_md(str(err))
    return sentence_md(err.code, err.params)


def conflict_md(conflict) -> str:
    """A clash's sentence for a Markdown element (titles, rooms and speakers escaped)."""
    return sentence_md(f"conflict_{conflict.kind}", conflict.params)


# ---------------------------------------------------------------------- the registration box
#
# What a registration form and its answer say, in Markdown with what people typed escaped: the
# in-app event page (planner/ui/components/rsvp.py) shows them in Streamlit's elements, the
# public one (planner/web/event_page.py) renders them to HTML. One wording, one translation.


def optional_label(text: str, required: bool) -> str:
    """A field's label, marked when it may stay empty."""
    # Translators: a form field's label, marked as one that may stay empty ("Gender (optional)").
    return text if required else _("{label} (optional)").format(label=text)


def full_notice(counts) -> str:
    """A full event's notice above its form: the places, and the waiting list's length."""
    full = ngettext("**This event is full** ({count} place).", "**This event is full** ({count} places).",
                    counts.capacity).format(count=format_number(counts.capacity))
    if not counts.waitlisted:  # not "0 people are waiting"
        waiting = _("You can join the waiting list: nobody is waiting yet, and you move up by yourself as soon as "
                    "a place frees up.")
    else:
        waiting = ngettext(
            "You can join the waiting list: {count} person is waiting, and you move up by yourself as soon "
            "as a place frees up.",
            "You can join the waiting list: {count} people are waiting, and you move up by yourself as soon "
            "as a place frees up.",
            counts.waitlisted,
        ).format(count=format_number(counts.waitlisted))
    return f"{full} {waiting}"


def places_left(count: int) -> str:
    return ngettext("Only {count} place left.", "Only {count} places left.", count).format(count=format_number(count))


def privacy_notice(days: int, security_desk: bool) -> str:
    """How a registration's data is used, said under the form (``security_desk``: the event asks
    for names as on the ID document, which the host's security desk gets)."""
    if security_desk:
        text = ngettext(
            "We use your name, email, organization, needs and answers only to manage your place at this "
            "event: the organizers see them, and if the venue requires a guest list, the host's security desk "
            "gets your names as on your ID document; nobody else does. You can change or cancel your "
            "registration at any time through your private link. They are erased {days} day after the event "
            "ends.",
            "We use your name, email, organization, needs and answers only to manage your place at this "
            "event: the organizers see them, and if the venue requires a guest list, the host's security desk "
            "gets your names as on your ID document; nobody else does. You can change or cancel your "
            "registration at any time through your private link. They are erased {days} days after the event "
            "ends.",
            days,
        )
    else:
        text = ngettext(
            "We use your name, email, organization, needs and answers only to manage your place at this "
            "event: the organizers see them, nobody else does. You can change or cancel your registration at "
            "any time through your private link. They are erased {days} day after the event ends.",
            "We use your name, email, organization, needs and answers only to manage your place at this "
            "event: the organizers see them, nobody else does. You can change or cancel your registration at "
            "any time through your private link. They are erased {days} days after the event ends.",
            days,
        )
    return text.format(days=format_number(days))


def check_your_email() -> str:
    """The one answer of a form confirmed by email, whatever the address typed."""
    return _("Check your email: we sent a link to confirm your place. It is valid for 30 minutes.")


# Translators: the answer to "Email me my private link", the same for every address.
LINK_SENT = N_(
    "If this address is registered, we have sent it its private link. It can take a few minutes; "
    "check the spam folder too."
)


def answer_md(done) -> tuple[str, str]:
    """A registration's answer: its kind ("info", "success", "warning") and its sentence."""
    from ..models import PendingConfirmation

    if isinstance(done, PendingConfirmation):
        # Confirmed by email: the inbox learns which case it was, the screen does not.
        return "info", check_your_email()
    if done.already_registered:
        return "info", already_registered(done.email)
    name = escape_md(done.name)
    if done.status == "confirmed":
        return "success", _("**You're registered, {name}!** Your place is confirmed.").format(name=name)
    return "warning", _(
        # Translators: {position} is the place on the waiting list (1 = next in).
        "**You're on the waiting list, {name}** — place {position}. You move up by yourself when a "
        "place frees up; check your private page."
    ).format(name=name, position=format_number(done.position))


def already_registered(email: str) -> str:
    """The answer when the address typed already holds a registration. Whoever typed it may not
    own it: nothing was changed, and nothing is said of the place it holds; the private link went
    to the address's owner."""
    return _(
        # Translators: **…** is bold (Markdown); {email} is the address just typed in the form.
        "**{email} is already registered** for this event, so nothing was changed. We have emailed "
        "the private link to that address: use it to change or cancel. It can take a few minutes; "
        "check the spam folder too."
    ).format(email=escape_md(email))


def private_link_note() -> str:
    return _(
        "**Your private link** — keep it: it lets you see, change or cancel your registration. "
        "Anyone with it can do the same, so don't share it."
    )


# ---------------------------------------------------------------------- the share section


def share_rows(links: dict[str, str], event_id: int, language: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The share section's two rows of labelled links, as both event pages show them: the
    services (``links`` from ``Planner.share_links``) and the posters and cards (their routes)."""
    from ..codes import CARD_SIZE_LABELS, POSTER_PAPER_LABELS, label
    from ..i18n import in_address

    base = f"/e/{event_id}"
    services = [
        (_("Email"), links["email"]),
        # Translators: the names of apps and networks on share buttons; keep them as they are.
        (_("WhatsApp"), links["whatsapp"]), (_("Telegram"), links["telegram"]), (_("LinkedIn"), links["linkedin"]),
        (_("X"), links["x"]),
    ]
    files = [
        # Translators: a button opening the event's poster as a PDF; {paper} is "A4" or "US Letter".
        (_("Poster ({paper})").format(paper=label(POSTER_PAPER_LABELS, paper)),
         in_address(f"{base}/poster.pdf?paper={paper}", language)) for paper in ("a4", "letter")
    ] + [
        # Translators: a button opening the event's picture for social media; {size} is "Wide (1200 × 630)".
        (_("Social card: {size}").format(size=label(CARD_SIZE_LABELS, size)),
         in_address(f"{base}/card.png?size={size}", language)) for size in ("1200x630", "1080x1080")
    ]
    return services, files


# ---------------------------------------------------------------------- where, on an event page


def where_lines(event) -> list[tuple[str, str, str | None]]:
    """Where an event happens, as its pages show it, line by line: ``(kind, text, link)`` with
    kind "room", "venue", "address" (linked to its map), "to_be_announced", "online", "join"
    (the public join link) or "join_later". The same rule as ``Event.place`` (issue #16): a
    room, venue and address; "Place to be announced" while no room is set; online after a
    hybrid event's place. Texts are as typed (each page escapes them its own way)."""
    from urllib.parse import quote_plus

    from ..codes import FORMAT_LABELS

    lines: list[tuple[str, str, str | None]] = []
    if event.room and event.venue:
        lines.append(("room", event.room.name, None))
        lines.append(("venue", event.venue.name, None))
        if event.venue.address:
            lines.append(("address", event.venue.address,
                          "https://www.openstreetmap.org/search?query=" + quote_plus(event.venue.address)))
    elif event.format != "online":
        lines.append(("to_be_announced", _("Place to be announced"), None))
    if event.format in ("online", "hybrid"):
        lines.append(("online", _("Also online") if event.format == "hybrid" else str(FORMAT_LABELS["online"]), None))
        if event.public_join_url:
            lines.append(("join", _("Join online"), event.public_join_url))
        elif event.has_join_link:
            lines.append(("join_later", _("People registered get the link to join on their private page."), None))
    return lines


def detail_notes(event) -> list[tuple[str, str]]:
    """The notes under an event's place: ("access", the room's accessibility as typed) and
    ("places", "60 places · In person")."""
    from ..codes import FORMAT_LABELS, label

    notes = []
    if event.room and event.room.accessibility:
        notes.append(("access", event.room.accessibility))
    if event.capacity:
        places = ngettext("{count} place", "{count} places", event.capacity).format(count=format_number(event.capacity))
        notes.append(("places", f"{places} · {label(FORMAT_LABELS, event.format)}"))
    return notes


# ---------------------------------------------------------------------- the form's fields


def proof_strings(proposing: bool = False) -> dict[str, str]:
    """The proof-of-work widget's words (ALTCHA's keys), for a registration or, ``proposing``,
    a call's proposal form (issue #14)."""
    return {
        "label": _("I am a person proposing an event") if proposing else _("I am a person registering"),
        "verifying": _("Checking…"),
        "verified": _("Checked: you can send your proposal.") if proposing else _("Checked: you can register."),
        "waitAlert": _("Checking… please wait a moment."),
        "verificationRequired": _("Tick the box first."),
        "error": _("The check failed. Tick the box to try again."),
        "expired": _("The check has expired. Tick the box again."),
    }


# The two privacy choices every attendee can make: (key, label, what it does).
PRIVACY_CHOICES = (
    ("no_photos", N_("Please do not photograph or film me"),
     N_("The people at the door see a mark beside your name and tell the photographers.")),
    ("hide_name", N_("Do not show my name on any list shared beyond the organizers"),
     N_("Lists of participants given to co-sponsors or funders leave you out. The organizers, and the host's "
        "security list at the entrance, still have your name.")),
)
ID_NAMES_HINT = N_("The host's security checks names against ID documents at the entrance: write them exactly "
                   "as they appear on the passport or ID card you will bring.")


def question_label(q, key: str) -> str:
    """A question's label on a form (``key``: one of its answer keys), marked when optional."""
    if q.builtin == "id_names":
        text = _("Given name(s) as on your ID document") if key == "given_names" else _(
            "Family name as on your ID document")
    elif q.builtin == "country":
        text = _("Country or nationality")
    elif q.builtin == "organization_type":
        text = _("Type of organization")
    elif q.builtin == "gender":
        text = _("Gender")
    else:
        text = q.label
    return optional_label(text, q.required)


def needs_label(required: bool) -> str:
    return _("Access or interpretation needs") if required else _("Access or interpretation needs (optional)")


NEEDS_PLACEHOLDER = N_("Step-free access, sign language, Spanish interpretation…")
EMAIL_MODE_NOTE = N_("We will email you a link to confirm your place: your registration counts once you open it.")
# A proof-of-work event on a server without the widget's files (``npm ci`` not run).
PROOF_UNAVAILABLE = N_("Registration for this event needs a check that this server cannot show right now. "
                       "Please try again later.")
