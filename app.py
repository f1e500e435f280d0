"""Entry point: ``streamlit run app.py``.

The Streamlit pages live in planner/ui/; plain HTTP routes (sign-in cookie now, calendar
feeds later) are Starlette routes on the same server, from planner/web.py.
"""

import streamlit as st

from planner.web import routes

app = st.App("planner/ui/main.py", routes=routes)
