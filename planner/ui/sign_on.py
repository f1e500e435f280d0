"""An organization's contact answers sign-on requests: /sign-on?t=<token> (issue #14).

The link is the contact's own (one per organization and address): it lists every request of
that organization sent to them whose event has not ended, each with its own small form: yes or
no, the name to show, and a logo if wanted (PNG, JPEG or SVG; judged by ``planner/images.py``).
Opening the link changes nothing; only a button does. Answers can change until the event is
published, then they show as given.
"""

from __future__ import annotations

import streamlit as st

from planner import NotFound, PlannerError, images
from planner.codes import ORGANIZATION_ROLE_LABELS, SIGN_ON_STATUS_LABELS, When, label
from planner.i18n import _
from planner.ui.components.markdown import error_md, escape_md
from planner.ui.components.messages import flash, show_flash, invalid_link
from planner.ui.components.session import planner

YES, NO = "yes", "no"


def _request(p, token: str, found, request) -> None:
    event = request.event
    with st.container(border=True, key=f"sign_on_request_{request.id}"):
        st.subheader(escape_md(event.title))
        st.caption(str(When(event.local_start, event.local_end)) + " · " + escape_md(event.place))
        # Translators: the role an organization is asked to take on an event ("co-sponsor").
        st.markdown(_("Asked as: **{role}**").format(role=label(ORGANIZATION_ROLE_LABELS, request.role)))
        if request.status != "pending":
            st.markdown(_("Your answer: **{answer}**").format(answer=label(SIGN_ON_STATUS_LABELS, request.status)))
            if request.status == "confirmed":
                st.caption(_("Shown as: {name}").format(name=escape_md(request.display_name or found.organization)))
                if request.logo:
                    st.image(p.picture(request.logo), width=96, caption=_("Your logo"))
        if not request.changeable:
            st.caption(_("The event is published, so this answer can no longer change. Write to the organizers if "
                         "something is wrong."))
            return
        with st.form(f"sign_on_form_{request.id}", border=False):
            choice = st.radio(
                _("Do you agree to have {organization} named on this event?").format(
                    organization=escape_md(found.organization)),
                [YES, NO], index=1 if request.status == "declined" else 0, horizontal=True,
                format_func=lambda v: _("Yes, name us") if v == YES else _("No"), key=f"sign_on_choice_{request.id}")
            name = st.text_input(_("Name to show on the event page"), value=request.display_name or found.organization,
                                 max_chars=200, key=f"sign_on_name_{request.id}")
            logo = st.file_uploader(
                _("Logo (optional: PNG, JPEG or SVG, up to 8 MB)"), type=["png", "jpg", "jpeg", "svg"],
                key=f"sign_on_logo_{request.id}", max_upload_size=images.MAX_BYTES // (1024 * 1024))  # as said
            if request.logo:
                st.caption(_("You sent a logo already; send another only to replace it."))
            if st.form_submit_button(_("Send my answer"), type="primary", icon=":material/send:"):
                try:
                    p.answer_sign_on(token, request.id, confirm=choice == YES, display_name=name,
                                     logo=logo.getvalue() if logo is not None else None)
                except PlannerError as err:
                    st.error(error_md(err), icon=":material/error:")
                else:
                    flash(_("Thank you: your answer for “{title}” is saved.").format(title=escape_md(event.title)))
                    st.rerun()


def render() -> None:
    p = planner()
    token = st.query_params.get("t", "")
    try:
        found = p.sign_on(token)
    except NotFound as err:
        invalid_link(err)
        return
    st.title(_("Sign on for {organization}").format(organization=escape_md(found.organization)))
    show_flash()
    if not found.requests:
        st.info(_("There is nothing to answer right now: the events you were asked about have ended or were "
                  "cancelled."), icon=":material/info:")
        return
    st.write(_("Organizers would like to name your organization on the events below. Nothing is shown as confirmed "
               "until you say yes. You can change your answer while an event is not published yet; once it is, "
               "your answer stays as given."))
    for request in found.requests:
        _request(p, token, found, request)


if __name__ == "__main__":
    render()
