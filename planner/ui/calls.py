"""Calls for events (issue #14): per summit, the calls with their window, how many proposals each
received and the link to share; open a call, change it or close it now. Times are typed and
shown in the summit's zone. The questions are the registration questions' kinds, edited as a
table (one row per question; choices separated by semicolons)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from planner import PlannerError, ValidationError, clock
from planner.areas.questions import KINDS
from planner.codes import Moment, QUESTION_KIND_LABELS
from planner.i18n import _, format_number, ngettext
from planner.ui.components.markdown import error_md, escape_md
from planner.ui.components.messages import flash, show_flash
from planner.ui.components.navigation import PROPOSALS
from planner.ui.components.session import actor, base_url, planner


def call_link(call) -> str:
    return f"{base_url()}/call?c={call.key}"


def _questions_table(call) -> pd.DataFrame:
    rows = [{"id": q.id, "label": q.label, "kind": q.kind, "choices": "; ".join(q.choices), "required": q.required}
            for q in (call.questions if call else ())]
    return pd.DataFrame(rows, columns=["id", "label", "kind", "choices", "required"])


def _questions_from(table: pd.DataFrame) -> list[dict]:
    found = []
    for row in table.to_dict("records"):
        text = str(row.get("label") or "").strip()
        if not text or text == "nan":
            continue
        q = {"label": text, "kind": row.get("kind") or "short_text", "required": bool(row.get("required"))}
        if row.get("id") is not None and not pd.isna(row.get("id")):
            q["id"] = int(row["id"])
        if q["kind"] in ("one_choice", "several_choices"):
            q["choices"] = [c.strip() for c in str(row.get("choices") or "").split(";") if c.strip()]
        found.append(q)
    return found


def _moment(day, hour, zone: str) -> datetime | None:
    if day is None or hour is None:
        return None
    return datetime.combine(day, hour).replace(tzinfo=ZoneInfo(zone))


def _form(summit, call=None) -> None:
    """Open a call (``call`` None) or change one."""
    k = f"callform_{call.id if call else 'new'}"
    zone = ZoneInfo(summit.timezone)
    today = clock.now().astimezone(zone)
    opens = call.opens_at if call else today.replace(hour=9, minute=0, second=0, microsecond=0)
    closes = call.closes_at if call else (opens + timedelta(days=30)).replace(hour=17)
    with st.form(k):
        title = st.text_input(_("Title"), value=call.title if call else _("Call for side events"), key=f"{k}_title",
                              max_chars=200)
        text = st.text_area(_("Text of the call"), value=call.text if call else "", key=f"{k}_text", max_chars=4000,
                            help=_("What you are looking for, who may propose, how you decide. Plain text."))
        # Translators: {zone} is a time zone such as America/New_York.
        st.caption(_("Times are in the summit's time zone, {zone}.").format(zone=summit.timezone))
        a, b = st.columns(2)
        opens_day = a.date_input(_("Opens on"), value=opens.date(), key=f"{k}_opens_day")
        opens_time = b.time_input(_("Opening time"), value=opens.time().replace(tzinfo=None), key=f"{k}_opens_time",
                                  step=900)
        a, b = st.columns(2)  # a row each, so a phone shows each day above its time
        closes_day = a.date_input(_("Closes on"), value=closes.date(), key=f"{k}_closes_day")
        closes_time = b.time_input(_("Closing time"), value=closes.time().replace(tzinfo=None), key=f"{k}_closes_time",
                                   step=900)
        st.markdown("**" + _("Questions for proposers") + "**")
        st.caption(_("One row per question. For a choice, give the choices separated by semicolons."))
        table = st.data_editor(
            _questions_table(call), key=f"{k}_questions", num_rows="dynamic", hide_index=True, width="stretch",
            column_order=["label", "kind", "choices", "required"],
            column_config={
                "label": st.column_config.TextColumn(_("Question"), max_chars=300, width="large"),
                "kind": st.column_config.SelectboxColumn(_("Kind of answer"), options=list(KINDS), required=True,
                                                         default="short_text",
                                                         format_func=lambda kind: str(QUESTION_KIND_LABELS[kind])),
                "choices": st.column_config.TextColumn(_("Choices (a; b; c)")),
                "required": st.column_config.CheckboxColumn(_("Required"), default=False),
            },
        )
        submitted = st.form_submit_button(_("Save the call") if call else _("Open the call"), type="primary",
                                          icon=":material/save:")
    if not submitted:
        return
    fields = dict(title=title, text=text, opens_at=_moment(opens_day, opens_time, summit.timezone),
                  closes_at=_moment(closes_day, closes_time, summit.timezone), questions=_questions_from(table))
    try:
        if call is None:
            made = planner().open_call(summit.id, **fields, actor=actor())
            flash(_("The call “{title}” is saved. Share its link.").format(title=escape_md(made.title)))
        else:
            planner().update_call(call.id, **fields, actor=actor())
            flash(_("The call “{title}” is saved.").format(title=escape_md(title)))
    except (ValidationError, PlannerError) as err:
        st.error(error_md(err), icon=":material/error:")
        return
    st.rerun()


def render() -> None:
    p = planner()
    st.title(_("Calls for events"))
    show_flash()
    summits = p.list_summits()
    if not summits:
        st.info(_("Add a summit first: a call for side events belongs to one summit."))
        return
    wanted = st.query_params.get("summit")
    ids = [s.id for s in summits]
    if wanted and wanted.isdigit() and int(wanted) in ids:
        index = ids.index(int(wanted))
    else:  # the summit of the latest call, else the latest summit
        latest = max(p.calls(actor=actor()), key=lambda c: c.id, default=None)
        index = ids.index(latest.summit_id) if latest is not None else len(ids) - 1
    summit = st.selectbox(_("Summit"), summits, index=index, key="calls_summit", format_func=lambda s: s.name)
    calls = p.calls(summit.id, actor=actor())
    now = clock.now()
    if not calls:
        st.caption(_("No call for this summit yet."))
    for call in calls:
        with st.container(border=True, key=f"call_card_{call.id}"):
            state = _("Open") if call.is_open(now) else (_("Not open yet") if now < call.opens_at else _("Closed"))
            st.markdown(f"**{escape_md(call.title)}** · {state}")
            st.caption(ngettext("From {opens} to {closes} ({zone}) · {count} proposal",
                                "From {opens} to {closes} ({zone}) · {count} proposals", call.proposals).format(
                opens=Moment(call.opens_at), closes=Moment(call.closes_at), zone=call.timezone,
                count=format_number(call.proposals)))
            st.caption(_("Link to share (copy it with the button at its right):"))
            st.code(call_link(call), language=None)
            left, right = st.columns(2)
            left.page_link(PROPOSALS, label=_("See its proposals"), query_params={"call": str(call.id)},
                           icon=":material/inbox:")
            if call.is_open(now) and right.button(_("Close it now"), key=f"call_close_{call.id}",
                                                  icon=":material/event_busy:"):
                p.close_call(call.id, actor=actor())
                flash(_("The call “{title}” is closed.").format(title=escape_md(call.title)))
                st.rerun()
            with st.expander(_("Change this call")):
                _form(summit, call)
    st.subheader(_("Open a new call"))
    _form(summit)


if __name__ == "__main__":
    render()
