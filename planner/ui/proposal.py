"""The proposer's private page: /proposal?t=<token> (issue #14). Where the proposal stands, the
comments meant for its proposers and an answer to them, changes until a decision, and
withdrawing. The token decides (``Planner.proposal``): no sign-in."""

from __future__ import annotations

import streamlit as st

from planner import NotFound, PlannerError, ValidationError, clock
from planner.codes import PROPOSAL_STATUS_LABELS
from planner.i18n import _
from planner.ui.components import proposal_form
from planner.ui.components.proposal_view import comment_line, details
from planner.ui.components.markdown import error_md, escape_md
from planner.ui.components.messages import invalid_link
from planner.ui.components.session import PAGE_SET, planner

PREFIX = "propedit"
STATUS_ICONS = {"submitted": ":material/hourglass_top:", "changes_requested": ":material/edit_note:",
                "accepted": ":material/task_alt:", "declined": ":material/block:", "withdrawn": ":material/undo:",
                "merged": ":material/merge:"}


def _token() -> str:
    return st.query_params.get("t", "")


def _act(action, done: str) -> None:
    """A button's callback: the Planner call, then what it did (or why not) for this run."""
    s = st.session_state
    s.pop("prop_error", None)
    try:
        action()
    except ValidationError as err:
        s["prop_error"] = (err.field, error_md(err))
    except PlannerError as err:
        s["prop_error"] = (None, error_md(err))
    else:
        s["prop_flash"] = done


def _save(call) -> None:
    _act(lambda: planner().edit_proposal(_token(), **proposal_form.collect(PREFIX, call)),
         _("Your changes are saved. The organizers see them now."))


def _reply() -> None:
    def send():
        planner().reply_to_proposal(_token(), st.session_state.get("prop_reply", ""))
        st.session_state["prop_reply"] = ""
    _act(send, _("Your answer is sent to the organizers."))


def _withdraw() -> None:
    _act(lambda: planner().withdraw_proposal(_token()), _("Your proposal is withdrawn."))


def render() -> None:
    try:
        p = planner().proposal(_token())
    except NotFound as err:
        invalid_link(err)
        return
    s = st.session_state
    st.title(_("Your proposal"))
    st.subheader(escape_md(p.title))
    # Translators: under a proposal's title: the call it was made to, and where it stands.
    st.caption(_("To: {call} · Status: {status}").format(call=escape_md(p.call.title),
                                                         status=PROPOSAL_STATUS_LABELS[p.status]))
    flash = s.pop("prop_flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    error_field, error = s.pop("prop_error", None) or (None, None)
    status_text = {
        "submitted": _("The organizers have your proposal and will decide after the call closes."),
        "changes_requested": _("The organizers ask for changes: see their comment below, then change your proposal "
                               "and save."),
        "accepted": _("Accepted: the organizers are preparing the event and will publish it on the programme."),
        "declined": _("The organizers could not accept this proposal."),
        "withdrawn": _("You withdrew this proposal."),
        "merged": _("This proposal was merged into another one."),
    }[p.status]
    st.info(status_text, icon=STATUS_ICONS[p.status])
    if p.status == "declined" and p.decline_reason:
        # Translators: above the organizers' words on why they declined a proposal; **…** is bold.
        st.markdown(_("**Reason:** {reason}").format(reason=proposal_form.plain(p.decline_reason)))
    if error and error_field in (None, "status", "body"):
        st.error(error, icon=":material/error:")

    details(p)

    st.subheader(_("Comments"))
    if not p.comments:
        st.caption(_("No comments yet."))
    for c in p.comments:
        with st.container(border=True):
            st.markdown(comment_line(c, p.call.timezone))
    if p.status != "merged":
        st.text_area(_("Answer the organizers"), key="prop_reply", persist_state=PAGE_SET, max_chars=4000, height=100)
        st.button(_("Send the answer"), key="prop_reply_send", icon=":material/send:", on_click=_reply)

    if p.editable(clock.now()):
        with st.expander(_("Change your proposal"), expanded=p.status == "changes_requested" or (
                error is not None and error_field not in (None, "status", "body"))):
            proposal_form.load(PREFIX, p)

            def field_error(name: str) -> None:
                if error and error_field == name:
                    st.error(error, icon=":material/error:")

            proposal_form.draw(PREFIX, p.call, field_error)
            st.button(_("Save the changes"), key="prop_save", type="primary", icon=":material/save:",
                      on_click=_save, args=(p.call,))
    if p.is_open:
        with st.expander(_("Withdraw the proposal")):
            st.write(_("The organizers will no longer consider it. This cannot be undone."))
            sure = st.checkbox(_("Yes, withdraw my proposal"), key="prop_withdraw_sure")
            st.button(_("Withdraw"), key="prop_withdraw", disabled=not sure, icon=":material/undo:",
                      on_click=_withdraw)


if __name__ == "__main__":
    render()
