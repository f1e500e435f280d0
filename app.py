"""Entry point: ``streamlit run app.py``.

The Streamlit pages live in planner/ui/; the plain HTTP routes (sign-in and door cookies,
calendar feeds) are Starlette routes on the same server, from planner/web/.
"""

import gc
import sys

import streamlit as st

from planner import PlannerError
from planner.config import open_planner
from planner.i18n import _
from planner.web import nodelay, routes

# Nagle's algorithm off on every connection the server accepts (planner/web/nodelay.py): without
# this, a kept-alive connection's answers waited 40 ms for the browser's delayed ACK.
nodelay.turn_on()

# Set up the database at start-up: schema, first admin (printing where its password is)
# and, on an empty database, the demo events. A configuration mistake stops here, in words.
try:
    open_planner()
except PlannerError as err:
    # Translators: printed when the server stops at start; {error} says which setting is wrong.
    sys.exit(_("Side Event Planner cannot start: {error}").format(error=err))

# Streamlit runs a full garbage collection after every script run (runner.postScriptGC), and
# its cost grows with the heap: it was 60-90% of the server's CPU in bench/rush.py. Load what
# pages import on first use now, then freeze everything alive at start-up out of the
# collector's reach; objects made while serving are still collected.
import icalendar  # noqa: E402,F401
import pandas  # noqa: E402,F401

from planner.outputs.poster import load_weasyprint  # noqa: E402  (posters and cards)

load_weasyprint()

import planner.outputs.calendar  # noqa: E402,F401
import planner.outputs.qrscan  # noqa: E402,F401

gc.collect()
gc.freeze()

app = st.App("planner/ui/main.py", routes=routes)
