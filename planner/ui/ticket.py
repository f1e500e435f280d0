"""An attendee's private page: /ticket?t=<manage_token>. See, change or cancel a registration."""

from __future__ import annotations

import base64
import html

import streamlit as st

from planner import NotFound, PlannerError, ValidationError, clock
from planner import i18n
from planner.i18n import N_, _, current, format_number
from planner.ui.components import a11y, language, questions_form
from planner.ui.components.calendar_buttons import calendar_file_name, web_calendar_buttons
from planner.ui.components.copy_link import copy_link
from planner.ui.components.link_request import lost_link_section
from planner.ui.components.mail_choice import messages_choice
from planner.ui.components.markdown import error_md, escape_md
from planner.ui.components.messages import flash, show_flash
from planner.ui.components.session import planner
from planner.ui.components.times import long_date, time_range

STATUS_TEXT = {
    # Translators: {name} is the attendee's name; **…** is bold (Markdown).
    "confirmed": (N_("**Your place is confirmed**, {name}."), ":material/check_circle:"),
    "waitlisted": (N_("**You're on the waiting list**, {name}."), ":material/hourglass_top:"),
    "cancelled": (N_("**This registration is cancelled**, {name}."), ":material/cancel:"),
}


def render() -> None:
    p = planner()
    token = st.query_params.get("t", "")
    try:
        registration = p.registration(token)
    except NotFound:
        st.title(_("Registration not found"), anchor=False)
        st.info(
            _(
                "We could not find a registration for this link. Check that you copied the whole link "
                "from your registration confirmation."
            ),
            icon=":material/search_off:",
        )
        lost_link_section()
        return
    event = p.get_event(registration.event_id).localized(current())

    st.caption(_("Your registration"))
    st.title(i18n.typed(escape_md(event.title)), anchor=False)  # its own direction in Arabic
    show_flash()
    if event.status == "cancelled":
        # Translators: {reason} is the organizer's own words, shown after this sentence.
        st.error(_("**The event is cancelled.** {reason}").format(reason=i18n.typed(escape_md(event.cancel_reason))),
                 icon=":material/event_busy:")
    place = i18n.typed(escape_md(event.place))  # room, venue and address; "— and online"; "Place to be announced"
    icon = ":material/videocam:" if event.format == "online" else ":material/location_on:"
    st.markdown(f":material/schedule: **{long_date(event.local_start)}** · {time_range(event)}  \n{icon} {place}")
    _to_the_event(p, event, registration)

    sentence, icon = STATUS_TEXT[registration.status]
    body = str(sentence.format(name=i18n.typed(escape_md(registration.name))))
    if registration.status == "waitlisted":
        # Translators: **{position}** is the place on the waiting list (1 = next in), in bold.
        more = _("You are number **{position}** on the list and move up by yourself when a place frees up.")
        body = f"{body} {more.format(position=format_number(registration.position))}"
    if event.status != "cancelled":  # a place at a cancelled event is no news worth a green box
        box = {"confirmed": st.success, "waitlisted": st.warning, "cancelled": st.info}[registration.status]
        box(body, icon=icon)

    # Registration.has_ticket: confirmed, at an event with a door (not online-only, not cancelled).
    if registration.has_ticket:
        _ticket(p, token, registration)
    join_url = p.join_url(token)
    if join_url:
        st.link_button(_("Join online"), join_url, icon=":material/videocam:")
    if registration.status != "cancelled":
        with st.container(horizontal=True):
            st.download_button(
                _("Add to my calendar (.ics)"), data=language.later(lambda: p.registration_ics(token)),
                file_name=calendar_file_name(event), mime="text/calendar", icon=":material/event_available:",
                on_click="ignore",
                help=_("Your own calendar file: the event, with the link to this page (and the link to join, "
                       "if it is online). It is updated when you open it again after a change."),
            )
            web_calendar_buttons(p.registration_calendar_links(token))
    _private_link(p, token)
    _details(p, token, registration, event)
    if registration.status != "cancelled" and event.status != "cancelled":  # nothing to free at a cancelled event
        _cancel(p, token, registration)


def _to_the_event(p, event, registration) -> None:
    """The way to the event's public page (its description, speakers and share links), as
    *Register again* once this registration is cancelled and the event still takes them."""
    if not event.is_public:
        return
    url = i18n.in_address(f"{p.base_url}/e/{event.id}")
    if registration.status == "cancelled" and event.registration_closed(clock.now()) is None:
        st.link_button(_("Register again"), url + "#register", icon=":material/how_to_reg:")
    else:
        # Translators: a link from the private page to the event's public page.
        words = _("Event page: details, speakers and sharing")
        st.markdown(f":material/info: [{words}]({url})")


def _private_link(p, token) -> None:
    """The page's own address in full, wrapping on a phone, with a Copy button (issue #16)."""
    st.markdown(
        _(
            "**Your private link** — keep it: it lets you see, change or cancel your registration. "
            "Anyone with it can do the same, so don't share it."
        )
    )
    copy_link(i18n.in_address(f"{p.base_url}/ticket?t={token}"), key="private-link")


