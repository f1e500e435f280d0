"""The app's pages: file names to link to (st.page_link, st.switch_page) and the st.Page
objects for st.navigation. Pages link to each other through these names, never by importing
one another.

Every run gets Page objects of its own: st.Page keeps per-run state (which page this run may
call), and objects shared between sessions running at the same time broke under a
registration rush ("This page cannot be called directly"). But st.Page() resolves its file's
path on the disk each time, which was a tenth of the server's work in that rush; so each page
is made once per process and every run gets a shallow copy of it (its state is flat: a path,
strings and that flag). Links use the file names, which st.navigation resolves to this
session's page. Titles are in the session's language, so each language has its own pages.
"""

import copy
import threading

import streamlit as st

from planner.i18n import _

PROGRAMME = "programme.py"
EVENT = "event_page.py"
TICKET = "ticket.py"
CONFIRM = "confirm.py"
SIGN_IN = "sign_in.py"
ORGANIZE = "organize.py"
EDIT_EVENT = "edit_event.py"
REGISTRATIONS = "registrations.py"
CHECKIN = "checkin.py"
WRITE_TO_GUESTS = "write_to_guests.py"
OUTBOX = "outbox.py"
EXPORTS = "exports.py"
VENUES = "venues.py"
SUMMITS = "summits.py"
ACCOUNTS = "accounts.py"
IMPORTS = "imports.py"
REPORTS = "reports.py"
DATA = "data_care.py"
AUDIT_LOG = "audit_log.py"
STILL_COMING = "still_coming.py"
SIGN_ON = "sign_on.py"
SPEAKER = "speaker.py"
SPONSORS = "sponsors.py"
CALL = "call.py"
PROPOSAL = "proposal.py"
CALLS = "calls.py"
PROPOSALS = "proposals.py"


_made: dict[tuple, st.Page] = {}
_made_lock = threading.Lock()


def _page(file: str, **options) -> st.Page:
    """This run's own copy of the page made once per process from ``file`` and ``options``."""
    key = (file, *sorted(options.items()))
    made = _made.get(key)
    if made is None:
        with _made_lock:
            made = _made.setdefault(key, st.Page(file, **options))
    return copy.copy(made)


def navigation(user):
    """The pages this session gets: anonymous visitors, organizers, admins."""
    public = [
        _page(PROGRAMME, title=_("Programme"), icon=":material/calendar_month:", default=True),
        _page(EVENT, title=_("Event"), icon=":material/event:", url_path="event", visibility="hidden"),
        _page(TICKET, title=_("Your registration"), icon=":material/confirmation_number:", url_path="ticket", visibility="hidden"),
        _page(CONFIRM, title=_("Confirm your place"), icon=":material/mark_email_read:", url_path="confirm",
              visibility="hidden"),
        _page(STILL_COMING, title=_("Still coming?"), icon=":material/event_available:", url_path="still-coming",
              visibility="hidden"),
        # issue #14: an organization's contact and a speaker answer through their private links.
        _page(SIGN_ON, title=_("Sign on"), icon=":material/handshake:", url_path="sign-on", visibility="hidden"),
        _page(SPEAKER, title=_("Speaker confirmation"), icon=":material/record_voice_over:", url_path="speaker",
              visibility="hidden"),
        # issue #14: a call's public form and the proposer's private page, reached through their links
        _page(CALL, title=_("Propose an event"), icon=":material/campaign:", url_path="call", visibility="hidden"),
        _page(PROPOSAL, title=_("Your proposal"), icon=":material/lightbulb:", url_path="proposal",
              visibility="hidden"),
    ]
    door = dict(title=_("Door check-in"), icon=":material/qr_code_scanner:", url_path="checkin")
    if user is None:
        return st.navigation(
            [
                *public,
                _page(SIGN_IN, title=_("Organizer sign-in"), icon=":material/login:", url_path="organize"),
                # Door volunteers have no account: reachable through door links and ticket codes, not listed.
                _page(CHECKIN, **door, visibility="hidden"),
            ],
            position="top",
        )
    organize = [
        _page(ORGANIZE, title=_("Events"), icon=":material/edit_calendar:", url_path="organize"),
        _page(EDIT_EVENT, title=_("Edit event"), icon=":material/edit:", url_path="edit-event", visibility="hidden"),
        _page(REGISTRATIONS, title=_("Registrations"), icon=":material/how_to_reg:", url_path="registrations"),
        _page(SPONSORS, title=_("Co-sponsors and speakers"), icon=":material/handshake:", url_path="sponsors"),
        # Reached from an event's registrations (and the outbox), with the event in ?id=.
        _page(WRITE_TO_GUESTS, title=_("Write to guests"), icon=":material/forward_to_inbox:",
              url_path="write-to-guests", visibility="hidden"),
        _page(OUTBOX, title=_("Outbox"), icon=":material/outbox:", url_path="outbox"),
        _page(EXPORTS, title=_("Exports"), icon=":material/download:", url_path="exports"),
        _page(REPORTS, title=_("Reports"), icon=":material/bar_chart:", url_path="reports"),
        _page(CHECKIN, **door),
        _page(VENUES, title=_("Venues and rooms"), icon=":material/meeting_room:", url_path="venues"),
        _page(SUMMITS, title=_("Summits"), icon=":material/public:", url_path="summits"),
        _page(IMPORTS, title=_("Import"), icon=":material/upload_file:", url_path="import"),
        _page(CALLS, title=_("Calls for events"), icon=":material/campaign:", url_path="calls"),
        _page(PROPOSALS, title=_("Proposals"), icon=":material/inbox:", url_path="proposals"),
    ]
    if user.is_admin:
        organize.append(_page(ACCOUNTS, title=_("Accounts"), icon=":material/group:", url_path="accounts"))
        organize.append(_page(DATA, title=_("Data"), icon=":material/database:", url_path="data"))
        organize.append(_page(AUDIT_LOG, title=_("Audit log"), icon=":material/history:", url_path="audit-log"))
    return st.navigation({_("Side events"): public, _("Organize"): organize}, position="top")
