"""A chart as the reports show it: an Altair chart (Streamlit's own charting) as wide as the
screen, its table one click away (a tab beside it), and both to download: the table as CSV
(``outputs/spreadsheets.csv_bytes``: formulas neutralised, opens in Excel with accents intact)
and the chart as PNG.

The PNG is drawn on the server by vl-convert (Vega-Lite's own renderer, shipped in the wheel:
no browser, nothing fetched), only when someone presses the button (a callable given to
``st.download_button``), so a page run pays nothing for it. Without vl-convert installed the
chart's own menu (⋯, "Save as PNG") still saves it, and the page says so.

Times are shown in the zone the report is in (the event's), whoever looks: Vega-Lite would turn
aware times into the browser's zone, so charts get the wall-clock time written as if in UTC and
a UTC scale, which shows it as it is.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from planner.i18n import _
from planner.outputs.spreadsheets import csv_bytes

try:
    import vl_convert
except ImportError:  # pragma: no cover - an install without it: the chart's own menu saves PNGs
    vl_convert = None

PNG_WIDTH = 760  # the saved picture's width in pixels (before the 2× scale for sharp print)
TIME_FORMAT = "%Y-%m-%d %H:%M"  # numbers only: Vega writes month names in English whatever the language
DAY_FORMAT = "%Y-%m-%d"


def wall_clock(series: pd.Series) -> pd.Series:
    """Aware times as their wall-clock reading, written as UTC (see the module's docstring)."""
    return series.dt.tz_localize(None).dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def wall_clock_text(series: pd.Series) -> pd.Series:
    """Aware times as "2026-10-20 10:05", for tooltips (Vega-Lite's tooltips would use the
    browser's zone)."""
    return series.dt.strftime(TIME_FORMAT)


def time_axis(field: str, title: str, *, day_only: bool = False) -> alt.X:
    """An x axis of wall-clock times: a UTC scale shows them as they are (a ``formatType`` of
    "utc" would make Vega ignore ``format``: seen with vl-convert's Vega-Lite 6)."""
    axis = alt.Axis(format=DAY_FORMAT, tickCount="day", labelOverlap=True) if day_only else alt.Axis(
        format="%H:%M", labelOverlap=True)
    return alt.X(f"{field}:T", title=title, scale=alt.Scale(type="utc"), axis=axis)


def time_tooltip(field: str, title: str) -> alt.Tooltip:
    """A tooltip of the ``wall_clock_text`` column ``field``."""
    return alt.Tooltip(f"{field}:N", title=title)


def png_bytes(chart: alt.TopLevelMixin) -> bytes:
    """The chart drawn as a PNG, 2× for sharp print, white behind it."""
    spec = chart.properties(width=PNG_WIDTH).to_dict()
    spec["background"] = "white"
    return vl_convert.vegalite_to_png(spec, scale=2)


def chart_block(chart, table: pd.DataFrame, *, file_name: str, key: str, column_config: dict | None = None) -> None:
    """The chart, its table in the tab beside it, and the two downloads."""
    shown, as_table = st.tabs([_("Chart"), _("Table")])
    with shown:
        st.altair_chart(chart, width="stretch")
    with as_table:
        st.dataframe(table, hide_index=True, width="stretch", column_config=column_config)
    left, right = st.columns(2)
    left.download_button(
        _("Download the table (CSV)"), data=lambda: csv_bytes(table), file_name=f"{file_name}.csv", mime="text/csv",
        on_click="ignore", icon=":material/table_view:", key=f"{key}_csv", width="stretch",
    )
    if vl_convert is not None:
        right.download_button(
            _("Download the chart (PNG)"), data=lambda: png_bytes(chart), file_name=f"{file_name}.png",
            mime="image/png", on_click="ignore", icon=":material/image:", key=f"{key}_png", width="stretch",
        )
    else:  # pragma: no cover
        right.caption(_("To save the chart as a picture, use the ⋯ menu at its top right: Save as PNG."))
