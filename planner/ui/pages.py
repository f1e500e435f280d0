"""The app's pages, built once so any page can link to another (st.page_link, switch_page)."""

import streamlit as st

from planner.ui import accounts, edit_event, event_page, organize, programme, sign_in, summits, venues

PROGRAMME = st.Page(programme.render, title="Programme", icon=":material/calendar_month:", url_path="programme", default=True)
EVENT = st.Page(event_page.render, title="Event", icon=":material/event:", url_path="event", visibility="hidden")
SIGN_IN = st.Page(sign_in.render, title="Organizer sign-in", icon=":material/login:", url_path="organize")
ORGANIZE = st.Page(organize.render, title="Events", icon=":material/edit_calendar:", url_path="organize")
EDIT_EVENT = st.Page(edit_event.render, title="Edit event", icon=":material/edit:", url_path="edit-event", visibility="hidden")
VENUES = st.Page(venues.render, title="Venues and rooms", icon=":material/meeting_room:", url_path="venues")
SUMMITS = st.Page(summits.render, title="Summits", icon=":material/public:", url_path="summits")
ACCOUNTS = st.Page(accounts.render, title="Accounts", icon=":material/group:", url_path="accounts")
