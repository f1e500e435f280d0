"""The RSVP box of an event page, and what the attendee sees once registered.

The box is a fragment (``@st.fragment``, issue #17): pressing *Register* (or *Register someone
else*, or the lost-link form) reruns only the box, not the event page around it, which is the
page a registration rush opens and whose details do not change between the two runs. What the
box needs it reads itself on every run of its own: the counts (full, places left), the session
state (the form's values, the answer, the proof-of-work round), the flood limits (through
``client_key``) and the session's language (``language.activate``, since a fragment rerun
skips ``main.py``). The event is the one the page read in its last full run; whatever changed
since is the Planner's to refuse when the form is sent."""

from __future__ import annotations

import streamlit as st

from planner import PendingConfirmation, PlannerError, ValidationError, clock
from planner.codes import REGISTRATION_CLOSED
from planner.models import Registration
from planner import i18n
from planner.i18n import _
from planner.ui.components import a11y, altcha, language, questions_form
from planner.ui.components.calendar_buttons import calendar_file_name
from planner.ui.components.link_request import lost_link_expander
from planner.outputs import sentences
from planner.ui.components.markdown import error_md
from planner.ui.components.session import base_url, client_key, planner

FIELDS = ("name", "email", "organization", "needs")


@language.activate
def _submit(event_id: int) -> None:
    """Form callback: runs before the page is drawn, so the result shows in the same run."""
    s = st.session_state
    s.pop(f"rsvp_error_{event_id}", None)
    s.pop(f"rsvp_more_{event_id}", None)
    answers: dict = {}
    earlier = s.get(f"rsvp_done_{event_id}")
    try:
        fields = {f: s.get(f"rsvp_{f}_{event_id}", "") for f in FIELDS}
        asked = planner().event_questions(event_id)
        prefix = f"rsvp_q_{event_id}"
        answers = questions_form.answers(prefix, asked)
        done = planner().register(event_id, **fields, proof=s.get(_proof_key(event_id)),
                                  answers=answers, **questions_form.choices(prefix),
                                  client=client_key())  # flood limits: TooManyRequests
        _next_challenge(event_id)  # a solution is good once
        # A second press of Register while the first was still on its way (a slow rush) finds
        # the place just taken: keep the first answer, which carries the private link.
        if (isinstance(done, Registration) and done.already_registered and isinstance(earlier, Registration)
                and earlier.id == done.id and earlier.manage_token):
            done = earlier
        s[f"rsvp_done_{event_id}"] = done
    except ValidationError as err:
        s[f"rsvp_error_{event_id}"] = (err.field, error_md(err))
        others = planner().registration_problems(event_id, **fields, answers=answers, besides=err)
        s[f"rsvp_more_{event_id}"] = {o.field: error_md(o) for o in reversed(others)}  # the first per field
        if err.field == "proof":
            _next_challenge(event_id)
    except PlannerError as err:
        s[f"rsvp_error_{event_id}"] = (None, error_md(err))


def _proof_key(event_id: int) -> str:
    """The widget's key: a new one (a new widget, a new challenge) after each use."""
    return f"rsvp_proof_{event_id}_{st.session_state.get(f'rsvp_round_{event_id}', 0)}"


def _next_challenge(event_id: int) -> None:
    s = st.session_state
    s.pop(f"rsvp_challenge_{event_id}", None)
    s[f"rsvp_round_{event_id}"] = s.get(f"rsvp_round_{event_id}", 0) + 1


def _proof_check(event) -> None:
    """Inside the form of an event in proof-of-work mode: the widget, with a challenge made
    once per form (every rerun would otherwise start the widget over)."""
    if not altcha.available():
        st.warning(
            str(sentences.PROOF_UNAVAILABLE),
            icon=":material/error:",
        )
        return
    s = st.session_state
    challenge = s.get(f"rsvp_challenge_{event.id}")
    if challenge is None:
        challenge = s[f"rsvp_challenge_{event.id}"] = planner().registration_challenge(event.id)
    altcha.proof_widget(challenge, key=_proof_key(event.id))


def private_link(token: str) -> str:
    return i18n.in_address(f"{base_url()}/ticket?t={token}")


def render_rsvp(event) -> None:
    """The registration box: closed, done, or the form (with the waiting list when full); and,
    unless this session has just registered, the way to get a lost private link by email.
    One fragment: its buttons rerun it alone."""
    _rsvp_fragment(event)


@st.fragment
@language.activate
def _rsvp_fragment(event) -> None:
    _registration_box(event, planner().event_counts(event.id))
    if event.is_public and event.status != "cancelled" and st.session_state.get(f"rsvp_done_{event.id}") is None:
        lost_link_expander(event)


