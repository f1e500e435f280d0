"""Summits: the big meetings side events gather around (a UN General Assembly, a COP)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from planner import i18n
from planner.i18n import _
from planner.ui.components.deleting import delete_button
from planner.ui.components.markdown import escape_md
from planner.ui.components.messages import add_then_clear, attempt, flash, refused, show_flash
from planner.ui.components.session import PAGE_SET, actor, planner
from planner.ui.components import organizer_style
from planner.validate import timezone_names


def render() -> None:
    organizer_style.apply()
    p = planner()
    st.title(_("Summits"))
    show_flash()
    summits = p.list_summits()
    zones = timezone_names()
    if summits:
        columns = dict(name=_("Summit"), city=_("City"), zone=_("Time zone"), first=_("First day"), last=_("Last day"))
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        columns["name"]: s.name, columns["city"]: s.city, columns["zone"]: s.timezone,
                        columns["first"]: s.starts_on, columns["last"]: s.ends_on,
                    }
                    for s in summits
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.info(_("No summits yet. A summit groups side events and lets the planner warn about events outside its days."))

    left, right = st.columns(2)
    if summits:
        with st.expander(_("Show the programme on your website"), icon=":material/code:"):
            _embed(p, summits)
    with left:
        st.subheader(_("Add a summit"), anchor=False)
        if "s_new_days" not in st.session_state:
            st.session_state["s_new_days"] = (date.today(), date.today() + timedelta(days=6))
        with st.form("add_summit"):
            st.text_input(
                _("Name"), key="s_new_name",
                # Translators: an example summit's name, shown greyed in the empty field.
                placeholder=_("UN General Assembly high-level week"),
            )
            st.text_input(
                _("City"), key="s_new_city",
                # Translators: an example city, shown greyed in the empty field.
                placeholder=_("New York"),
            )
            st.selectbox(_("Time zone"), zones, index=zones.index("America/New_York"), key="s_new_zone")
            st.date_input(_("Days"), key="s_new_days", persist_state=PAGE_SET)
            st.form_submit_button(_("Add summit"), type="primary", on_click=_add_summit, args=(p,))
        refused("s_new")
    with right:
        if not summits:
            return
        st.subheader(_("Change a summit"), anchor=False)
        by_id = {s.id: s for s in summits}
        chosen = by_id[st.selectbox(_("Summit"), list(by_id), format_func=lambda i: by_id[i].name)]
        with st.form(f"summit_{chosen.id}"):
            name = st.text_input(_("Name"), chosen.name)
            city = st.text_input(_("City"), chosen.city)
            own_zones = timezone_names(chosen.timezone)  # an old zone name stays until changed
            zone = st.selectbox(_("Time zone"), own_zones, index=own_zones.index(chosen.timezone))
            days = st.date_input(_("Days"), value=(chosen.starts_on, chosen.ends_on))
            if st.form_submit_button(_("Save summit")):
                first, last = (days + (days[0],))[:2] if len(days) == 1 else days
                attempt(
                    lambda: p.update_summit(
                        chosen.id, name=name, city=city, timezone=zone, starts_on=first, ends_on=last, actor=actor()
                    ),
                    _("Saved {name}.").format(name=escape_md(name)),
                )
        if chosen.id not in {e.summit_id for e in p.list_events(actor=actor())}:
            delete_button(
                f"delete_summit_{chosen.id}", _("Delete summit"),
                _("Delete the summit {name}? No event belongs to it.").format(name=escape_md(chosen.name)),
                lambda: p.delete_summit(chosen.id, actor=actor()),
                _("Deleted the summit {name}.").format(name=escape_md(chosen.name)),
            )


def _add_summit(p) -> None:
    """Form callback: add the summit; the form empties only when it was added."""
    s = st.session_state
    days = tuple(s["s_new_days"] or ())
    first = days[0] if days else None  # no day chosen: the domain says the first day is needed
    last = days[1] if len(days) > 1 else first
    added = add_then_clear(
        lambda: p.add_summit(name=s["s_new_name"], city=s["s_new_city"], timezone=s["s_new_zone"], starts_on=first,
                             ends_on=last, actor=actor()),
        "s_new", {"s_new_name": "", "s_new_city": ""},
    )
    if added:
        flash(_("Added {name}.").format(name=escape_md(added.name)))


def _embed(p, summits) -> None:
    """The HTML a member pastes into its website to show the programme (issue #14)."""
    st.caption(_("Paste this HTML into a page of your website: the programme shows there, always up to date, "
                 "and each event opens its page here. Only what the public pages show appears."))
    by_id = {s.id: s for s in summits}
    every = _("All summits")
    summit, organization, language = st.columns(3)
    summit_id = summit.selectbox(_("Summit"), [0, *by_id], format_func=lambda i: by_id[i].name if i else every,
                                 key="embed_summit")
    name = organization.text_input(_("Only the events of this organization (optional)"), key="embed_org",
                                   help=_("Its name, or its short name (for example GCM)."))
    visitor = _("The visitor's browser decides")
    lang = language.selectbox(_("Language"), ["", *i18n.available()],
                              format_func=lambda c: i18n.name(c) if c else visitor, key="embed_lang")
    st.code(p.embed_snippet(summit_id or None, name or None, lang or None), language="html", wrap_lines=True)
    feed = i18n.in_address(f"{p.base_url.rstrip('/')}/programme.json" + (f"?summit={summit_id}" if summit_id else ""))
    st.caption(_("The same events as data, for a page you build yourself: {url}").format(url=feed))


if __name__ == "__main__":
    render()
