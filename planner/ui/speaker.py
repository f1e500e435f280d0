"""A speaker answers their confirmation request: /speaker?t=<token> (issue #14).

One form: yes or no; when yes, how they take part, their name as on the ID document (the host's
security list needs it to let them in), a short bio, their language and a photo (PNG or JPEG,
resized by ``planner/images.py``). Opening the link changes nothing; the button does. The
answer can change until the event is published.
"""

from __future__ import annotations

import streamlit as st

from planner import NotFound, PlannerError, clock, images
from planner.codes import SIGN_ON_STATUS_LABELS, SPEAKER_ATTENDANCE, SPEAKER_ATTENDANCE_LABELS, SPEAKER_ROLE_LABELS, \
    When, label
from planner.i18n import _
from planner.ui.components.markdown import error_md, escape_md
from planner.ui.components.messages import flash, show_flash, invalid_link
from planner.ui.components.session import planner

YES, NO = "yes", "no"


def render() -> None:
    p = planner()
    token = st.query_params.get("t", "")
    try:
        found = p.speaker_request(token)
    except NotFound as err:
        invalid_link(err)
        return
    event = found.event
    st.title(_("Will you speak at this event?"))
    show_flash()
    st.subheader(escape_md(event.title))
    st.caption(str(When(event.local_start, event.local_end)) + " · " + escape_md(event.place))
    st.markdown(_("{name}, the organizers invited you as: **{role}**").format(
        name=escape_md(found.name), role=label(SPEAKER_ROLE_LABELS, found.role)))
    if found.status != "pending":
        st.markdown(_("Your answer: **{answer}**").format(answer=label(SIGN_ON_STATUS_LABELS, found.status)))
    if not found.changeable:
        if event.status == "cancelled" or event.ends_at <= clock.now():
            st.info(_("This event has ended or was cancelled, so there is nothing left to answer."),
                    icon=":material/info:")
        else:
            st.caption(_("The event is published, so this answer can no longer change. Write to the organizers if "
                         "something is wrong."))
        return
    with st.form("speaker_form"):
        choice = st.radio(_("Will you take part?"), [YES, NO], index=1 if found.status == "declined" else 0,
                          horizontal=True, format_func=lambda v: _("Yes") if v == YES else _("No"),
                          key="speaker_choice")
        st.caption(_("If you say yes, please fill in the rest."))
        attendance = st.radio(_("How will you take part?"), list(SPEAKER_ATTENDANCE),
                              index=SPEAKER_ATTENDANCE.index(found.attendance) if found.attendance else None,
                              format_func=lambda v: label(SPEAKER_ATTENDANCE_LABELS, v), key="speaker_attendance")
        id_name = st.text_input(_("Your name as written on your ID document"), value=found.id_name, max_chars=200,
                                help=_("Only the organizers and the host's security see it; needed to come in person."),
                                key="speaker_id_name")
        bio = st.text_area(_("Short bio for the event page"), value=found.bio, max_chars=1000, key="speaker_bio")
        speaks = st.text_input(_("The language you will speak in"), value=found.speaks, max_chars=60,
                               key="speaker_speaks")
        photo = st.file_uploader(_("Photo for the event page (optional: PNG or JPEG, up to 8 MB)"),
                                 type=["png", "jpg", "jpeg"], key="speaker_photo",
                                 max_upload_size=images.MAX_BYTES // (1024 * 1024))  # the box says what the label says
        if found.photo:
            st.caption(_("You sent a photo already; send another only to replace it."))
        if st.form_submit_button(_("Send my answer"), type="primary", icon=":material/send:"):
            try:
                p.answer_speaker(token, confirm=choice == YES, bio=bio, id_name=id_name, attendance=attendance,
                                 speaks=speaks, photo=photo.getvalue() if photo is not None else None)
            except PlannerError as err:
                st.error(error_md(err), icon=":material/error:")
            else:
                flash(_("Thank you: your answer is saved.") if choice == YES
                      else _("Thank you for letting us know: your answer is saved."))
                st.rerun()


if __name__ == "__main__":
    render()
