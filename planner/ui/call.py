"""A call for side events: /call?c=<key> (issue #14). Anyone with the link reads the call and,
while it is open, proposes an event. The proof-of-work check and the flood limits of the RSVP
form apply; the answer gives the proposer's private link (also emailed)."""

from __future__ import annotations

import streamlit as st

from planner import NotFound, PlannerError, TooManyRequests, ValidationError, clock, i18n
from planner.codes import Moment
from planner.i18n import _
from planner.ui.components import altcha, proposal_form
from planner.ui.components.markdown import error_md, escape_md
from planner.ui.components.navigation import PROGRAMME
from planner.ui.components.messages import invalid_link
from planner.ui.components.session import base_url, client_key, planner

PREFIX = "call"


def _proof_key(call_id: int) -> str:
    return f"call_proof_{call_id}_{st.session_state.get(f'call_round_{call_id}', 0)}"


def _next_challenge(call_id: int) -> None:
    s = st.session_state
    s.pop(f"call_challenge_{call_id}", None)
    s[f"call_round_{call_id}"] = s.get(f"call_round_{call_id}", 0) + 1


def _submit(key: str, call_id: int) -> None:
    """The button's callback: runs before the page is drawn, so the answer shows in this run."""
    s = st.session_state
    s.pop("call_error", None)
    call = planner().public_call(key)
    try:
        done = planner().propose_event(
            key, name=s.get("call_name", ""), email=s.get("call_email", ""),
            organization=s.get("call_organization", ""), proof=s.get(_proof_key(call_id)), client=client_key(),
            language=i18n.current(), **proposal_form.collect(PREFIX, call))
    except ValidationError as err:
        s["call_error"] = (err.field, error_md(err))
        if err.field == "proof":
            _next_challenge(call_id)
    except (TooManyRequests, PlannerError) as err:
        s["call_error"] = (None, error_md(err))
    else:
        _next_challenge(call_id)
        s[f"call_done_{call_id}"] = done


def _again(call_id: int) -> None:
    s = st.session_state
    s.pop(f"call_done_{call_id}", None)
    for key in [k for k in s if str(k).startswith(f"{PREFIX}_")]:
        if not str(key).startswith(("call_round_", "call_challenge_", "call_proof_")):
            del s[key]


def private_link(token: str) -> str:
    return i18n.in_address(f"{base_url()}/proposal?t={token}")


def render() -> None:
    p = planner()
    key = st.query_params.get("c", "")
    try:
        call = p.public_call(key)
    except NotFound as err:
        invalid_link(err)
        return
    st.title(escape_md(call.title))
    # Translators: under a call's title: the summit, and when the call takes proposals (in the summit's zone).
    st.caption(_("{summit} · open from {opens} to {closes} ({zone})").format(
        summit=escape_md(call.summit_name), opens=Moment(call.opens_at), closes=Moment(call.closes_at),
        zone=call.timezone))
    if call.text:
        st.markdown(proposal_form.plain(call.text))
    done = st.session_state.get(f"call_done_{call.id}")
    if done is not None:
        st.success(_("Thank you: your proposal “{title}” was received.").format(title=escape_md(done.title)),
                   icon=":material/task_alt:")
        st.markdown(_("Keep this private link: it is the only way to follow your proposal, answer the organizers, "
                      "and change or withdraw it until they decide. We also emailed it to you."))
        st.code(private_link(done.token), language=None)
        st.link_button(_("Open your proposal"), private_link(done.token), icon=":material/open_in_new:")
        st.button(_("Propose another event"), key="call_again", on_click=_again, args=(call.id,))
        return
    now = clock.now()
    if not call.is_open(now):
        if now < call.opens_at:
            st.info(_("This call opens on {opens}. Come back then to propose an event.").format(
                opens=Moment(call.opens_at)), icon=":material/schedule:")
        else:
            st.info(_("This call closed on {closes}: it takes no more proposals.").format(
                closes=Moment(call.closes_at)), icon=":material/event_busy:")
        st.page_link(PROGRAMME, label=_("See the whole programme"), icon=":material/arrow_back:")
        return
    _form(call)


def _form(call) -> None:
    error_field, error = st.session_state.get("call_error") or (None, None)
    shown = set()

    def field_error(name: str) -> None:
        if error and error_field == name:
            shown.add(name)
            st.error(error, icon=":material/error:")

    st.subheader(_("Propose an event"))
    st.caption(_("Fields not marked optional are required."))
    proposal_form.draw(PREFIX, call, field_error)
    st.markdown("**" + _("Your contact") + "**")
    st.caption(_("Only the organizers see it. We email you a private link to follow your proposal."))
    st.text_input(_("Your name"), key="call_name", max_chars=200)
    field_error("name")
    st.text_input(_("Your email"), key="call_email", max_chars=254)
    field_error("email")
    st.text_input(_("Your organization (optional)"), key="call_organization", max_chars=200)
    field_error("organization")
    if not altcha.available():
        st.warning(_("Proposals need a check that this server cannot show right now. Please try again later."),
                   icon=":material/error:")
    else:
        s = st.session_state
        challenge = s.get(f"call_challenge_{call.id}")
        if challenge is None:
            challenge = s[f"call_challenge_{call.id}"] = planner().call_challenge(call.key)
        altcha.proof_widget(challenge, key=_proof_key(call.id), proposing=True)
        field_error("proof")
    if error and error_field not in shown:
        st.error(error, icon=":material/error:")
    st.button(_("Send the proposal"), key="call_submit", type="primary", icon=":material/send:",
              on_click=_submit, args=(call.key, call.id))


if __name__ == "__main__":
    render()
