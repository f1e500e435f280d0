"""Entry point: ``streamlit run app.py``.

The Streamlit pages live in planner/ui/; plain HTTP routes (the sign-in cookie now, calendar
feeds later) are Starlette routes on the same server, from planner/web.py.
"""

import streamlit as st

from planner.config import open_planner
from planner.web import routes

# Set up the database at start-up: schema, first admin (printing where its password is)
# and, on an empty database, the demo events.
open_planner()

app = st.App("planner/ui/main.py", routes=routes)
