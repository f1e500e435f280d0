"""Every code the domain speaks in, with the one label or sentence a person reads for it.

Statuses, roles, formats and check-in verdicts are stored and passed around as codes
(``"waitlisted"``, ``"video message"``); refusals carry a code and parameters
(``ValidationError("too_long", field="title", label=…, max=200, length=230)``). Pages, calendar
files, door lists and messages turn them into words here and nowhere else, through the active
language's catalogue (like pretix's ``REASONS`` beside its check-in service). Adding a code
means adding its label here; ``tests`` check that every code raised has a sentence.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

from babel.dates import format_timedelta

from .i18n import Lazy, N_, _, end_time_marked, format_date, format_number, format_skeleton, format_time, locale

# ---------------------------------------------------------------------- what things are

FORMATS = ("in_person", "online", "hybrid")
FORMAT_LABELS = {"in_person": N_("In person"), "online": N_("Online"), "hybrid": N_("Hybrid")}

EVENT_STATUSES = ("draft", "published", "cancelled")
EVENT_STATUS_LABELS = {"draft": N_("Draft"), "published": N_("Published"), "cancelled": N_("Cancelled")}

REGISTRATION_STATUSES = ("confirmed", "waitlisted", "cancelled")
REGISTRATION_STATUS_LABELS = {
    "confirmed": N_("Confirmed"),
    "waitlisted": N_("Waiting list"),
    "cancelled": N_("Cancelled"),
    "walk_in": N_("Walk-in"),
}

USER_ROLES = ("admin", "organizer")
USER_ROLE_LABELS = {"admin": N_("Admin"), "organizer": N_("Organizer")}

SPEAKER_ROLES = ("chair", "moderator", "speaker", "video message")
SPEAKER_ROLE_LABELS = {
    "chair": N_("chair"),
    "moderator": N_("moderator"),
    "speaker": N_("speaker"),
    "video message": N_("video message"),
}
SPEAKER_ROLE_HEADINGS = {
    "chair": N_("Chair"),
    "moderator": N_("Moderator"),
    "speaker": N_("Speakers"),
    "video message": N_("By video message"),
}

ORGANIZATION_ROLES = ("host", "co-sponsor", "endorser")
ORGANIZATION_ROLE_LABELS = {"host": N_("host"), "co-sponsor": N_("co-sponsor"), "endorser": N_("endorser")}
ORGANIZATION_ROLE_HEADINGS = {
    "host": N_("Hosted by"),
    "co-sponsor": N_("Co-sponsored by"),
    "endorser": N_("Endorsed by"),
}
# One line of a programme card: "Hosted by GCM, ACLU and 2 more".
ORGANIZATION_ROLE_LINES = {
    # Translators: {names} is a list of organizations ("GCM, ACLU and 2 more").
    "host": N_("Hosted by {names}"),
    "co-sponsor": N_("Co-sponsored by {names}"),
    "endorser": N_("Endorsed by {names}"),
}

# What a scan (or a door action) came to. Every scan is recorded with one of these.
CHECKIN_VERDICTS = {
    "checked_in": N_("Checked in"),
    "already_checked_in": N_("Already checked in"),
    "wrong_event": N_("Ticket for another event"),
    "cancelled": N_("Registration cancelled"),
    "waitlisted": N_("On the waiting list"),
    "invalid": N_("Not a valid ticket"),
    "event_cancelled": N_("Event cancelled"),
    "walk_in": N_("Walk-in"),
    "undone": N_("Check-in undone"),
    # issue #12, security list: confirmed, but not on the list sent to the host; then let in anyway
    "not_on_security_list": N_("Not on the security list"),
    "let_in_anyway": N_("Let in though not on the security list"),
    "room_full": N_("Room full"),
}

# Why an event takes no registrations now (None: it does). One sentence for every page.
REGISTRATION_CLOSED = {
    "cancelled": N_("This event is cancelled, so it no longer takes registrations."),
    "not_published": N_("Registration opens when the event is published."),
    "ended": N_("This event has already taken place, so registration is closed."),
}

# How open an event's registration is (issue #9, part "mode"; "email", confirmed by email,
# issue #10: see areas/holds.py).
REGISTRATION_MODES = ("open", "proof_of_work", "email")
REGISTRATION_MODES_OFFERED = ("open", "proof_of_work", "email")
REGISTRATION_MODE_LABELS = {
    "open": N_("Open: anyone with the form"),
    "proof_of_work": N_("With a check that a person is registering (proof of work)"),
    "email": N_("Confirmed by email"),
}

# What the outbox sends (issue #10), and where each message is.
MESSAGE_KINDS = {
    "confirmed": N_("Registration confirmed"),
    "waitlisted": N_("On the waiting list"),
    "moved_up": N_("Moved up from the waiting list"),
    "event_changed": N_("Event changed"),
    "event_cancelled": N_("Event cancelled"),
    "registration_cancelled": N_("Registration cancelled"),
    "reminder": N_("Reminder"),
    "private_link": N_("Private link"),
    "confirm_email": N_("Confirm your email"),
    "organizer_message": N_("Message from the organizers"),
    "test": N_("Test message"),
    "reconfirm": N_("Still coming?"),
    "released": N_("Place released"),
    # issue #14, sign-on and speakers
    "sign_on": N_("Co-sponsor sign-on request"),
    "speaker_request": N_("Speaker confirmation request"),
    # issue #14, calls for side events: news to a proposer
    "proposal_received": N_("Proposal received"),
    "proposal_changes_requested": N_("Changes requested to a proposal"),
    "proposal_accepted": N_("Proposal accepted"),
    "proposal_declined": N_("Proposal declined"),
    "proposal_comment": N_("Comment on a proposal"),
    "proposal_merged": N_("Proposals merged"),
}
OUTBOX_STATUSES = ("waiting", "sending", "sent", "failed", "skipped")
OUTBOX_STATUS_LABELS = {
    "waiting": N_("Waiting"),
    "sending": N_("Sending"),
    "sent": N_("Delivered"),
    "failed": N_("Failed"),
    "skipped": N_("Not sent"),
}
# Who an organizer's message goes to.
MESSAGE_AUDIENCES = ("confirmed", "waitlisted", "checked_in")
MESSAGE_AUDIENCE_LABELS = {
    "confirmed": N_("Confirmed guests"),
    "waitlisted": N_("People on the waiting list"),
    "checked_in": N_("Guests who checked in"),
}

# The names of what an audit entry's details hold (issue #11): the fields of an event, summit,
# venue or room whose before and after it keeps, and the facts of other actions.
AUDIT_DETAIL_LABELS = {
    "title": N_("Title"), "description": N_("Description"), "summit_id": N_("Summit"), "room_id": N_("Room"),
    "online_url": N_("Online link"), "format": N_("Format"), "starts_at": N_("Starts"), "ends_at": N_("Ends"),
    "capacity": N_("Capacity"), "timezone": N_("Time zone"), "speakers": N_("Speakers"),
    "organizations": N_("Organizations"), "registration_mode": N_("Registration"),
    "join_link_public": N_("Online link shown to everyone"), "reminder_hours": N_("Reminder (hours before)"),
    "name": N_("Name"), "city": N_("City"), "starts_on": N_("First day"), "ends_on": N_("Last day"),
    "address": N_("Address"), "accessibility": N_("Accessibility notes"), "venue_id": N_("Venue"),
    "reason": N_("Reason"), "previous_status": N_("Status before"), "moved_up": N_("Moved up from the waiting list"),
    "copied_from": N_("Copied from event"), "label": N_("Door"), "door": N_("Door"), "walk_in": N_("Walk-in"),
    "taken": N_("Places taken"), "message_subject": N_("Subject"), "recipients": N_("Recipients"), "to": N_("Sent to"),
    "role": N_("Role"), "client": N_("IP address"), "status": N_("Status"),
    # exports, imports, backups, erasure and retention
    "rows": N_("Rows"), "tables": N_("Rows per table"), "created": N_("Created"), "skipped": N_("Already there"),
    "refused": N_("Refused"), "file": N_("File"), "confirmations": N_("Confirmations sent"),
    "registrations": N_("Registrations"), "held_places": N_("Held places"), "messages": N_("Messages"),
    "speaker_entries": N_("Speaker entries"), "events": N_("Events"), "days": N_("Days kept"),
    "places_given_up": N_("Places given up at events to come"),
    "moved_up_people": N_("Moved up from waiting lists"),
    "keep_local_times": N_("Events kept their local times"), "events_moved": N_("Events whose times were rewritten"),
    # issue #12, security list
    "hours": N_("Hours before the start"), "working_days": N_("Working days before the start"),
    "sponsor": N_("Sponsor that submits the list"), "columns": N_("Columns"), "holidays": N_("Holidays"),
    "scope": N_("Applies to"), "guests": N_("Guests"),
    # reconfirmation (issue #12)
    "enabled": N_("Ask “Still coming?”"), "release_unanswered": N_("Release unanswered places"),
    "overbooking": N_("Places beyond the capacity"),
    # issue #14, sign-on and speakers
    "organization": N_("Organization"), "speaker": N_("Speaker"), "reminder": N_("Reminder"),
    "show_invited": N_("Show invited organizations publicly"), "answer": N_("Answer"),
    # issue #14, calls for side events
    "opens_at": N_("Opens"), "closes_at": N_("Closes"), "text": N_("Text"), "questions": N_("Questions"),
    "proposal": N_("Proposal"), "merged": N_("Merged proposal"), "visible": N_("Visible to the proposer"),
    "event": N_("Event"), "conflicts": N_("Clashes"),
    # issue #15, posters
    "theme": N_("Poster colours"), "size": N_("Size in bytes"),
}

# What the audit log records (issue #11): every organizer and admin action that changes data.
AUDIT_ACTIONS = {
    "event_created": N_("Event created"),
    "event_edited": N_("Event edited"),
    "event_duplicated": N_("Event duplicated"),
    "event_published": N_("Event published"),
    "event_cancelled": N_("Event cancelled"),
    "event_deleted": N_("Draft deleted"),
    "summit_added": N_("Summit added"),
    "summit_edited": N_("Summit edited"),
    "summit_deleted": N_("Summit deleted"),
    "venue_added": N_("Venue added"),
    "venue_edited": N_("Venue edited"),
    "venue_deleted": N_("Venue deleted"),
    "room_added": N_("Room added"),
    "room_edited": N_("Room edited"),
    "room_deleted": N_("Room deleted"),
    "registration_cancelled": N_("Registration cancelled by an organizer"),
    "registration_changed": N_("Registration changed by an organizer"),
    "check_in_undone": N_("Check-in undone"),
    "walk_in_over_capacity": N_("Walk-in added past the capacity"),
    "door_pass_created": N_("Door link created"),
    "door_pass_revoked": N_("Door link revoked"),
    "guests_messaged": N_("Message sent to guests"),
    "import": N_("Import"),
    "export": N_("Export of personal data"),
    "backup": N_("Backup taken"),
    "erasure": N_("Person's data erased"),
    "retention": N_("Old registrations anonymized"),
    "user_added": N_("Account added"),
    "user_removed": N_("Account removed"),
    "password_set": N_("Password changed"),
    "sign_in_failed": N_("Failed sign-in"),
    # issue #12, security list
    "security_list_made": N_("Security list made"),
    "guest_list_rule_set": N_("Security list rule set"),
    "guest_list_rule_cleared": N_("Security list rule removed"),
    "let_in_not_on_security_list": N_("Guest let in though not on the security list"),
    "questions_changed": N_("Registration questions changed"),
    "reconfirmation_set": N_("Reconfirmation and overbooking set"),
    # issue #13, event translations
    "event_translated": N_("Event title and description translated"),
    "event_translation_removed": N_("Event translation removed"),
    "event_language_set": N_("Event's original language set"),
    # issue #14, sign-on and speakers
    "sign_on_requested": N_("Sign-on request sent to an organization"),
    "sign_on_answered": N_("Organization answered its sign-on request"),
    "speaker_requested": N_("Confirmation request sent to a speaker"),
    "speaker_answered": N_("Speaker answered their request"),
    "show_invited_set": N_("Showing invited organizations set"),
    # issue #14, calls for side events
    "call_opened": N_("Call for side events opened"),
    "call_edited": N_("Call for side events changed"),
    "proposal_commented": N_("Comment on a proposal"),
    "proposal_changes_requested": N_("Changes requested to a proposal"),
    "proposal_declined": N_("Proposal declined"),
    "proposals_merged": N_("Proposals merged"),
    "proposal_accepted": N_("Proposal accepted"),
    # issue #15, posters and social cards
    "poster_theme_set": N_("Poster colours chosen"),
    "coalition_logo_set": N_("Coalition logo uploaded"),
    "coalition_logo_removed": N_("Coalition logo removed"),
}

# ---------------------------------------------------------------------- refusals

MESSAGES: dict[str, Lazy] = {
    # generic
    "error": N_("Something went wrong. Please try again."),
    "invalid": N_("That input was not accepted. Check it and try again."),
    "not_found": N_("We could not find that."),
    "permission_denied": N_("You are not allowed to do this."),
    "admin_only": N_("Only admins can do this."),
    "organizer_only": N_("Only signed-in organizers can do this."),
    "other_event": N_("This door link is for another event."),
    "unknown_field": N_("Unknown field: {names}."),
    # text a person typed; {label} is the field's name as the form shows it
    "not_text": N_("“{label}” must be text."),
    "unprintable": N_("“{label}” contains characters that cannot be shown."),
    "not_one_line": N_("“{label}” must fit on one line (no tabs or line breaks)."),
    "required": N_("“{label}” is required."),
    "too_long": N_("“{label}” can be at most {max} characters long (this one has {length})."),
    "not_a_choice": N_("“{value}” is not one of the choices for “{label}”. Choose {choices}."),
    # dates and times
    "not_datetime": N_("“{label}” must be a date and time."),
    "naive_datetime": N_(
        "“{label}” has no time zone. Give it with the venue's time zone, for example "
        "datetime(2026, 10, 23, 17, 0, tzinfo=ZoneInfo('America/New_York'))."
    ),
    "not_date": N_("“{label}” must be a date."),
    "date_out_of_range": N_("“{label}” is out of range: give a date between the years 1900 and 9998."),
    "timezone_required": N_("Choose a time zone, such as America/New_York."),
    "timezone_unknown": N_("“{name}” is not a time zone we know. Use a name such as America/New_York or America/Lima."),
    # numbers and links
    "capacity_required": N_("Give a capacity of at least 1."),
    "capacity_not_whole": N_("Capacity must be a whole number."),
    "capacity_too_small": N_("Capacity must be at least 1."),
    "capacity_too_large": N_("Capacity can be at most {max}."),
    "link_not_text": N_("The online link must be text."),
    "link_not_web": N_("The online link must be a web address starting with https:// (or http://)."),
    "link_too_long": N_("The online link is too long (at most {max} characters)."),
    "base_url_invalid": N_(
        "The base URL “{value}” must be a web address such as https://events.example.org "
        "(http:// or https://, no ?query or #fragment)."
    ),
    "email_required": N_("An email address is required."),
    "email_not_text": N_("The email address must be text."),
    "email_invalid": N_("“{value}” does not look like an email address."),
    "your_email_required": N_("Please give your email address."),
    "your_email_invalid": N_("That email address does not look right: check it for typos."),
    # things that are not there
    "no_summit": N_("There is no summit with id {id}."),
    "no_venue": N_("There is no venue with id {id}."),
    "no_room": N_("There is no room with id {id}."),
    "no_event": N_("There is no event with id {id}."),
    "no_public_event": N_("There is no public event with id {id}."),
    "no_registration": N_("There is no registration with id {id}."),
    "no_door_pass": N_("There is no door pass with id {id}."),
    "no_account": N_("There is no account with id {id}."),
    "bad_id": N_("“{value}” is not a valid id."),
    "registration_not_found": N_("We could not find that registration."),
    # summits and events
    "summit_days_reversed": N_("The last day cannot be before the first day."),
    "event_no_field": N_("Events have no field {names}."),
    "event_cancelled_no_edit": N_("This event is cancelled and can no longer be edited."),
    "stale_edit": N_(
        "Someone else saved this event while you were editing it. Your changes are not saved yet: "
        "look at what they changed, then save again."
    ),
    "publish_cancelled": N_("A cancelled event cannot be published again. Duplicate it instead."),
    # Translators: {clash} is a whole sentence saying which events share the room.
    "room_clash_confirm": N_("{clash} Confirm that you want to publish anyway."),
    "room_just_booked": N_(
        "The room was just booked for “{other}” at the same time. Confirm that you want to publish anyway."
    ),
    "event_ends_before_start": N_("The event must end after it starts."),
    "event_too_long": N_("An event can last at most 31 days. Check the dates."),
    "online_with_room": N_("An online event has no room. Clear the room or choose hybrid."),
    "in_person_with_link": N_("An in-person event has no online link. Clear the link or choose hybrid."),
    "speaker_not_mapping": N_("Speaker {n} must be given as name, affiliation, email and role."),
    "organization_not_mapping": N_("Organization {n} must be given as a name and a role."),
    # registrations
    "registration_closed_cancelled": REGISTRATION_CLOSED["cancelled"],
    "registration_closed_not_published": N_("This event is not open for registration yet."),
    "registration_closed_ended": REGISTRATION_CLOSED["ended"],
    "registration_cancelled_no_edit": N_("This registration is cancelled. Register again to come."),
    "no_ticket": N_("Only confirmed registrations have a ticket."),
    # the door
    "not_checked_in": N_("{name} is not checked in."),
    "walk_in_event_cancelled": N_("This event is cancelled: nobody can be let in."),
    "walk_in_event_draft": N_("This event is still a draft: publish it before letting anyone in."),
    "walk_in_email_taken": N_("This email is already registered for this event: find the guest by name instead."),
    "walk_in_full": N_(
        "The room is full: {taken} of {capacity} places are taken by confirmed guests and walk-ins "
        "(some may still arrive). Let them in anyway only if there is space."
    ),
    "door_pass_event_cancelled": N_("This event is cancelled: it needs no door links."),
    "door_pass_event_draft": N_("This event is still a draft: publish it before making door links."),
    # accounts
    "account_exists": N_("There is already an account for {email}."),
    "last_admin": N_("This is the only admin account; add another admin first."),
    "password_too_short": N_("Use a password of at least 10 characters."),
    "password_too_long": N_("That password is too long (at most 1,000 characters)."),
    # the operator, at start
    "configuration": N_("The server is not configured correctly."),
    "checkin_key_damaged": N_("{path} is damaged: delete it only if no tickets were sent yet."),
    # clashes (Conflict.message)
    "conflict_room": N_("{room} is booked twice: “{first}” ({first_when}) and “{second}” ({second_when})."),
    "conflict_speaker": N_(
        "{name} is due to speak at “{first}” ({first_when}) and at “{second}” ({second_when}) at the same time."
    ),
    "conflict_outside_summit": N_("“{title}” ({when}) falls outside {summit} ({first_day} – {last_day})."),
    # issue #9, signin: sign-in throttling. Translators: {wait} is a duration such as "15 minutes".
    "sign_in_throttled": N_("Too many sign-in attempts. Wait {wait} and try again."),
    # files (issue #9): a photo uploaded at the door that is refused before it is read
    "photo_too_large": N_("This photo is too large to read: take it again with the phone's camera."),
    "photo_not_an_image": N_("This file is not a camera photo: take the ticket's picture with the phone's camera."),
    "photo_busy": N_("The door is reading other photos right now: try this one again in a moment."),
    # registration mode and proof of work (issue #9, part "mode")
    "proof_required": N_("Please complete the check above the button (tick the box and wait a moment), then press it again."),
    "proof_invalid": N_("The check could not be confirmed. Please tick the box again, then press the button."),
    "proof_expired": N_("The check has expired. Please tick the box again, then press the button."),
    "proof_used": N_("That check was already used. Please tick the box again, then press the button."),
    "proof_key_damaged": N_("{path} is damaged: delete it and start the server again (only checks in progress are lost)."),
    # registrations (issue #9, part "reg"): failed writes, flood limits
    "write_failed": N_("We could not save this, so nothing was recorded. Please try again in a moment."),
    "registration_write_failed": N_("We could not save your registration, so nothing was recorded. Please try again."),
    "registration_rate_limited": N_(
        "Too many registrations came from here in the last minute. Please wait a minute and try again."
    ),
    "registration_rate_limited_event": N_(
        "This event is taking very many registrations right now. Please wait a minute and try again."
    ),
    "setting_not_a_count": N_("{name} must be a whole number of at least 1, not “{value}”."),
    "trusted_proxy_invalid": N_(
        "PLANNER_TRUSTED_PROXY must name one HTTP header, such as x-forwarded-for, not “{value}”."
    ),
    "database_not_writable": N_(
        "The database {path} cannot be written: check that the file and its folder exist and are writable "
        "and that the disk has space."
    ),
    # times (issue #9): zone names of places only, clock changes, events dated in the past.
    "timezone_not_a_place": N_(
        "“{name}” is not the time zone of a place. Use a name such as America/New_York or Europe/Paris."
    ),
    "timezone_renamed": N_("“{name}” is an old name of a time zone: use {current} instead."),
    # Translators: {when} is a day and time; {start} and {end} are times of day ("02:00", "03:00").
    "time_skipped": N_(
        "{when} does not exist in {zone}, because the clocks go forward from {start} to {end}: choose another time."
    ),
    # Translators: {when} is a day and time; the clocks go back from {start} to {end} ("02:00", "01:00").
    "time_repeated": N_(
        "{when} happens twice in {zone}, because the clocks go back from {start} to {end}: "
        "say whether you mean the first or the second."
    ),
    # Translators: {when} is a date with its year and a time ("Sun, 1 Nov 2026 17:00").
    "event_in_the_past": N_("This event starts on {when}, which is in the past: check the date, or confirm it."),
    # text (issue #9): web addresses that could break out of a link
    "link_unprintable": N_(
        "The online link cannot contain spaces or invisible characters: copy it again from the invitation."
    ),
    "link_bad_character": N_(
        "The online link cannot contain “{value}”: write it percent-encoded (%28 for “(”, %22 for a double quote) "
        "or copy the link again from the invitation."
    ),
    # email (issue #10)
    "no_message": N_("There is no message {id} in the outbox."),
    "no_audience": N_("Choose who gets the message."),
    "no_recipients": N_("Nobody in the chosen group has an email address yet: nothing was sent."),
    "reminder_hours": N_("The reminder must be between 1 and 336 hours (two weeks) before the start, or off."),
    "link_requests_limited": N_("You asked for links several times in a short while. Please wait a few minutes, "
                                "then check your inbox (and its spam folder) before asking again."),
    "smtp_not_configured": N_("No mail server is set up (PLANNER_SMTP_HOST): messages wait in the outbox."),
    "mail_sender_invalid": N_("PLANNER_MAIL_SENDER must be “app” or “separate”, not “{value}”."),
    "link_request_failed": N_("Your request could not be saved. Please try again in a moment."),
    "message_body": N_("The message is required."),
    # email (issue #10): the mail server settings (PLANNER_SMTP_*), said to the operator at start.
    # Translators: the PLANNER_SMTP_… names and starttls, ssl, none are typed as they are: keep them untranslated.
    "smtp_host_invalid": N_(
        "PLANNER_SMTP_HOST must be the mail server's name or address alone, such as smtp.example.org "
        "(the port goes in PLANNER_SMTP_PORT), not “{value}”."
    ),
    "smtp_port_invalid": N_("PLANNER_SMTP_PORT must be a port number from 1 to 65535, such as 587, not “{value}”."),
    "smtp_security_invalid": N_(
        "PLANNER_SMTP_SECURITY must be starttls (usually port 587), ssl (usually port 465) or none, not “{value}”."
    ),
    "smtp_timeout_invalid": N_(
        "PLANNER_SMTP_TIMEOUT must be a number of seconds greater than 0 and at most 600, such as 30, "
        "not “{value}”."
    ),
    "smtp_from_required": N_(
        "PLANNER_SMTP_FROM is required when PLANNER_SMTP_HOST is set: give the address messages are sent from, "
        "such as events@example.org or Side Events <events@example.org>."
    ),
    # Translators: {name} is PLANNER_SMTP_FROM or PLANNER_SMTP_REPLY_TO.
    "smtp_address_invalid": N_(
        "{name} must be one email address, such as events@example.org or Side Events <events@example.org>, "
        "not “{value}”."
    ),
    "smtp_login_incomplete": N_(
        "PLANNER_SMTP_USER and PLANNER_SMTP_PASSWORD go together: set both to sign in to the mail server, or neither."
    ),
    # Translators: {value} is the mail server's name, such as smtp.example.org.
    "smtp_password_in_clear": N_(
        "PLANNER_SMTP_SECURITY is none, so the password would cross the network to {value} unencrypted: "
        "use starttls or ssl (none with a password is allowed only for a server on this machine)."
    ),
    # confirmed by email (issue #10)
    "confirm_link_expired": N_(
        "This link has expired or is not valid: places are held for 30 minutes. Please register again on the event page."
    ),
    # exports (issue #11)
    "export_scope": N_("Export one event or one summit, not both at once: choose one of them, or neither for everything."),
    "export_all_csv": N_("Everything in one file comes as an XLSX workbook (a CSV file holds one table): choose XLSX."),
    # imports (issue #11): a whole file refused, then one row's reason (the row number is shown beside it)
    "import_empty": N_("The file is empty. Download the template, fill in one row per entry and upload it again."),
    "import_no_rows": N_("The file has headings but no rows to import."),
    "import_old_excel": N_(
        "This is an old Excel file (.xls): save it as an Excel workbook (.xlsx) or as CSV, then upload it again."
    ),
    "import_unreadable": N_(
        "This file cannot be read as a table: upload a CSV file or an Excel workbook (.xlsx), such as the template."
    ),
    "import_too_many_rows": N_("This file has {count} rows, and at most {max} can be imported at once: split it."),
    # Translators: {missing} and {found} are lists of column headings.
    "import_missing_columns": N_(
        "The file has no column for {missing}. Its columns are: {found}. Use the headings of the template."
    ),
    "import_bad_date": N_("“{value}” is not a date: write it day first, as 20/10/2026, or as 2026-10-20."),
    "import_bad_time": N_("“{value}” is not a time for “{label}”: write it as 17:00."),
    "import_unknown_summit": N_("There is no summit named “{name}”: add it on the Summits page first, or correct the name."),
    "import_unknown_venue": N_(
        "There is no venue named “{name}”: add it on the Venues and rooms page first, or correct the name."
    ),
    "import_unknown_room_in_venue": N_(
        "{venue} has no room named “{name}”: add it on the Venues and rooms page first, or correct the name."
    ),
    "import_unknown_room": N_(
        "There is no room named “{name}”: add it on the Venues and rooms page first, or correct the name."
    ),
    "import_room_ambiguous": N_("Several venues have a room named “{name}”: give the venue too."),
    "import_room_needed": N_("Give the room at {venue}: an event in a venue takes place in one of its rooms."),
    "import_no_timezone": N_(
        "Give a time zone (such as America/New_York), a room or a summit: the times are read in the event's own zone."
    ),
    # data care (issue #11): deleting what was made by mistake, backups and restore
    "translation_of_original": N_("The event was written in {language}: change its own title and description "
                                  "instead of translating it into {language}."),
    "original_is_translated": N_("The event already has a translation into {language}: remove it before "
                                 "making {language} the event's original language."),
    "event_was_public": N_("“{title}” has been public, so it cannot be deleted: cancel it instead."),
    "event_has_registrations": N_("“{title}” has registrations, so it cannot be deleted: cancel it instead."),
    # Translators: {names} is a list of event titles, such as "Water rights, Youth forum and Closing".
    "summit_in_use": N_("The summit “{name}” cannot be deleted: these events belong to it: {names}."),
    # Translators: {names} is a list of room names.
    "venue_in_use": N_("The venue “{name}” cannot be deleted: it still has these rooms: {names}. Delete them first."),
    # Translators: {names} is a list of event titles.
    "room_in_use": N_(
        "The room “{name}” cannot be deleted: these events use it: {names}. Move them to another room first."
    ),
    "backup_over_database": N_("A backup cannot be written over the database itself ({path}): choose another file."),
    "backup_folder_missing": N_("The folder {path} does not exist: create it first, or choose another one."),
    "backup_failed": N_(
        "The backup could not be written to {path}: check that the disk has room and that the server may write there."
    ),
    "restore_missing": N_("There is no file at {path}."),
    "restore_not_sqlite": N_("{path} is not a database file: nothing was restored."),
    "restore_corrupt": N_("{path} is damaged (it fails SQLite's integrity check): nothing was restored."),
    "restore_not_a_planner_database": N_("{path} is a database, but not the planner's: nothing was restored."),
    # Translators: {value} is the backup's schema version, {max} the newest this version of the planner knows.
    "restore_unknown_schema": N_(
        "{path} has schema version {value}, which this version of the planner does not know (it knows up to "
        "{max}): nothing was restored."
    ),
    "restore_key_missing": N_(
        "The check-in key {path} is missing. Without it no ticket can be checked in and no private link works: "
        "put it beside the backup, or restore without it on purpose (--without-key)."
    ),
    "restore_key_damaged": N_("The check-in key {path} is damaged: nothing was restored."),
    "restore_database_in_use": N_(
        "The database {path} is open in another process: stop the app (every server and sender), then restore."
    ),
    # issue #12, security list
    "guest_list_scope": N_("A security list rule belongs to one venue, one room or one event: choose one of them."),
    "guest_list_count": N_("“{label}” must be a whole number from 1 to {max}, or left empty."),
    "guest_list_deadline_both": N_(
        "Give the deadline in hours or in working days, not both: the host's rule says one of them."
    ),
    "guest_list_column": N_("“{value}” is not a column the security list can have."),
    "guest_list_no_columns": N_("Choose at least one column for the security list."),
    "guest_list_holidays": N_("A rule can list at most {max} holidays."),
    "guest_list_no_rule": N_(
        "“{title}” has no security list rule with a deadline: set one for its venue, its room or the event first."
    ),
    # registration questions and privacy choices (issue #12); {label} is the question as the form asks it
    "answers_not_a_dict": N_("The answers must be given question by question."),
    "unknown_question": N_("This event's form asks no question {names}."),
    "answer_not_a_list": N_("“{label}” takes a list of choices."),
    "answer_not_yes_no": N_("“{label}” must be answered yes or no."),
    "not_a_country": N_("“{value}” is not a country we know for “{label}”: choose one from the list."),
    "questions_not_a_list": N_("The questions must be a list, one question after the other."),
    "too_many_questions": N_("A form can ask at most {max} questions."),
    "question_twice": N_("The question “{label}” is in the list twice."),
    "question_needs_choices": N_("The question “{label}” needs at least two choices, one per line."),
    "too_many_choices": N_("The question “{label}” can have at most {max} choices."),
    "question_choice_twice": N_("The question “{label}” has the same choice twice."),
    "question_not_found": N_("There is no question with id {id} on this event's form."),
    # reconfirmation and no-shows (issue #12)
    "reconfirm_link_unknown": N_(
        "This link is not valid. Open the link from your most recent email, or ask the organizers."
    ),
    "reconfirm_registration_cancelled": N_("This registration is cancelled, so there is nothing left to answer."),
    "walk_in_room_full": N_(
        "The room is full: it holds {capacity} and that many people are inside. Let someone in when others leave."
    ),
    "overbooking_too_large": N_("Offer at most {max} places beyond the capacity."),
    # issue #14, the programme on partners' websites: an ``organization=`` that names no
    # organization shown on the public programme (the value is not repeated: it came from a URL).
    "no_public_organization": N_("No organization of that name or number is on the public programme."),
    # issue #14, sign-on and speaker confirmations
    "sign_on_link_unknown": N_(
        "This link is not valid. Open the link from your most recent email, or ask the organizers."
    ),
    "speaker_link_unknown": N_(
        "This link is not valid. Open the link from your most recent email, or ask the organizers."
    ),
    "sign_on_no_organization": N_("“{name}” is not an organization of this event: add it to the event first."),
    "sign_on_no_speaker": N_("This person is not a speaker of this event: add them to the event first."),
    "speaker_no_email": N_("{name} has no email address: give one to send the request."),
    "sign_on_answered": N_(
        "This request was answered and the event is published, so the answer can no longer change. "
        "Write to the organizers if something is wrong."
    ),
    "sign_on_closed": N_("This event has ended or was cancelled, so there is nothing left to answer."),
    "sign_on_not_pending": N_("Only a request that has no answer yet can be sent again."),
    "sign_on_no_request": N_("No request was sent for this yet: send one first."),
    "sign_on_not_yours": N_("This request is not one of those your link can answer."),
    "sign_on_remind_too_soon": N_("A request was sent less than an hour ago: wait a little before sending it again."),
    "speaker_attendance_needed": N_("Say whether you will speak in person, remotely or by video message."),
    "speaker_id_name_needed": N_(
        "Give your name as it is written on your ID document: the host needs it to let you in."
    ),
    "image_too_large": N_(
        "This picture is too large: send a file under 8 MB, at most 10,000 pixels wide and high."
    ),
    "image_too_small": N_("This picture is too small: send one at least {side} pixels wide and high."),
    "image_not_an_image": N_(
        "This file is not a picture we can use: send a PNG or JPEG file (or, for a logo, an SVG file)."
    ),
    "svg_unsafe": N_(
        "This SVG file holds scripts, links to other files or parts we do not accept. "
        "Send the logo as a PNG file instead."
    ),
    "svg_no_size": N_("This SVG file does not say how large it is (no viewBox): send the logo as a PNG file instead."),
    # calls for side events (issue #14)
    "call_not_found": N_("There is no such call for side events. Check the link you were given."),
    "call_closes_before_opening": N_("A call must close after it opens."),
    "call_not_open": N_("This call for side events is not open: it takes proposals from {opens} to {closes}."),
    "call_question_kind": N_("“{value}” is not a kind of question a call can ask."),
    "proposal_link_unknown": N_(
        "This link is not valid. Open the link from your most recent email about your proposal, or ask the organizers."
    ),
    "proposal_not_found": N_("There is no proposal with id {id}."),
    "proposal_decided": N_("This proposal is {status}: it cannot be changed any more."),
    "proposal_edit_closed": N_(
        "The call is closed: a proposal can be changed now only when the organizers ask for changes."
    ),
    "proposal_too_many": N_("A proposal can list at most {max} {label}."),
    "proposal_day_outside_summit": N_("{day} is not one of the summit's days ({first} to {last})."),
    "proposal_merge_itself": N_("A proposal cannot be merged with itself."),
    "proposal_merge_other_call": N_("Only proposals to the same call can be merged."),
    "proposal_time_not_preferred": N_(
        "The time chosen is not among the days and times the proposers preferred: confirm it to accept anyway."
    ),
    "proposal_time_outside_summit": N_("The time chosen is not within the summit's days ({first} to {last})."),
    # posters and social cards (issue #15)
    "logo_not_an_image": N_("The logo must be a PNG or JPEG picture. Save it as one and upload it again."),
    "logo_too_large": N_("The logo is too large: upload a picture of at most {max_kb} KB and {max_side} pixels on its longest side."),
    # issue #16: one name, one place
    "summit_name_taken": N_("There is already a summit called “{name}”: change that one, or give this one another name."),
    "venue_zone_moves_events": N_(
        "Events are held at this venue ({count}): choose whether they keep their local times or the moment they "
        "happen, then save again."
    ),
    "venue_name_taken": N_("There is already a venue called “{name}”: add rooms to it, or give this one another name."),
    "room_name_taken": N_("{venue} already has a room called “{name}”: change that one, or give this one another name."),
}

# The colours of posters and social cards (planner/outputs/poster.py THEMES).
POSTER_THEME_LABELS = {"navy": N_("Navy and gold"), "forest": N_("Forest green"), "plum": N_("Plum and coral")}
POSTER_PAPER_LABELS = {"a4": N_("A4"), "letter": N_("US Letter")}
CARD_SIZE_LABELS = {"1200x630": N_("Wide (1200 × 630)"), "1080x1080": N_("Square (1080 × 1080)")}


# "Required" reads best as a whole sentence naming the field; other labels get the general one.
REQUIRED = {
    "Title": N_("The title is required."),
    "Subject": N_("The subject is required."),
    "Message": N_("The message is required."),
    "Your name": N_("Your name is required."),
    "Name": N_("The name is required."),
    "Reason for cancelling": N_("The reason for cancelling is required."),
    "Summit name": N_("The summit's name is required."),
    "Venue name": N_("The venue's name is required."),
    "Room name": N_("The room's name is required."),
    "Door name": N_("The door's name is required."),
    "Start": N_("The start is required."),
    "End": N_("The end is required."),
}


class When:
    """A time range shown in the active language: "Tue 20 Oct 10:00–11:00" (wall clock of the
    datetimes given, which are already in the zone to show)."""

    __slots__ = ("start", "end")

    def __init__(self, start: datetime, end: datetime | None):
        self.start, self.end = start, end

    def __str__(self) -> str:
        if self.end is None:  # one moment: "Tue 20 Oct 10:00"
            return _("{day} {time}").format(day=format_skeleton("MMMEd", self.start), time=format_time(self.start))
        return _("{day} {start}–{end}").format(  # an end on a later day is marked: "22:00–00:00 (+1 day)"
            day=format_skeleton("MMMEd", self.start), start=format_time(self.start),
            end=end_time_marked(self.start, self.end),
        )

    def __eq__(self, other) -> bool:
        return isinstance(other, When) and (self.start, self.end) == (other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.start, self.end))


class Moment(When):
    """One moment with its year, in the active language: "Sun, 1 Nov 2026 17:00" (a date
    that may be in another year than the reader thinks)."""

    __slots__ = ()

    def __init__(self, at: datetime):
        super().__init__(at, None)

    def __str__(self) -> str:
        return _("{day} {time}").format(day=format_skeleton("yMMMEd", self.start), time=format_time(self.start))


def show(value) -> str:
    """A parameter as it reads in a sentence of the active language."""
    if isinstance(value, (Lazy, When)):
        return str(value)
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, datetime):
        return str(When(value, None))
    if isinstance(value, date):
        return format_date(value, "medium")
    if isinstance(value, timedelta):  # "1 minute", "15 minutes": whole minutes, plural as the language counts
        return format_timedelta(value, granularity="minute", threshold=math.inf, locale=locale())
    if isinstance(value, time):
        return format_time(value)
    if isinstance(value, (list, tuple)):
        from .i18n import format_list

        return format_list([show(v) for v in value])
    return str(value)


def message(code: str, params: dict | None = None) -> str:
    """The sentence for a refusal code in the active language, its ``{names}`` filled in."""
    template = MESSAGES.get(code) or MESSAGES["error"]
    label = (params or {}).get("label")
    if code == "required" and isinstance(label, Lazy) and label.msgid in REQUIRED:
        template = REQUIRED[label.msgid]
    return template.format(**(params or {})).__str__()


def label(table: dict, code: str | None) -> str:
    """The label of ``code`` in one of the tables above, or the code itself if it has none."""
    found = table.get(code) if code is not None else None
    return str(found) if found is not None else str(code or "")


# issue #12, security list: the columns a host may want on the list, in the order offered.
SECURITY_LIST_COLUMNS = {
    "given_names": N_("Given names"),
    "family_name": N_("FAMILY NAME"),
    "organization": N_("Organization"),
    "country": N_("Country"),
    "event_title": N_("Event"),
    "date": N_("Date"),
    "start_time": N_("Start time"),
    "venue": N_("Venue"),
    "sponsor": N_("Sponsor"),
}

# issue #12, security list: what a guest-list rule is set for (the audit log's "Applies to").
GUEST_LIST_SCOPES = {"venue": N_("Venue"), "room": N_("Room"), "event": N_("Event")}
# ---------------------------------------------------------------------- registration questions (issue #12)

# The built-in questions an organizer may put on an event's form (``areas/questions.py``).
BUILTIN_QUESTION_LABELS = {
    "id_names": N_("Given name(s) and family name as on your ID document"),
    "country": N_("Country or nationality"),
    "organization_type": N_("Type of organization"),
    "gender": N_("Gender"),
    "needs": N_("Access or interpretation needs"),
}
# The organizer's own questions: what kind of answer each takes.
QUESTION_KIND_LABELS = {
    "short_text": N_("Short text"),
    "long_text": N_("Long text"),
    "one_choice": N_("One choice"),
    "several_choices": N_("Several choices"),
    "yes_no": N_("Yes or no"),
}
ORGANIZATION_TYPES = ("ngo", "un", "member_state", "academia", "media", "other")
ORGANIZATION_TYPE_LABELS = {
    "ngo": N_("NGO or civil society"),
    "un": N_("UN entity"),
    "member_state": N_("Member State"),
    "academia": N_("Academia"),
    "media": N_("Media"),
    "other": N_("Other"),
}
GENDERS = ("woman", "man", "non_binary", "not_say")
GENDER_LABELS = {
    "woman": N_("Woman"),
    "man": N_("Man"),
    "non_binary": N_("Non-binary"),
    "not_say": N_("Prefer not to say"),
}
# The answers of the built-in questions, as headings and labels.
ANSWER_LABELS = {
    "given_names": N_("Given name(s) as on the ID document"),
    "family_name": N_("Family name as on the ID document"),
    "country": N_("Country or nationality"),
    "organization_type": N_("Type of organization"),
    "gender": N_("Gender"),
}
YES_NO_LABELS = {True: N_("Yes"), False: N_("No")}

# issue #14: how a speaker takes part, and where a sign-on or speaker request stands (as organizers
# see it: "vouched" is an organization or speaker the organizer added without asking).
SPEAKER_ATTENDANCE = ("in_person", "remote", "video")
SPEAKER_ATTENDANCE_LABELS = {
    "in_person": N_("In person"), "remote": N_("Remotely (live online)"), "video": N_("By video message"),
}
SIGN_ON_STATUS_LABELS = {
    "vouched": N_("Added by the organizers (not asked)"), "pending": N_("No answer yet"),
    "confirmed": N_("Confirmed"), "declined": N_("Declined"),
}

# issue #14, calls for side events: where a proposal stands, and the parts of a day a proposer may prefer.
PROPOSAL_STATUSES = ("submitted", "changes_requested", "accepted", "declined", "withdrawn", "merged")
PROPOSAL_STATUS_LABELS = {
    "submitted": N_("Submitted"),
    "changes_requested": N_("Changes requested"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
    "merged": N_("Merged into another proposal"),
}
DAY_PARTS = ("morning", "midday", "afternoon", "evening")
DAY_PART_LABELS = {
    "morning": N_("Morning (8:00–12:00)"),
    "midday": N_("Midday (12:00–14:00)"),
    "afternoon": N_("Afternoon (14:00–18:00)"),
    "evening": N_("Evening (18:00–22:00)"),
}