@language.activate
def _register_again(event_id: int) -> None:
    """"Register someone else": forget the answer and the form's values (a callback, so the
    fragment's own rerun draws the empty form)."""
    s = st.session_state
    s.pop(f"rsvp_done_{event_id}", None)
    # A second press of Register after the first was answered found its check used up.
    s.pop(f"rsvp_error_{event_id}", None)
    s.pop(f"rsvp_more_{event_id}", None)
    for f in FIELDS:
        s.pop(f"rsvp_{f}_{event_id}", None)
    for key in [k for k in s if str(k).startswith(f"rsvp_q_{event_id}_")]:
        del s[key]


def _registration_box(event, counts) -> None:
    st.header(_("Register"), anchor="register")  # h2 under the page's h1 (headings in order)
    closed = event.registration_closed(clock.now())
    if closed:
        st.caption(str(REGISTRATION_CLOSED[closed]))
        return

    done = st.session_state.get(f"rsvp_done_{event.id}")
    if done is not None:
        show_registered(event, done)
        st.button(_("Register someone else"), key=f"rsvp_again_{event.id}", on_click=_register_again, args=(event.id,))
        return

    if counts.is_full:
        st.warning(sentences.full_notice(counts), icon=":material/hourglass_top:")
    elif counts.seats_left is not None and counts.seats_left <= 10:
        st.caption(sentences.places_left(counts.seats_left))

    error_field, error = st.session_state.get(f"rsvp_error_{event.id}", (None, None))
    errors = {**st.session_state.get(f"rsvp_more_{event.id}", {}), **({error_field: error} if error else {})}

    def field_error(name: str) -> None:
        if errors.get(name):  # beside its field, tied to it and announced (a11y)
            widget = f"rsvp_{name}_{event.id}" if name in FIELDS else f"rsvp_q_{event.id}_{name}"
            a11y.field_error(errors[name], widget)

    asked = planner().event_questions(event.id)
    answer_keys = {k for q in asked for k in q.answer_keys}
    with st.form(f"rsvp_{event.id}", border=True):
        st.text_input(_("Your name"), key=f"rsvp_name_{event.id}", max_chars=200, autocomplete="name")
        field_error("name")
        st.text_input(
            _("Email"), key=f"rsvp_email_{event.id}", autocomplete="email",
            # Translators: an example email address, shown greyed in the empty email field.
            placeholder=_("you@example.org"),
        )
        field_error("email")
        st.text_input(
            _("Organization (optional)"), key=f"rsvp_organization_{event.id}", max_chars=200, autocomplete="organization"
        )
        field_error("organization")
        questions_form.draw(f"rsvp_q_{event.id}", asked, field_error)
        needs = next((q for q in asked if q.builtin == "needs"), None)
        if needs is not None:
            st.text_area(
                sentences.needs_label(needs.required),
                key=f"rsvp_needs_{event.id}", max_chars=500, height=80,
                placeholder=str(sentences.NEEDS_PLACEHOLDER),
            )
            field_error("needs")
        questions_form.privacy(f"rsvp_q_{event.id}")
        if event.registration_mode == "proof_of_work":
            _proof_check(event)
            field_error("proof")
        if error and error_field not in (*FIELDS, "proof", *answer_keys):
            a11y.field_error(error, f"rsvp_form_{event.id}")
        if event.registration_mode == "email":
            st.caption(str(sentences.EMAIL_MODE_NOTE))
        st.caption(sentences.privacy_notice(planner().retention_days, "given_names" in answer_keys))
        # A check this server cannot show cannot be passed: no button to press in vain.
        unpassable = event.registration_mode == "proof_of_work" and not altcha.available()
        st.form_submit_button(
            _("Join the waiting list") if counts.is_full else _("Register"),
            type="primary", width="stretch", on_click=_submit, args=(event.id,), disabled=unpassable,
        )


def show_registered(event, registration) -> None:
    """Status, calendar file and private link, right after registering."""
    kind, said = sentences.answer_md(registration)
    if isinstance(registration, PendingConfirmation) or registration.already_registered:
        icon = ":material/mark_email_read:" if isinstance(registration, PendingConfirmation) else ":material/how_to_reg:"
        st.info(said, icon=icon)
        return
    if kind == "success":
        st.success(said, icon=":material/check_circle:")
    else:
        st.warning(said, icon=":material/hourglass_top:")
    link = private_link(registration.manage_token)
    token = registration.manage_token
    st.download_button(
        _("Add to my calendar (.ics)"),
        data=language.later(lambda: planner().registration_ics(token)),  # built on click only
        file_name=calendar_file_name(event),
        mime="text/calendar",
        icon=":material/event_available:",
        key=f"rsvp_ics_{event.id}",
        on_click="ignore",  # a download changes nothing: no rerun racing the file request
    )
    st.markdown(sentences.private_link_note())
    st.code(link, language=None, wrap_lines=True)  # in full on a phone too (issue #16)
    st.link_button(_("Open my private page"), link, icon=":material/open_in_new:")
