"""The printable door list, for when the network fails: confirmed guests and the waiting
list, sorted by name, with their codes, written by ``spreadsheets.csv_bytes`` (a BOM, CRLF,
formulas neutralised); headings and statuses are in the active language."""

from __future__ import annotations

from ..i18n import N_
from ..models import Registration
from .spreadsheets import csv_bytes

COLUMNS = {
    "name": N_("Name"),
    "organization": N_("Organization"),
    "status": N_("Status"),
    "code": N_("Code"),
    "checked_in": N_("Checked in"),
}

# Lower case on a printed list, read down a column ("confirmed", "walk-in").
STATUS_WORDS = {"confirmed": N_("confirmed"), "waitlisted": N_("waitlisted"), "walk_in": N_("walk-in")}


def door_list_csv(guests: list[Registration]) -> bytes:
    import pandas as pd

    headings = {key: str(label) for key, label in COLUMNS.items()}
    rows = [
        {
            headings["name"]: g.name,
            headings["organization"]: g.organization,
            headings["status"]: str(STATUS_WORDS["walk_in" if g.walk_in else g.status]),
            headings["code"]: g.ticket_code or "",
            headings["checked_in"]: str(N_("yes")) if g.checked_in_at else "",
        }
        for g in guests
    ]
    return csv_bytes(pd.DataFrame(rows, columns=list(headings.values())))  # formulas neutralised there
