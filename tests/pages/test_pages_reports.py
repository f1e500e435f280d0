"""The reports page (issue #11): metrics and charts for a summit and for an event, each chart's
table one click away (a tab) with its CSV and PNG downloads, empty states in words, and no way
in without signing in."""

from __future__ import annotations

import pytest

from tests.pages.apptest import app, dialogue, no_exception, signed_in, texts

DOWNLOADS = {"Download the table (CSV)", "Download the chart (PNG)"}


def _guests(app_planner):
    """Four guests of the demo's dialogue (two from one organization typed two ways), two
    checked in, and a walk-in."""
    event = dialogue(app_planner)
    for n, org in enumerate(["Red Andina", "red andína", "CELS", ""]):
        guest = app_planner.register(event.id, name=f"Guest {n}", email=f"guest{n}@example.org", organization=org)
        if n < 2:
            app_planner.check_in(guest.checkin_code, event.id, door="Main door")
    app_planner.walk_in(event.id, name="Walker", email="", organization="CELS", force=True)
    return event


def _reports(at):
    at.run()
    at.switch_page("reports.py").run()
    no_exception(at)
    return at


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _downloads(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_all_events_show_metrics_charts_tables_and_downloads(app_planner):
    _guests(app_planner)
    at = _reports(signed_in(app_planner))
    metrics = _metrics(at)
    assert metrics["Registered"] == "4" and metrics["Checked in"] == "3" and metrics["Walk-ins"] == "1"
    assert metrics["Attendance"] == "Not yet"  # the demo's events are still to come
    seen = texts(at)
    for heading in ("Registrations over time", "By organization", "Hosts and co-sponsors"):
        assert heading in seen
    assert "Arrivals at the door" not in seen  # only for one event
    charts = at.get("vega_lite_chart")
    assert len(charts) == 3
    # Each chart's table is in the tab beside it: one click away, already there.
    assert [t.label for t in at.tabs] == ["Chart", "Table"] * 3
    assert len(at.dataframe) == 3
    organizations = at.dataframe[1].value
    assert list(organizations["Organization"]) == ["Red Andina", "CELS", "(none given)"]
    assert list(organizations["Registered"]) == [2, 1, 1]
    assert _downloads(at) == ["Download the table (CSV)", "Download the chart (PNG)"] * 3


def test_one_event_adds_its_arrivals(app_planner):
    event = _guests(app_planner)
    at = _reports(signed_in(app_planner))
    at.selectbox(key="rp_event").set_value(event.id).run()
    no_exception(at)
    assert "Arrivals at the door" in texts(at)
    assert len(at.get("vega_lite_chart")) == 4  # over time, arrivals, organizations, hosts
    arrivals = at.dataframe[1].value
    assert list(arrivals.columns)[1:] == ["Registered guests", "Walk-ins", "Total"]
    assert int(arrivals["Total"].sum()) == 3
    assert set(_downloads(at)) == DOWNLOADS and len(_downloads(at)) == 8


def test_a_summit_narrows_the_report(app_planner):
    _guests(app_planner)
    at = _reports(signed_in(app_planner))
    summit = app_planner.list_summits()[0]
    at.selectbox(key="rp_summit").set_value(summit.id).run()
    no_exception(at)
    assert at.selectbox(key="rp_event").value == 0  # the whole summit
    assert "The whole summit" in at.selectbox(key="rp_event").options[0]
    expected = app_planner.report_summary(summit_id=summit.id)
    assert _metrics(at)["Registered"] == str(expected.registered)


def test_an_event_named_in_the_link_is_chosen(app_planner):
    event = _guests(app_planner)
    at = signed_in(app_planner)
    at.query_params["id"] = str(event.id)
    at = _reports(at)
    assert at.selectbox(key="rp_event").value == event.id and "Arrivals at the door" in texts(at)


def test_nothing_registered_yet_is_said_in_words(app_planner):
    at = _reports(signed_in(app_planner, role="organizer"))
    assert "Nobody has registered yet." in texts(at)
    assert _metrics(at)["Registered"] == "0"
    assert not at.get("vega_lite_chart") or len(at.get("vega_lite_chart")) <= 1  # hosts' events only


def test_anonymous_sessions_cannot_open_the_reports(app_planner):
    at = app().run()
    with pytest.raises(ValueError):
        at.switch_page("reports.py")


def test_registrations_made_in_one_hour_draw_a_line_from_publication_to_now_not_a_dot(app_planner):
    """An event with all its registrations in one hour (the first minutes after publishing) drew a
    single dot, and its axis ran months ahead to the reminder's due date."""
    from datetime import datetime, timedelta

    import pyarrow as pa

    event = _guests(app_planner)
    at = _reports(signed_in(app_planner))
    at.selectbox(key="rp_event").set_value(event.id).run()
    no_exception(at)
    assert len(at.dataframe[0].value) == 1  # the table: the one real hour
    chart = at.get("vega_lite_chart")[0].proto
    frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.datasets]
    line = next(f for f in frames if "total" in f.columns)
    assert list(line["total"]) == [0, 4, 4]  # published, the hour of the four, now
    import pandas as pd

    latest = pd.to_datetime(line["at"]).max()  # the event's wall clock, as the chart writes it
    assert latest.tz_localize(None) <= pd.Timestamp(datetime.now() + timedelta(days=1))  # not months ahead
    assert "Reminder due" in texts(at)  # named in the caption …
    assert not any("what" in f.columns and f["what"].astype(str).str.contains("Reminder").any() for f in frames)
