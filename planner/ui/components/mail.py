"""What the organizer's email pages share (issue #10): who a message to guests reaches, a
message shown as a guest gets it, the outbox's counts, and a batch being delivered.

The outbox is the domain's (``Planner.outbox``, ``outbox_counts``, ``message_guests``);
these only show it. A message's HTML part is shown with ``st.html``, which is not framed:
the message's own style sheet (written for mail apps, styling ``body``, ``h1`` and ``a``)
would restyle the whole page, so the preview keeps the message's body and styles it
within its own box instead.
"""

from __future__ import annotations

import re
from email.message import EmailMessage

import streamlit as st

from planner.codes import OUTBOX_STATUS_LABELS, label
from planner.i18n import _, format_number
from planner.ui.components import language
from planner.ui.components.markdown import escape_md
from planner.ui.components.session import actor, planner

# The message's body inside its own box; the page's own colours and fonts (light or dark) apply.
PREVIEW_STYLE = (
    "<style>"
    ".planner-mail-preview{border:1px solid rgba(128,128,128,.4);border-radius:8px;padding:16px;max-width:560px;"
    "overflow-wrap:anywhere;}"
    ".planner-mail-preview h1{font-size:1.3rem;line-height:1.3;margin:0 0 12px;padding:0;}"
    ".planner-mail-preview table{border-collapse:collapse;margin:8px 0;}"
    ".planner-mail-preview td{padding:4px 12px 4px 0;vertical-align:top;border:none;}"
    ".planner-mail-preview .footer{opacity:.75;font-size:.85rem;border-top:1px solid rgba(128,128,128,.4);"
    "margin-top:24px;padding-top:8px;}"
    "</style>"
)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)
_STYLE = re.compile(r"<style\b.*?</style>", re.S | re.I)

def skip_reason(reason: str | None) -> str:
    """Why a message was not sent (``last_error`` of a skipped row), in the active language.
    The reasons are written by ``areas/outbox.py`` and ``mail/render.py`` in English; one not
    listed here shows as it is."""
    known = {
        "superseded": _("A later message replaced it."),
        "the guest turned off messages from the organizers": _("The guest turned off messages from the organizers."),
        "the registration is gone": _("The registration no longer exists."),
        "the registration is no longer confirmed": _("The registration is no longer confirmed."),
        "the registration is no longer on the waiting list": _("The person is no longer on the waiting list."),
        "the changes were undone before they were sent": _("The change was undone before it went out."),
        "the registration or event is no longer on, or it has started": _(
            "The registration or the event is no longer on, or the event has started."),
        "no registration is left for this address": _("No registration is left for this address."),
        # issue #14, calls for side events (mail/proposals.py)
        "the proposal or its proposer is gone": _("The proposal or its proposer no longer exists."),
        "the proposal is no longer waiting for changes": _("The proposal is no longer waiting for changes."),
        "the proposal is no longer accepted": _("The proposal is no longer accepted."),
        "the proposal is no longer declined": _("The proposal is no longer declined."),
        "the comment is gone or not meant for the proposer": _("The comment is not meant for the proposers."),
    }
    return known.get(reason or "", reason or "")


def html_part(message: EmailMessage) -> str:
    """The body of the message's HTML part, without the mail app's style sheet."""
    part = message.get_body(preferencelist=("html",))
    document = part.get_content() if part is not None else ""
    found = _BODY.search(document)
    return _STYLE.sub("", found.group(1) if found else document)


def text_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def show_message(message: EmailMessage) -> None:
    """A message as its reader gets it: who it is from, its subject, its HTML part, and the
    plain-text part in an expander."""
    # Translators: the headers of a message being previewed; **…** is bold (Markdown).
    st.markdown(
        _("**From:** {sender}  \n**Subject:** {subject}").format(
            sender=escape_md(str(message["From"])), subject=escape_md(str(message["Subject"]))
        )
    )
    st.html(PREVIEW_STYLE + f'<div class="planner-mail-preview">{html_part(message)}</div>')
    with st.expander(_("The same message as plain text"), icon=":material/notes:"):
        st.code(text_part(message), language=None, wrap_lines=True)


def show_counts(counts: dict[str, int], key: str) -> None:
    """The outbox's figures: waiting (and being sent), delivered, failed, not sent."""
    m = st.container(key=f"metrics_{key}").columns(4)
    m[0].metric(label(OUTBOX_STATUS_LABELS, "waiting"), format_number(counts["waiting"] + counts["sending"]))
    m[1].metric(label(OUTBOX_STATUS_LABELS, "sent"), format_number(counts["sent"]))
    m[2].metric(label(OUTBOX_STATUS_LABELS, "failed"), format_number(counts["failed"]))
    m[3].metric(label(OUTBOX_STATUS_LABELS, "skipped"), format_number(counts["skipped"]))


def no_mail_server() -> None:
    st.info(
        _(
            "No mail server is set up: messages wait here. Download a message to forward it, "
            "or set PLANNER_SMTP_HOST (see README, Email)."
        ),
        icon=":material/outbox:",
    )


def batch_progress(batch: str) -> None:
    """How far one batch of messages has gone: a progress bar and its counts. With a mail
    server, the sender in this process delivers in the background, so the figures refresh
    every few seconds until nothing is waiting; without one they say the messages wait."""
    p = planner()
    live = p.smtp is not None and _pending(p.outbox_counts(batch=batch, actor=actor()))

    @st.fragment(run_every="3s" if live else None)
    @language.activate
    def progress() -> None:
        counts = planner().outbox_counts(batch=batch, actor=actor())
        total = sum(counts.values())
        done = counts["sent"] + counts["failed"] + counts["skipped"]
        # Translators: a progress bar's text: {done} of {total} messages are dealt with (delivered, failed or not sent).
        st.progress(done / total if total else 1.0, text=_("{done} of {total} handled").format(
            done=format_number(done), total=format_number(total)))
        show_counts(counts, "batch")
        if planner().smtp is None:
            st.info(
                _("No mail server is set up, so these messages wait in the outbox: download them there to forward "
                  "them, or ask whoever runs this server to set one up."),
                icon=":material/outbox:",
            )
        elif counts["failed"]:
            st.warning(_("Some messages could not be delivered: the outbox shows the mail server's reason next to "
                         "each guest."), icon=":material/warning:")
        if live and not _pending(counts):
            st.rerun()  # all handled: the whole page once more, which stops the refreshing

    progress()


def _pending(counts: dict[str, int]) -> bool:
    return counts["waiting"] + counts["sending"] > 0
