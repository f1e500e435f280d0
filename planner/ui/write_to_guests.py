"""Write to an event's guests: /write-to-guests?id=<event id>, reached from its registrations.

Who gets it (confirmed guests, the waiting list, those who checked in), a subject and a
Markdown message; a preview as a guest gets it; a test to the organizer's own address; then,
after a confirmation naming how many people get it, one message per guest in the outbox
(``Planner.message_guests``) and the figures of its delivery. Every action is a callback, so
the page drawn after it shows its outcome; a refusal shows beside the field it is about.
"""

from __future__ import annotations

import streamlit as st

from planner import PlannerError, ValidationError
from planner.codes import MESSAGE_AUDIENCE_LABELS, MESSAGE_AUDIENCES, label
from planner.i18n import _, format_number, ngettext
from planner.ui.components import language
from planner.ui.components.events import event_choice
from planner.ui.components.mail import batch_progress, show_message
from planner.ui.components.markdown import error_md, escape_md, sentence_md
from planner.ui.components.messages import flash, show_flash
from planner.ui.components.navigation import OUTBOX, REGISTRATIONS
from planner.ui.components.session import PAGE_SET, actor, current_user, planner

ERRORS = "wg_errors"  # {field: sentence} of the last action: "to", "subject", "body" or "other"
PANEL = "wg_panel"  # (event id, "preview" | "test" | "confirm", details) under the buttons
SENT = "wg_sent"  # {event id: (batch, subject)}: the last message sent, whose delivery is followed
FIELDS = ("to", "subject", "body")


def key(name: str, event_id: int) -> str:
    return f"wg_{name}_{event_id}"


def render() -> None:
    p = planner()
    s = st.session_state
    st.title(_("Write to guests"))
    show_flash()
    events = [e for e in p.list_events(actor=actor()) if e.published_at is not None or e.status == "published"]
    if not events:
        st.info(_("No published events yet: an event has guests to write to once it is published."),
                icon=":material/event_note:")
        return
    by_id = {e.id: e for e in events}
    wanted = st.query_params.get("id")
    if wanted and wanted.isdigit() and int(wanted) in by_id and "wg_event" not in s:
        s["wg_event"] = int(wanted)
    event = by_id[st.selectbox(_("Event"), list(by_id), key="wg_event",
                               persist_state=PAGE_SET, format_func=lambda i: event_choice(by_id[i]))]
    links = st.columns(2)
    links[0].page_link(REGISTRATIONS, label=_("Registrations"), icon=":material/how_to_reg:",
                       query_params={"id": str(event.id)})
    links[1].page_link(OUTBOX, label=_("Outbox of this event"), icon=":material/outbox:",
                       query_params={"id": str(event.id)})

    sizes = {g: p.message_reach(event.id, (g,), actor=actor()) for g in MESSAGE_AUDIENCES}
    s.setdefault(key("to", event.id), ["confirmed"])
    panel = s.get(PANEL) if (s.get(PANEL) or (None,))[0] == event.id else None
    errors = dict(s.get(ERRORS, {}))
    preview = None
    if panel and panel[1] == "preview":  # drawn from what the fields hold now
        try:
            preview = p.preview_guest_message(event.id, s.get(key("subject", event.id), ""),
                                              s.get(key("body", event.id), ""), actor=actor())
        except ValidationError as err:
            errors[_field(err)] = error_md(err)

    chosen = st.multiselect(
        _("Send to"), list(MESSAGE_AUDIENCES), key=key("to", event.id), persist_state=PAGE_SET,
        # Translators: a group of guests and how many people it reaches: "Confirmed guests (12)".
        format_func=lambda g: _("{group} ({count})").format(group=label(MESSAGE_AUDIENCE_LABELS, g),
                                                           count=format_number(sizes[g])),
        placeholder=_("Choose one or more groups"),
    )
    _problem(errors, "to")
    reached = p.message_reach(event.id, chosen, actor=actor()) if chosen else 0
    st.caption(
        ngettext("It goes to {count} person. ", "It goes to {count} people. ", reached).format(
            count=format_number(reached))
        + _("People without an email address and guests who turned off messages from the organizers are left out.")
    )
    st.text_input(_("Subject"), key=key("subject", event.id), max_chars=200)
    _problem(errors, "subject")
    st.text_area(_("Message"), key=key("body", event.id), height=220,
                 placeholder=_("Dear guests, …"))
    _problem(errors, "body")
    st.caption(
        # Translators: **bold** and *italics* show as such (Markdown): translate the words, keep the stars.
        _("Markdown is allowed: **bold**, *italics*, lists and links. HTML shows as plain text. Each guest's copy "
          "ends with a link to their registration, where they can turn these messages off.")
    )

    buttons = st.columns(3)
    buttons[0].button(_("Preview"), icon=":material/visibility:", width="stretch", key="wg_preview",
                      on_click=_preview, args=(event.id,))
    buttons[1].button(_("Send a test to me"), icon=":material/science:", width="stretch", key="wg_test",
                      on_click=_test, args=(event.id,))
    buttons[2].button(
        ngettext("Send to {count} person…", "Send to {count} people…", reached).format(count=format_number(reached)),
        type="primary", icon=":material/send:", width="stretch", key="wg_ask", on_click=_ask, args=(event.id,),
    )
    _problem(errors, "other")

    if panel and panel[1] == "confirm":
        _confirm(event, panel[2])
    elif panel and panel[1] == "test":
        _tested(p, *panel[2])
    elif preview is not None:
        st.subheader(_("Preview"), anchor=False)
        st.caption(_("As a guest gets it (with a sample link to their registration)."))
        show_message(preview)

    sent = s.get(SENT, {}).get(event.id)
    if sent:
        batch, subject = sent
        st.subheader(_("Your message “{subject}”").format(subject=escape_md(subject)), anchor=False)
        batch_progress(batch)
        st.page_link(OUTBOX, label=_("See each message in the outbox"), icon=":material/outbox:",
                     query_params={"id": str(event.id)})


