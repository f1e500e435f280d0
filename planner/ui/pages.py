"""The app's pages: file names to link to (st.page_link, st.switch_page) and the st.Page
objects for st.navigation.

Page objects are built anew on every run, per session: st.Page keeps per-run state, and
objects shared between sessions running at the same time broke under a registration rush
("This page cannot be called directly"). Links use the file names, which st.navigation
resolves to this session's page.
"""

import streamlit as st

PROGRAMME = "programme.py"
EVENT = "event_page.py"
TICKET = "ticket.py"
SIGN_IN = "sign_in.py"
ORGANIZE = "organize.py"
EDIT_EVENT = "edit_event.py"
REGISTRATIONS = "registrations.py"
CHECKIN = "checkin.py"
VENUES = "venues.py"
SUMMITS = "summits.py"
ACCOUNTS = "accounts.py"


def navigation(user):
    """The pages this session gets: anonymous visitors, organizers, admins."""
    public = [
        st.Page(PROGRAMME, title="Programme", icon=":material/calendar_month:", default=True),
        st.Page(EVENT, title="Event", icon=":material/event:", url_path="event", visibility="hidden"),
        st.Page(TICKET, title="Your registration", icon=":material/confirmation_number:", url_path="ticket", visibility="hidden"),
    ]
    if user is None:
        return st.navigation(
            [
                *public,
                st.Page(SIGN_IN, title="Organizer sign-in", icon=":material/login:", url_path="organize"),
                # Door volunteers have no account: reachable through door links and ticket codes, not listed.
                st.Page(CHECKIN, title="Door check-in", icon=":material/qr_code_scanner:", url_path="checkin", visibility="hidden"),
            ],
            position="top",
        )
    organize = [
        st.Page(ORGANIZE, title="Events", icon=":material/edit_calendar:", url_path="organize"),
        st.Page(EDIT_EVENT, title="Edit event", icon=":material/edit:", url_path="edit-event", visibility="hidden"),
        st.Page(REGISTRATIONS, title="Registrations", icon=":material/how_to_reg:", url_path="registrations"),
        st.Page(CHECKIN, title="Door check-in", icon=":material/qr_code_scanner:", url_path="checkin"),
        st.Page(VENUES, title="Venues and rooms", icon=":material/meeting_room:", url_path="venues"),
        st.Page(SUMMITS, title="Summits", icon=":material/public:", url_path="summits"),
    ]
    if user.is_admin:
        organize.append(st.Page(ACCOUNTS, title="Accounts", icon=":material/group:", url_path="accounts"))
    return st.navigation({"Side events": public, "Organize": organize}, position="top")
