"""The Streamlit entry script: decides which pages this session gets, then runs one.

Anonymous visitors get the programme, event pages and the sign-in page at /organize;
signed-in organizers also get the planning pages; admins also get accounts.
"""

import streamlit as st

from planner.ui import pages
from planner.ui.common import current_user

st.set_page_config(page_title="Side Event Planner", page_icon=":material/event:", layout="wide")

# Long event titles must fit a phone: smaller headings on narrow screens.
st.html(
    "<style>@media (max-width: 640px) {"
    " [data-testid='stHeadingWithActionElements'] h1 { font-size: 1.8rem; line-height: 1.25; }"
    " [data-testid='stHeadingWithActionElements'] h2 { font-size: 1.4rem; }"
    # Rows of figures stay two by two instead of one tall column each.
    " [class*='st-key-metrics'] [data-testid='stHorizontalBlock'] { flex-wrap: wrap; }"
    " [class*='st-key-metrics'] [data-testid='stColumn'] { min-width: calc(50% - 1rem) !important; flex: 1 1 calc(50% - 1rem) !important; }"
    " [class*='st-key-metrics'] [data-testid='stMetricValue'] { font-size: 1.75rem; } }"
    # Event titles are links (st.page_link), which cut long labels to one line: let them wrap.
    " [data-testid='stPageLink'] a { height: auto; }"
    " [data-testid='stPageLink'] p { white-space: normal; overflow: visible; text-overflow: clip; }"
    " [class*='st-key-event_card'] [data-testid='stPageLink'] p { font-size: 1.1rem; font-weight: 600; line-height: 1.35; }"
    "</style>"
)

user = current_user()
st.session_state["user"] = user

navigation = pages.navigation(user)
if user is not None:
    with st.sidebar:
        st.caption(f"Signed in as **{user.name}** ({user.email})")
        st.link_button("Sign out", "/auth/sign-out", icon=":material/logout:")

navigation.run()