def _problem(errors: dict, field: str) -> None:
    if errors.get(field):
        st.error(errors[field], icon=":material/error:")


def _field(err: PlannerError) -> str:
    return err.field if getattr(err, "field", None) in FIELDS else "other"


def _values(event_id: int) -> tuple[list[str], str, str]:
    s = st.session_state
    return list(s.get(key("to", event_id), [])), s.get(key("subject", event_id), ""), s.get(key("body", event_id), "")


def _fail(err: PlannerError) -> None:
    st.session_state[ERRORS] = {_field(err): error_md(err)}
    st.session_state[PANEL] = None


@language.activate
def _preview(event_id: int) -> None:
    st.session_state[ERRORS] = {}
    st.session_state[PANEL] = (event_id, "preview", None)


@language.activate
def _test(event_id: int) -> None:
    st.session_state[ERRORS] = {}
    _to, subject, body = _values(event_id)
    user = current_user()
    if user is None:  # signed out in another tab
        st.session_state[ERRORS] = {"other": sentence_md("organizer_only", {})}
        return
    try:
        message_id = planner().send_test_message(event_id, subject, body, user.email, actor=actor())
    except PlannerError as err:
        _fail(err)
    else:
        st.session_state[PANEL] = (event_id, "test", (message_id, user.email))


@language.activate
def _ask(event_id: int) -> None:
    """Checks everything a send would, writes nothing, then asks for the confirmation."""
    s = st.session_state
    s[ERRORS], s[PANEL] = {}, None
    to, subject, body = _values(event_id)
    p = planner()
    errors = {}
    try:
        p.preview_guest_message(event_id, subject, body, actor=actor())
    except ValidationError as err:
        errors[_field(err)] = error_md(err)
    except PlannerError as err:
        errors["other"] = error_md(err)
    if not to:
        errors["to"] = sentence_md("no_audience", {})
    elif not p.message_reach(event_id, to, actor=actor()):
        errors["to"] = sentence_md("no_recipients", {})
    if errors:
        s[ERRORS] = errors
        return
    s[PANEL] = (event_id, "confirm", (tuple(to), subject, body))


@language.activate
def _send(event_id: int, asked: tuple) -> None:
    s = st.session_state
    to, subject, body = _values(event_id)
    s[PANEL] = None
    if (tuple(to), subject, body) != asked:  # changed since the question: ask again
        return
    p = planner()
    try:
        batch = p.message_guests(event_id, subject, body, to=to, actor=actor())
    except PlannerError as err:
        _fail(err)
        return
    count = sum(p.outbox_counts(batch=batch, actor=actor()).values())
    s.setdefault(SENT, {})[event_id] = (batch, subject)
    s[key("subject", event_id)] = ""
    s[key("body", event_id)] = ""
    flash(ngettext("Your message is in the outbox for {count} person.",
                   "Your message is in the outbox for {count} people.", count).format(count=format_number(count)))


@language.activate
def _not_yet() -> None:
    st.session_state[PANEL] = None


def _confirm(event, asked: tuple) -> None:
    """The question before sending, naming how many people get the message."""
    to, subject, body = _values(event.id)
    if asked != (tuple(to), subject, body):
        return  # the fields changed since: the question no longer holds
    count = planner().message_reach(event.id, to, actor=actor())
    with st.container(border=True):
        st.warning(
            ngettext(
                "Send “{subject}” to **{count}** person now? It cannot be taken back.",
                "Send “{subject}” to **{count}** people now? It cannot be taken back.", count,
            ).format(subject=escape_md(subject), count=format_number(count)),
            icon=":material/send:",
        )
        yes, no = st.columns(2)
        yes.button(
            ngettext("Yes, send it to {count} person", "Yes, send it to {count} people", count).format(
                count=format_number(count)),
            type="primary", width="stretch", key="wg_send", on_click=_send, args=(event.id, asked),
        )
        no.button(_("Not yet"), width="stretch", key="wg_not_yet", on_click=_not_yet)


def _tested(p, message_id: int, address: str) -> None:
    """Where the test went, and the test itself to download."""
    st.success(_("A test message went to {address}.").format(address=escape_md(address)),
               icon=":material/check_circle:")
    if p.smtp is None:
        st.info(_("No mail server is set up, so the test waits in the outbox. Download it here to open it in your "
                  "mail app."), icon=":material/outbox:")
    try:
        data = p.outbox_eml(message_id, actor=actor())
    except Exception:  # noqa: BLE001 — a message that cannot be written is said in words, never a traceback
        st.warning(_("The test cannot be written out right now, so it cannot be downloaded."), icon=":material/warning:")
        return
    st.download_button(
        _("Download the test (.eml)"), data=data, file_name=f"message-{message_id}.eml", mime="message/rfc822",
        icon=":material/download:", on_click="ignore", key="wg_test_eml",
    )


if __name__ == "__main__":
    render()