def _ticket(p, token, registration) -> None:
    """The QR code the door scans, large, with the code printed under it for typing."""
    png = p.ticket_qr_png(token)
    with st.container(border=True, horizontal_alignment="center"):
        st.markdown(_("**Your ticket** — show it at the door"))
        # An image with its text alternative (st.image gives none): the code it holds, said in words.
        # Translators: the text alternative of the ticket's QR code image, read by screen readers.
        alt = _("QR code for ticket {code}").format(code=registration.ticket_code)
        src = "data:image/png;base64," + base64.b64encode(png).decode()
        st.html(f"<img data-testid='ticket-qr' src='{src}' alt='{html.escape(alt, quote=True)}' width='300' height='300'"
                " style='max-width:100%;height:auto;display:block;margin:0 auto;image-rendering:pixelated'>")
        # The code to type, large and left to right: not a heading (it names no section).
        st.html(f"<p data-testid='ticket-code' style='text-align:center;margin:0'><code dir='ltr' style='"
                f"font-size:clamp(1rem,5vw,1.6rem);white-space:nowrap;"
                f"font-weight:700;letter-spacing:.04em;color:#31333f;background:#f0f2f6;padding:.2rem .5rem;"
                f"border-radius:.4rem'>{html.escape(registration.ticket_code)}</code></p>")
        st.download_button(
            _("Save the ticket (PNG)"), data=png,
            # Translators: the name of the ticket's image file people download, without its extension.
            file_name=_("ticket") + ".png", mime="image/png", icon=":material/download:", on_click="ignore",
        )


def _details(p, token, registration, event) -> None:
    st.header(_("Your details"), anchor=False)
    st.caption(_("Registered as {email}").format(email=i18n.ltr(escape_md(registration.email))))
    if registration.status == "cancelled" or event.status == "cancelled":  # nothing left to change
        who = i18n.typed(escape_md(registration.name))
        if registration.organization:
            # Translators: a person and their organization.
            who = _("{name} — {organization}").format(name=who, organization=escape_md(registration.organization))
        st.markdown(who)
        if registration.email and registration.status != "cancelled":
            messages_choice(p, token, registration)
        return
    asked = p.event_questions(registration.event_id)
    # (field, message) of this page's last Save, shown beside its field (another private link
    # opened in the same browser session has its own).
    refused = st.session_state.get(f"tk_refused_{registration.id}")

    def beside(field: str) -> None:
        if refused and refused[0] == field:
            a11y.field_error(refused[1], f"tk_{field}")

    with st.form("ticket_details"):
        # Keys name the widgets, so an error can be tied to its field (a11y.field_error).
        st.text_input(_("Your name"), registration.name, max_chars=200, key="tk_name")
        beside("name")
        st.text_input(_("Organization (optional)"), registration.organization, max_chars=200, key="tk_organization")
        beside("organization")
        questions_form.draw("tk", asked, beside, registration)
        st.text_area(
            _("Access or interpretation needs (optional)"), registration.needs, max_chars=500, height=80,
            key="tk_needs",
        )
        beside("needs")
        questions_form.privacy("tk", registration)
        _earlier_answers(registration, asked)
        drawn_beside = {*_FIELDS_BESIDE, *(k for q in asked if q.builtin != "needs" for k in q.answer_keys)}
        if refused and refused[0] not in drawn_beside:
            a11y.field_error(refused[1], "tk_form")  # not about one field drawn here: above the button
        st.form_submit_button(_("Save changes"), on_click=_save_details, args=(p, token, registration.id, asked))
    if registration.email:  # walk-ins without an address get no mail to choose
        messages_choice(p, token, registration)


_FIELDS_BESIDE = ("name", "organization", "needs")


@language.activate
def _save_details(p, token, registration_id: int, asked) -> None:
    """*Save changes*, before the page is drawn again: a refusal is kept for its field to show."""
    s = st.session_state
    key = f"tk_refused_{registration_id}"
    try:
        p.update_registration(token, name=s.get("tk_name", ""), organization=s.get("tk_organization", ""),
                              needs=s.get("tk_needs", ""), answers=questions_form.answers("tk", asked),
                              **questions_form.choices("tk"))
    except (ValidationError, PlannerError) as err:  # tied to its field and announced
        s[key] = (getattr(err, "field", None), error_md(err))
    else:
        s.pop(key, None)
        flash(_("Saved your details."))


def _earlier_answers(registration, asked) -> None:
    """Answers to questions the form no longer asks, as they were given (read only)."""
    current = {k for q in asked for k in q.answer_keys}
    earlier = [a for a in registration.answer_items if a.key not in current]
    if earlier:
        st.caption(_("Answers to questions the form no longer asks:"))
        st.markdown("  \n".join(f"{escape_md(a.label)}: {escape_md(a.shown)}" for a in earlier))


def _cancel(p, token, registration) -> None:
    st.header(_("Can't come?"), anchor=False)
    if not st.session_state.get("ticket_confirm_cancel"):
        st.caption(_("Cancelling frees your place for the next person on the waiting list."))
        if st.button(_("Cancel my registration"), icon=":material/event_busy:"):
            st.session_state["ticket_confirm_cancel"] = True
            st.rerun()
        return
    st.warning(_("Cancel your registration? This cannot be undone; you can register again while places are open."))
    yes, no = st.columns(2)
    if yes.button(_("Yes, cancel it"), type="primary", width="stretch"):
        p.cancel_registration(token)
        st.session_state["ticket_confirm_cancel"] = False
        flash(_("Your registration is cancelled. Thank you for freeing your place."))
        st.rerun()
    if no.button(_("No, keep my place"), width="stretch"):
        st.session_state["ticket_confirm_cancel"] = False
        st.rerun()


if __name__ == "__main__":
    render()
