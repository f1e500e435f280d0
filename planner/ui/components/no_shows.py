"""The reports' "No-shows" section (issue #12): the no-show rate of each past event (confirmed
guests made ahead who never checked in) and of the coalition as a whole, or of the summit chosen
(``Planner.no_show_rates``). Drawn by ``reports.py`` for a summit or all events."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from babel.numbers import format_percent

from planner.i18n import _, format_number, locale
from planner.ui.components.session import actor


def _percent(rate: float | None) -> str:
    return _("Not yet") if rate is None else format_percent(rate, locale=locale())


def section(p, summit_id: int | None) -> None:
    st.subheader(_("No-shows"))
    rates = p.no_show_rates(summit_id, actor=actor())
    if not rates.events:
        st.info(_("No event with a door has ended yet: no-show rates appear once one has."),
                icon=":material/hourglass_empty:")
        return
    whole = _("Whole summit") if summit_id is not None else _("All events (the whole coalition)")
    st.metric(_("No-show rate: {scope}").format(scope=whole), _percent(rates.rate),
              help=_("Confirmed guests (registered ahead) who never checked in, at events with a door that have "
                     "ended and were not cancelled."))
    st.caption(_("{no_shows} of {confirmed} confirmed guests did not come.").format(
        no_shows=format_number(rates.no_shows), confirmed=format_number(rates.confirmed)))
    st.dataframe(pd.DataFrame({
        _("Event"): [e.title for e in rates.events],
        _("Date"): [e.starts_at.strftime("%Y-%m-%d") for e in rates.events],
        _("Confirmed"): [e.confirmed for e in rates.events],
        _("No-shows"): [e.no_shows for e in rates.events],
        _("No-show rate"): [_percent(e.rate) for e in rates.events],
    }), hide_index=True, width="stretch")
