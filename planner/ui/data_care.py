"""Data (admins only): download a backup, erase a person on request, and the retention period
(``face/care.py``, ``backups.py``; README, "Backups and restore" and "Erasure and retention")."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from planner import PlannerError, clock
from planner.i18n import _, format_number, ngettext
from planner.ui.components.messages import show_error
from planner.ui.components.session import actor, planner, signed_in_user

ERASING = "erase_email"  # the address waiting for the admin's confirmation
ERASED = "erased_counts"  # what the last erasure did: counts only


def backup_zip(p, who) -> bytes:
    """A zip of a fresh database snapshot and its check-in key, made in a private temporary
    folder (0700, files 0600) that is deleted before the bytes leave. Streamlit calls it on
    another thread when the button is pressed, so the Planner and the actor come as arguments."""
    folder = Path(tempfile.mkdtemp(prefix="planner-backup-"))
    try:
        files = p.backup(folder / "planner.db", actor=who)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, name in ((files.database, "planner.db"), (files.key, "checkin.key")):
                info = zipfile.ZipInfo(name)
                info.external_attr = 0o100600 << 16  # unpacked readable by its owner only
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
        return buffer.getvalue()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def render() -> None:
    p = planner()
    me = signed_in_user()
    st.title(_("Data"))
    if not me.is_admin:
        st.error(_("Only admins can manage the data."))
        return

    st.subheader(_("Backup"))
    st.caption(
        _(
            "A copy of the whole database, taken while the app keeps serving, with the check-in key. Keep the two "
            "together and private: without the key no ticket can be checked in and no private link works. "
            "It holds every guest's personal data."
        )
    )
    who = actor()
    st.download_button(
        _("Download a backup"), data=lambda: backup_zip(p, who), file_name=f"planner-backup-{clock.now():%Y-%m-%d-%H%M}.zip", mime="application/zip",
        icon=":material/download:", key="data_backup",
    )

    st.subheader(_("Erase a person"))
    st.caption(
        _(
            "On request, remove the name, email, organization and needs kept under one email address: their "
            "registrations stay as blank rows (counts and check-ins stay right), their messages and speaker "
            "entries go. The audit log records that an erasure happened, not whose."
        )
    )
    erased = st.session_state.get(ERASED)
    if erased is not None:
        st.success(_("Erased. Nothing of that person is left in the database."), icon=":material/check_circle:")
        if not erased.anything:  # a typo, or someone erased before: the counts below are all 0
            st.info(_("No registration, held place, message or speaker entry was found under that address: "
                      "check that it was typed right."), icon=":material/info:")
        given_up, moved = erased.places_given_up, erased.moved_up
        if given_up or moved:
            said = [ngettext("Their place at an event still to come was given up.",
                             "Their {count} places at events still to come were given up.",
                             given_up).format(count=format_number(given_up))] if given_up else []
            if moved:
                said.append(ngettext("{count} person waiting moved up and was told.",
                                     "{count} people waiting moved up and were told.", moved).format(
                    count=format_number(moved)))
            st.info(" ".join(said), icon=":material/event_available:")
        figures = st.columns(4)
        for column, (label, value) in zip(figures, (
            (_("Registrations blanked"), erased.registrations), (_("Held places removed"), erased.held_places),
            (_("Messages cleared"), erased.messages), (_("Speaker entries removed"), erased.speaker_entries),
        )):
            column.metric(label, format_number(value))
    pending = st.session_state.get(ERASING)
    if pending is None:
        with st.form("erase_person", clear_on_submit=True):
            email = st.text_input(_("Email address"), key="erase_email_input")
            if st.form_submit_button(_("Erase…")):
                st.session_state.pop(ERASED, None)
                st.session_state[ERASING] = email
                st.rerun()
    else:
        st.warning(
            _("Erase everything kept under this address? This cannot be undone, and backups taken before still hold it."),
            icon=":material/warning:",
        )
        yes, no = st.columns(2)
        if no.button(_("Keep it"), key="erase_keep", width="stretch"):
            st.session_state.pop(ERASING, None)
            st.rerun()
        if yes.button(_("Yes, erase"), key="erase_yes", type="primary", width="stretch"):
            st.session_state.pop(ERASING, None)  # the address is not kept, whatever happens
            try:
                done = p.erase_person(pending, actor=actor())
            except PlannerError as err:
                show_error(err)
            else:
                st.session_state[ERASED] = done  # counts only: the address is not in it
                st.rerun()

    st.subheader(_("Retention"))
    st.caption(
        ngettext(
            "Registrations of events that ended more than {days} day ago are anonymized automatically, once a day. "
            "The registration form tells attendees. Set with PLANNER_RETENTION_DAYS.",
            "Registrations of events that ended more than {days} days ago are anonymized automatically, once a day. "
            "The registration form tells attendees. Set with PLANNER_RETENTION_DAYS.",
            p.retention_days,
        ).format(days=format_number(p.retention_days))
    )


if __name__ == "__main__":
    render()
