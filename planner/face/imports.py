"""Imports, the Planner's part (issue #11): organizers bring events, or an event's guest list,
from a CSV or XLSX file. Every file is previewed first (nothing written); the import itself
checks every row again inside one ``BEGIN IMMEDIATE`` transaction and writes all the good
rows, their confirmations (if asked) and one audit entry together, or nothing at all. The
rules are in ``areas/imports.py``, the reading of files in ``outputs/tabular_in.py``."""

from __future__ import annotations

from .. import validate as check
from ..access import SYSTEM, Actor
from ..areas import audit, imports, outbox
from ..areas.imports import ImportPreview, ImportResult, Progress
from ..errors import ValidationError
from ..i18n import N_
from ..i18n import current as current_language
from ..outputs import spreadsheets
from ..outputs.tabular_in import read_table
from . import staff_only

KINDS = {"events": N_("Events"), "guests": N_("Guest list")}
FORMATS = {"csv": "CSV", "xlsx": "XLSX"}


def _halves(progress: Progress | None, rows: int, first: bool) -> Progress | None:
    """Checking the file's rows is the first half of an import's progress, writing the good
    ones the second: ``progress(done, total)`` sees one scale, 0 to twice the rows."""
    if progress is None:
        return None
    if first:
        return lambda done, total: progress(done, 2 * rows)
    return lambda done, total: progress(rows + (rows * done // total if total else rows), 2 * rows)


class ImportMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    @staff_only
    def preview_event_import(self, data: bytes, filename: str, *, summit_id: int | None = None,
                             actor: Actor = SYSTEM) -> ImportPreview:
        """What importing this events file would do (writes nothing): the rows ready, the
        rows already there (same title, start and room), the refused rows with their reasons.
        Raises ``ValidationError`` for a file that cannot be read at all (empty, wrong kind,
        required columns missing)."""
        frame = read_table(data, filename)
        return self._read(lambda db: imports.check_events(db, frame, filename, summit_id))

    @staff_only
    def import_events(self, data: bytes, filename: str, *, summit_id: int | None = None, actor: Actor = SYSTEM,
                      progress: Progress | None = None) -> ImportResult:
        """Creates the file's good rows as draft events, in one transaction with an audit
        entry; refused and duplicate rows are counted, not written. ``progress(done, total)``
        is called as rows are checked and written."""
        frame = read_table(data, filename)
        with self._db.write() as db:
            checked = imports.check_events(db, frame, filename, summit_id, _halves(progress, len(frame), True))
            ids = imports.write_events(db, checked, _halves(progress, len(frame), False))
            if not ids and progress is not None:
                progress(2 * len(frame), 2 * len(frame))
            audit.record(db, actor, "import", subject="events", created=len(ids), skipped=len(checked.skipped),
                         refused=len(checked.refused), file=filename)
        return ImportResult("events", filename, len(ids), len(checked.skipped), len(checked.refused), tuple(ids))

    @staff_only
    def preview_guest_import(self, event_id: int, data: bytes, filename: str, *,
                             actor: Actor = SYSTEM) -> ImportPreview:
        """What importing this guest list would do (writes nothing): each ready row with the
        status it would get (confirmed while places last, then waitlisted, in file order),
        the addresses already registered, the refused rows with their reasons."""
        event_id = check.id(event_id)
        frame = read_table(data, filename)
        return self._read(lambda db: imports.check_guests(db, event_id, frame, filename))

    @staff_only
    def import_guests(self, event_id: int, data: bytes, filename: str, *, send_confirmations: bool = False,
                      actor: Actor = SYSTEM, progress: Progress | None = None) -> ImportResult:
        """Registers the file's good rows in file order, as if each had registered then, in one
        transaction with an audit entry. With ``send_confirmations`` each gets its confirmation
        (or waiting-list message) through the outbox; without, nothing is written there."""
        event_id = check.id(event_id)
        if not isinstance(send_confirmations, bool):
            raise ValidationError("not_a_choice", field="send_confirmations", value=str(send_confirmations)[:100],
                                  label=N_("Send confirmations"), choices=N_("yes or no"))
        frame = read_table(data, filename)
        with self._db.write() as db:
            checked = imports.check_guests(db, event_id, frame, filename, _halves(progress, len(frame), True))
            ids = imports.write_guests(db, event_id, checked, checkin_key=self._checkin_key,
                                       language=current_language(), progress=_halves(progress, len(frame), False))
            if not ids and progress is not None:
                progress(2 * len(frame), 2 * len(frame))
            if send_confirmations:
                for registration_id, row in zip(ids, checked.ready):
                    outbox.registered(db, registration_id, row.values["status"], domain=self._domain)
            audit.record(db, actor, "import", event_id=event_id, subject="guests", created=len(ids),
                         skipped=len(checked.skipped), refused=len(checked.refused), file=filename,
                         confirmations=send_confirmations)
        if send_confirmations and ids:
            self._wrote_mail()
        return ImportResult("guests", filename, len(ids), len(checked.skipped), len(checked.refused), tuple(ids),
                            confirmed=checked.confirmed, waitlisted=checked.waitlisted,
                            messages=len(ids) if send_confirmations else 0)

    def import_template(self, kind: str, format: str) -> bytes:
        """The template of ``kind`` ("events" or "guests") as ``format`` ("csv" or "xlsx"):
        the headings in the active language and one example row (the events template's says
        how dates and places are read)."""
        kind = check.choice(kind, tuple(KINDS), "kind", N_("What to import"), KINDS)
        format = check.choice(format, tuple(FORMATS), "format", N_("Format"), FORMATS)
        frame = imports.template_frame(kind)
        if format == "csv":
            return spreadsheets.csv_bytes(frame)
        return spreadsheets.xlsx_bytes({str(KINDS[kind]): frame})
