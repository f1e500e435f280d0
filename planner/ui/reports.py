"""Reports: for a summit (or every event) or one event, how many registered, came and stayed
away; registrations over time, arrivals at the door, organizations, and hosts' turnout. Each
chart has its table one click away and both to download (``components/charts.py``). Every
figure is counted by the Planner in SQL; this page only draws them."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from babel.numbers import format_percent

from planner import PlannerError, clock
from planner.codes import EVENT_STATUS_LABELS, ORGANIZATION_ROLE_LABELS, label
from planner.i18n import _, format_number, locale, ngettext
from planner.ui.components.charts import chart_block, time_axis, time_tooltip, wall_clock, wall_clock_text
from planner.ui.components import no_shows
from planner.ui.components.events import event_choice
from planner.ui.components.messages import show_error
from planner.ui.components.session import PAGE_SET, actor, planner
from planner.ui.components.times import table_date, zone_abbreviation

ALL = 0  # "all events" / "the whole summit" in the pickers
TOP_ORGANIZATIONS = 15  # bars in the organizations chart (the table has them all)
COUNT_AXIS = alt.Axis(tickMinStep=1, format="d")  # people: whole numbers only
REGISTERED_COLOUR, IN_COLOUR, WALK_IN_COLOUR = "#9ecae1", "#1f77b4", "#ff7f0e"


def render() -> None:
    st.title(_("Reports"))
    try:
        _report(planner())
    except PlannerError as err:  # an event deleted meanwhile, a session that lost its rights
        show_error(err)


def _report(p) -> None:
    s = st.session_state
    summits = {x.id: x for x in p.list_summits()}
    events = {e.id: e for e in p.list_events(actor=actor()) if e.status != "draft"}
    wanted = st.query_params.get("id")
    if wanted and wanted.isdigit() and int(wanted) in events and "rp_event" not in s:
        s["rp_summit"], s["rp_event"] = events[int(wanted)].summit_id or ALL, int(wanted)
    pick = st.columns(2)
    summit_id = pick[0].selectbox(
        _("Summit"), [ALL, *summits], key="rp_summit", persist_state=PAGE_SET,
        format_func=lambda i: _("All summits") if i == ALL else summits[i].name,
    )
    shown = [i for i, e in events.items() if summit_id == ALL or e.summit_id == summit_id]
    if s.get("rp_event", ALL) not in (ALL, *shown):
        s["rp_event"] = ALL
    event_id = pick[1].selectbox(
        _("Event"), [ALL, *shown], key="rp_event", persist_state=PAGE_SET,
        format_func=lambda i: (_("All events") if summit_id == ALL else _("The whole summit")) if i == ALL
        else event_choice(events[i]),
    )
    scope = dict(event_id=event_id or None, summit_id=None if event_id or summit_id == ALL else summit_id)
    if not events:
        st.info(_("No published events yet: reports fill in once events are published and people register."),
                icon=":material/bar_chart:")
        return

    summary = p.report_summary(**scope, actor=actor())
    _metrics(summary, single=bool(event_id))
    if event_id:
        _over_time(p, event_id, None, key="rp_time")
        _arrivals(p, event_id)
    else:
        _over_time(p, None, scope["summit_id"], key="rp_time")
    _organizations(p, scope)
    _hosts(p, scope)
    if not event_id:
        no_shows.section(p, scope["summit_id"])  # issue #12


def _percent(rate: float | None) -> str:
    return _("Not yet") if rate is None else format_percent(rate, locale=locale())


def _rates(rates: pd.Series) -> pd.Series:
    """Shares as the language writes them ("67%"), "Not yet" before an event with a door ended."""
    return rates.map(lambda r: _percent(None if pd.isna(r) else r))


def _metrics(summary, *, single: bool) -> None:
    if not single:
        st.caption(ngettext("{count} event (drafts apart).", "{count} events (drafts apart).", summary.events)
                   .format(count=format_number(summary.events)))
    box = st.container(key="metrics_reports")
    first, second = box.columns(4), box.columns(4)
    first[0].metric(_("Registered"), format_number(summary.registered),
                    help=_("Registrations made ahead, whatever became of them; walk-ins apart."))
    first[1].metric(_("Confirmed"), format_number(summary.confirmed))
    first[2].metric(_("Waiting"), format_number(summary.waitlisted))
    first[3].metric(_("Cancelled"), format_number(summary.cancelled))
    second[0].metric(_("Checked in"), format_number(summary.checked_in), help=_("Everyone let in, walk-ins included."))
    second[1].metric(_("Walk-ins"), format_number(summary.walk_ins))
    second[2].metric(_("No-shows"), format_number(summary.no_shows),
                     help=_("Confirmed guests who never came, counted once an event with a door has ended."))
    second[3].metric(_("Attendance"), _percent(summary.attendance_rate),
                     help=_("Of the confirmed guests of events with a door that have ended, the share who came."))


def _over_time(p, event_id, summit_id, *, key: str) -> None:
    st.subheader(_("Registrations over time"))
    timeline = p.registrations_over_time(event_id, summit_id=summit_id, actor=actor())
    counts = timeline.counts
    if counts.empty:
        st.info(_("Nobody has registered yet."), icon=":material/hourglass_empty:")
        return
    zone = zone_abbreviation(counts["at"].iloc[-1])
    when, made, total = _("Time ({zone})").format(zone=zone), _("Registrations in the hour"), _("Registrations so far")
    drawn = _drawn_counts(p, timeline, event_id)
    data = pd.DataFrame({"at": wall_clock(drawn["at"]), "when": wall_clock_text(drawn["at"]), "made": drawn["registrations"], "total": drawn["total"]})
    # Days on the axis once the line spans a change of date (a day's hours alone would repeat "00:00").
    days = drawn["at"].iloc[-1].date() != drawn["at"].iloc[0].date()
    line = alt.Chart(data).mark_line(interpolate="step-after", point=True, color=IN_COLOUR).encode(
        x=time_axis("at", when, day_only=days), y=alt.Y("total:Q", title=total, axis=COUNT_AXIS),
        tooltip=[time_tooltip("when", when), alt.Tooltip("made:Q", title=made), alt.Tooltip("total:Q", title=total)],
    )
    marks = []
    if timeline.published_at is not None:
        marks.append({"at": timeline.published_at, "what": _("Published")})
    if timeline.reminder_at is not None:
        marks.append({"at": timeline.reminder_at, "what": _("Reminder sent") if timeline.reminder_sent
                      else _("Reminder due")})
    chart = line
    last = drawn["at"].iloc[-1]
    drawn_marks = [m for m in marks if pd.Timestamp(m["at"]) <= last]  # a reminder months ahead: named, not drawn
    if marks:
        st.caption(" · ".join(f"{m['what']}: {_when(m['at'])}" for m in marks))
    if drawn_marks:
        marked = pd.DataFrame(drawn_marks)
        local = pd.to_datetime(marked["at"]).dt.tz_convert(timeline.zone)
        marked["at"], marked["when"] = wall_clock(local), wall_clock_text(local)
        rules = alt.Chart(marked).mark_rule(strokeDash=[4, 4], color="gray").encode(
            x=time_axis("at", when, day_only=days),
            tooltip=[alt.Tooltip("what:N", title=_("Moment")), time_tooltip("when", when)])
        labels = alt.Chart(marked).mark_text(align="left", dx=4, dy=-6, baseline="bottom", color="gray").encode(
            x=time_axis("at", when, day_only=days), y=alt.value(12), text="what:N")
        chart = alt.layer(line, rules, labels)
    table = pd.DataFrame({when: counts["at"], made: counts["registrations"], total: counts["total"]})
    chart_block(chart, table, file_name=_file_name("registrations", event_id, summit_id), key=key,
                column_config={when: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")})


def _drawn_counts(p, timeline, event_id) -> pd.DataFrame:
    """The hours with registrations, as the line draws them: for an event, from 0 at its
    publication and on at the last total until now (or its end), so a few registrations in one
    hour draw a line, not a lone dot."""
    counts = timeline.counts[["at", "registrations", "total"]]
    if event_id is None:
        return counts
    zone = counts["at"].iloc[0].tzinfo
    counts = counts.copy()
    rows = [counts]
    if timeline.published_at is not None:  # 0 at publication
        published = pd.Timestamp(timeline.published_at).tz_convert(zone)
        if published > counts["at"].iloc[0]:  # published within the first hour counted: none came before it
            counts.loc[counts.index[0], "at"] = published
        rows.insert(0, pd.DataFrame({"at": [min(published, counts["at"].iloc[0])], "registrations": [0], "total": [0]}))
    try:
        until = min(pd.Timestamp(clock.now()), pd.Timestamp(p.get_event(event_id, actor=actor()).ends_at))
    except PlannerError:
        until = pd.Timestamp(clock.now())
    if until.tz_convert(zone) > counts["at"].iloc[-1]:
        rows.append(pd.DataFrame({"at": [until.tz_convert(zone)], "registrations": [0],
                                  "total": [counts["total"].iloc[-1]]}))
    return pd.concat(rows, ignore_index=True)


def _when(moment) -> str:
    return f"{table_date(moment)} {moment:%H:%M} {zone_abbreviation(moment)}"


def _arrivals(p, event_id) -> None:
    st.subheader(_("Arrivals at the door"))
    arrivals = p.arrivals(event_id, actor=actor())
    bins = arrivals.bins
    if bins.empty:
        st.info(_("Nobody has been checked in yet."), icon=":material/door_open:")
        return
    st.caption(_("Check-ins per five minutes, in the event's time ({zone}); the event starts at {start}.").format(
        zone=zone_abbreviation(arrivals.starts_at), start=f"{arrivals.starts_at:%H:%M}"))
    when = _("Time ({zone})").format(zone=zone_abbreviation(arrivals.starts_at))
    registered, walk_ins, total = _("Registered guests"), _("Walk-ins"), _("Total")
    long = pd.DataFrame({
        "at": pd.concat([wall_clock(bins["at"])] * 2, ignore_index=True),
        "when": pd.concat([wall_clock_text(bins["at"])] * 2, ignore_index=True),
        "who": [registered] * len(bins) + [walk_ins] * len(bins),
        "count": pd.concat([bins["registered"], bins["walk_ins"]], ignore_index=True),
    })
    bars = alt.Chart(long).mark_bar().encode(
        x=time_axis("at", when), y=alt.Y("sum(count):Q", title=_("Check-ins"), axis=COUNT_AXIS),
        color=alt.Color("who:N", title=None, scale=alt.Scale(domain=[registered, walk_ins],
                                                               range=[IN_COLOUR, WALK_IN_COLOUR]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[time_tooltip("when", when), alt.Tooltip("who:N", title=_("Who")),
                 alt.Tooltip("count:Q", title=_("Check-ins"))],
    )
    start = alt.Chart(pd.DataFrame({"at": wall_clock(pd.Series([arrivals.starts_at]))})).mark_rule(
        strokeDash=[4, 4], color="gray").encode(x=time_axis("at", when))
    table = pd.DataFrame({when: bins["at"], registered: bins["registered"], walk_ins: bins["walk_ins"],
                          total: bins["total"]})
    chart_block(alt.layer(bars, start), table, file_name=f"arrivals-event-{event_id}", key="rp_arrivals",
                column_config={when: st.column_config.DatetimeColumn(format="HH:mm")})


def _organizations(p, scope) -> None:
    st.subheader(_("By organization"))
    found = p.by_organization(scope["summit_id"], event_id=scope["event_id"], actor=actor())
    if found.empty:
        st.info(_("Nobody has registered yet."), icon=":material/hourglass_empty:")
        return
    st.caption(_("The organization each guest typed; spellings that differ only in capitals or accents count as one."))
    org, registered, came = _("Organization"), _("Registered"), _("Checked in")
    names = found["organization"].where(found["organization"] != "", _("(none given)"))
    top = pd.DataFrame({"org": names, "registered": found["registered"],
                        "came": found["checked_in"]}).head(TOP_ORGANIZATIONS)
    base = alt.Chart(top).encode(
        y=alt.Y("org:N", title=None, sort=list(top["org"]), axis=alt.Axis(labelLimit=220)),
        tooltip=[alt.Tooltip("org:N", title=org), alt.Tooltip("registered:Q", title=registered),
                 alt.Tooltip("came:Q", title=came)],
    )
    chart = alt.layer(
        base.mark_bar(color=REGISTERED_COLOUR).encode(
            x=alt.X("registered:Q", title=_("Registered (light), checked in (dark)"), axis=COUNT_AXIS)),
        base.mark_bar(color=IN_COLOUR, height={"band": 0.5}).encode(x=alt.X("came:Q", axis=COUNT_AXIS)),
    )
    if len(found) > TOP_ORGANIZATIONS:
        st.caption(_("The chart shows the {count} with most registrations; the table has them all.").format(
            count=format_number(TOP_ORGANIZATIONS)))
    table = pd.DataFrame({
        org: names, registered: found["registered"], _("Confirmed"): found["confirmed"], came: found["checked_in"],
        _("Walk-ins"): found["walk_ins"], _("No-shows"): found["no_shows"],
        _("Attendance"): _rates(found["attendance_rate"]),
    })
    chart_block(chart, table, file_name=_file_name("organizations", scope["event_id"], scope["summit_id"]),
                key="rp_orgs")


def _hosts(p, scope) -> None:
    st.subheader(_("Hosts and co-sponsors"))
    found = p.organizer_turnout(scope["summit_id"], actor=actor())
    if scope["event_id"]:
        found = found[found["event_id"] == scope["event_id"]]
    if found.empty:
        st.info(_("No event here names a host or a co-sponsor yet."), icon=":material/groups:")
        return
    org, role, confirmed, came = _("Organization"), _("Role"), _("Confirmed"), _("Checked in")
    roles = found["role"].map(lambda r: label(ORGANIZATION_ROLE_LABELS, r))
    per_org = (pd.DataFrame({"org": found["organization"], "confirmed": found["confirmed"], "came": found["checked_in"],
                             "events": 1})
               .groupby("org", sort=False, as_index=False).sum()  # a few rows: one per organization and event
               .sort_values("came", ascending=False, kind="stable").head(TOP_ORGANIZATIONS))
    events_word = _("Events")
    base = alt.Chart(per_org).encode(
        y=alt.Y("org:N", title=None, sort=list(per_org["org"]), axis=alt.Axis(labelLimit=220)),
        tooltip=[alt.Tooltip("org:N", title=org), alt.Tooltip("events:Q", title=events_word),
                 alt.Tooltip("confirmed:Q", title=confirmed), alt.Tooltip("came:Q", title=came)],
    )
    chart = alt.layer(
        base.mark_bar(color=REGISTERED_COLOUR).encode(
            x=alt.X("confirmed:Q", title=_("Confirmed (light), checked in (dark)"), axis=COUNT_AXIS)),
        base.mark_bar(color=IN_COLOUR, height={"band": 0.5}).encode(x=alt.X("came:Q", axis=COUNT_AXIS)),
    )
    start = _("Starts")
    table = pd.DataFrame({
        org: found["organization"], role: roles, _("Event"): found["title"],
        start: found["starts_at"].map(lambda t: _when(t)), _("Status"): found["status"].map(
            lambda x: label(EVENT_STATUS_LABELS, x)),
        confirmed: found["confirmed"], came: found["checked_in"], _("Walk-ins"): found["walk_ins"],
        _("No-shows"): found["no_shows"].map(lambda n: "" if pd.isna(n) else format_number(n)),
        _("Attendance"): _rates(found["attendance_rate"]),
    })
    chart_block(chart, table, file_name=_file_name("hosts", scope["event_id"], scope["summit_id"]), key="rp_hosts")


def _file_name(what: str, event_id, summit_id) -> str:
    if event_id:
        return f"{what}-event-{event_id}"
    return f"{what}-summit-{summit_id}" if summit_id else f"{what}-all-events"


if __name__ == "__main__":
    render()
