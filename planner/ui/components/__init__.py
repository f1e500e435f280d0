"""What the pages share, by topic; pages import from here and never from each other.

- ``session``: the Planner, the public address, who is signed in.
- ``language``: the session's language, made active for each run, fragment and callback.
- ``navigation``: the page files (for links) and the pages a session gets.
- ``markdown``: typed text shown inside Markdown exactly as typed.
- ``times``: dates and times in the active language, in the event's zone and the viewer's.
- ``events``: an event's people and organizations in one line, an event in a picker.
- ``messages``: the message an action leaves for the next run, errors in words.
- ``rsvp``: the registration box of an event page.
- ``link_request``: "Email me my private link", on an event page and on a link that names nothing.
- ``mail_choice``: the guest's choice of reminders and organizers' messages, on the private page.
- ``door``: who may use the door, what a scan comes to, the door list file.
- ``mail``: who an organizer's message reaches, a message as its reader gets it, the outbox's figures.
"""
