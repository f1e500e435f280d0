"""The rules of the domain, one module per area, as functions over an open connection.

Each function takes ``db`` (a sqlite-utils ``Database`` on a connection the caller opened
with ``Database.read()`` or ``Database.write()``) as its first argument. Functions that write
say so and must run inside the caller's ``BEGIN IMMEDIATE`` transaction, so a change and what
it causes (a promotion, later an outbox message or an audit entry) commit or roll back
together. ``Planner`` opens the transaction and calls them; nothing here opens one.

- ``catalog``: summits, venues and rooms
- ``events``: events, speakers and organizations, publishing, the public programme
- ``conflicts``: clashes of rooms, speakers and summit days
- ``registrations``: seats, the waiting list, the private link
- ``checkin``: check-in codes, scans, walk-ins, door passes, the headcount
- ``accounts``: users, passwords, sign-in sessions
"""
