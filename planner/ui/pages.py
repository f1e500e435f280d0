"""The app's pages, built once so any page can link to another (st.page_link, switch_page).

Each page is a file beside this one whose ``render()`` runs when Streamlit runs the file.
"""

import streamlit as st

PROGRAMME = st.Page("programme.py", title="Programme", icon=":material/calendar_month:", default=True)
EVENT = st.Page("event_page.py", title="Event", icon=":material/event:", url_path="event", visibility="hidden")
TICKET = st.Page("ticket.py", title="Your registration", icon=":material/confirmation_number:", url_path="ticket", visibility="hidden")
REGISTRATIONS = st.Page("registrations.py", title="Registrations", icon=":material/how_to_reg:", url_path="registrations")
CHECKIN = st.Page("checkin.py", title="Door check-in", icon=":material/qr_code_scanner:", url_path="checkin")
# For door volunteers (no account): reachable through door links and ticket codes, not listed.
DOOR = st.Page("checkin.py", title="Door check-in", icon=":material/qr_code_scanner:", url_path="checkin", visibility="hidden")
SIGN_IN = st.Page("sign_in.py", title="Organizer sign-in", icon=":material/login:", url_path="organize")
ORGANIZE = st.Page("organize.py", title="Events", icon=":material/edit_calendar:", url_path="organize")
EDIT_EVENT = st.Page("edit_event.py", title="Edit event", icon=":material/edit:", url_path="edit-event", visibility="hidden")
VENUES = st.Page("venues.py", title="Venues and rooms", icon=":material/meeting_room:", url_path="venues")
SUMMITS = st.Page("summits.py", title="Summits", icon=":material/public:", url_path="summits")
ACCOUNTS = st.Page("accounts.py", title="Accounts", icon=":material/group:", url_path="accounts")
