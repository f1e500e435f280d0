"""The Planner's exports (issue #11): registrations, the check-in log, the attendance summary
and the programme, as pandas frames or as CSV / XLSX files, of one event, one summit or
everything (``areas/exports.py`` reads them; ``outputs/spreadsheets.py`` writes the files, with
formula injection neutralised in both formats).

Staff only: a door pass gets no export but its door list (``door_list_csv``). Each file that
holds personal data (registrations, the check-in log, or everything) writes one ``export``
entry to the audit log — who, which kind, which scope, how many rows, which format — in the
same write transaction that read its rows, so an entry exists exactly when the rows were
handed out; so do ``registrations_table`` and ``checkin_log_table`` (format "dataframe").
"""

from __future__ import annotations

import pandas as pd

from .. import validate as check
from ..access import SYSTEM, Actor
from ..areas import audit, exports
from ..errors import ValidationError
from ..i18n import N_
from ..outputs.spreadsheets import csv_bytes, xlsx_bytes
from . import staff_only


class ExportMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    @staff_only
    def registrations_table(self, event_id: int | None = None, summit_id: int | None = None, *,
                            actor: Actor = SYSTEM) -> pd.DataFrame:
        """Every registration (cancelled ones too) of one event, one summit or every event: event,
        time zone, name, email, organization, needs, status, place on the waiting list, walk-in,
        registered, checked in (time and door), cancelled; times on the event's wall clock."""
        return self._export_frame("registrations", event_id, summit_id, actor)

    @staff_only
    def checkin_log_table(self, event_id: int | None = None, summit_id: int | None = None, *,
                          actor: Actor = SYSTEM) -> pd.DataFrame:
        """Every scan at the doors (refused ones too) with its time, door, verdict and guest."""
        return self._export_frame("checkins", event_id, summit_id, actor)

    @staff_only
    def attendance_table(self, event_id: int | None = None, summit_id: int | None = None, *,
                         actor: Actor = SYSTEM) -> pd.DataFrame:
        """One row per event that took registrations: capacity, confirmed, walk-ins, checked in,
        no-shows, the share of registered who came, waiting list, cancelled, scans."""
        return self._export_frame("attendance", event_id, summit_id, actor)

    @staff_only
    def programme_table(self, event_id: int | None = None, summit_id: int | None = None, *,
                        actor: Actor = SYSTEM) -> pd.DataFrame:
        """Every event (drafts too, with their status) with its times in the venue's zone, place,
        speakers under their roles and organizations under theirs."""
        return self._export_frame("programme", event_id, summit_id, actor)

    @staff_only
    def participants_table(self, event_id: int | None = None, summit_id: int | None = None, *,
                           actor: Actor = SYSTEM) -> pd.DataFrame:
        """The participants list to share beyond the organizers (co-sponsors, funders): event,
        name and organization of every confirmed guest who did not ask to keep their name off
        shared lists. ``registrations_table`` stays the organizers' own, with everyone."""
        return self._export_frame("participants", event_id, summit_id, actor)

    @staff_only
    def export(self, kind: str, format: str = "xlsx", *, event_id: int | None = None, summit_id: int | None = None,
               actor: Actor = SYSTEM) -> tuple[bytes, str, str]:
        """A file to download → ``(data, file name, MIME type)``. ``kind`` is "registrations",
        "checkins", "attendance", "programme", "all" (one XLSX with a sheet of each of these) or
        "participants" (the list to share beyond the organizers: confirmed guests' names and
        organizations, leaving out those who asked, ``hide_name``); ``format``
        "csv" or "xlsx". Raises ``ValidationError`` for an unknown kind or format, for "all" as
        CSV (``export_all_csv``) and for an event and a summit at once (``export_scope``);
        ``NotFound`` for unknown ids. Personal data (registrations, check-ins, all) is audited."""
        kind = check.choice(kind, exports.KINDS, "kind", N_("Export"), exports.KIND_LABELS)
        format = check.choice(format, exports.FORMATS, "format", N_("File format"))
        if kind == "all" and format == "csv":
            raise ValidationError("export_all_csv", field="format")
        kinds = [k for k in exports.FRAMES if kind == k or (kind == "all" and k not in exports.SHARED)]
        personal = kind in exports.PERSONAL
        with (self._db.write() if personal else self._db.read()) as db:
            where, params = exports.scope(db, event_id, summit_id)
            rows = {k: exports.FRAMES[k][0](db, where, params) for k in kinds}
            if personal:
                counted = {k: len(rows[k]) for k in kinds if k in exports.PERSONAL}
                audit.record(db, actor, "export", event_id=params[0] if event_id is not None else None, subject=kind,
                             rows=sum(counted.values()), format=format, summit_id=params[0] if summit_id is not None
                             else None, tables=counted)
        sheets = {str(exports.KIND_LABELS[k]): exports.FRAMES[k][1](rows[k]) for k in kinds}
        data = csv_bytes(next(iter(sheets.values()))) if format == "csv" else xlsx_bytes(sheets)
        return data, exports.file_name(kind, format, event_id=event_id, summit_id=summit_id), exports.MIME[format]

    def _export_frame(self, kind: str, event_id, summit_id, actor: Actor) -> pd.DataFrame:
        """One table; those with personal data are audited as the files are (a script taking
        registrations out as a DataFrame is an export too)."""
        read, frame = exports.FRAMES[kind]
        personal = kind in exports.PERSONAL
        with (self._db.write() if personal else self._db.read()) as db:
            where, params = exports.scope(db, event_id, summit_id)
            rows = read(db, where, params)
            if personal:
                audit.record(db, actor, "export", event_id=params[0] if event_id is not None else None, subject=kind,
                             rows=len(rows), format="dataframe",
                             summit_id=params[0] if summit_id is not None else None)
        return frame(rows)

