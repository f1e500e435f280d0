"""Data care (issue #11): backups taken while people register, restore that checks before it
replaces, erasure that leaves no byte of a person in the database's files, retention, and
deleting what was made by mistake."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from planner import Planner, StorageError, ValidationError
from planner.backups import check_backup, restore
from tests.domain.conftest import FUTURE
from tests.domain.threads import run_together

EMAIL = "zofia.erase-me@example.org"
NAME = "Zofia Wójcik-Erasure"
ORGANIZATION = "Koalicja Erasure"
NEEDS = "Polish interpretation, erasure-needs"


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def _registration_ids(path: Path) -> set[int]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM registrations")}
    finally:
        conn.close()


# ---------------------------------------------------------------------- backups


def test_a_backup_taken_while_20_threads_register_holds_every_acknowledged_registration(planner, open_event, tmp_path):
    event = open_event(capacity=100_000)
    acknowledged: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()
    started = threading.Event()

    def register(n: int) -> None:
        for i in range(1000):
            if stop.is_set():
                return
            done = planner.register(event.id, name=f"Guest {n}-{i}", email=f"g{n}-{i}@example.org")
            with lock:
                acknowledged.append(done.id)
                if len(acknowledged) >= 60:
                    started.set()

    backups: dict = {}

    def take_backup() -> None:
        started.wait(30)
        with lock:
            before = set(acknowledged)
        backups["files"] = planner.backup(tmp_path / "backup.db")
        backups["before"] = before
        stop.set()

    watcher = threading.Thread(target=take_backup)
    watcher.start()
    errors = run_together(register, 20)
    watcher.join(60)
    assert not errors, errors
    files = backups["files"]
    assert files.database == tmp_path / "backup.db" and files.key == tmp_path / "backup.db.checkin.key"
    assert (files.database.stat().st_mode & 0o777) == 0o600 and (files.key.stat().st_mode & 0o777) == 0o600
    assert _integrity(files.database) == "ok"
    in_backup = _registration_ids(files.database)
    assert backups["before"] and backups["before"] <= in_backup
    assert len(acknowledged) > len(backups["before"])  # registering went on while it was taken
    # Restored elsewhere, it opens, passes the check and holds them with their tickets' key.
    target = tmp_path / "restored" / "planner.db"
    done = restore(files.database, target)
    assert done.key_restored and done.replaced is None
    restored = Planner(target)
    assert _integrity(target) == "ok"
    assert backups["before"] <= {r.id for r in restored.registrations(event.id)}
    first = planner.registrations(event.id)[0]
    assert restored.registrations(event.id)[0].checkin_code == first.checkin_code  # same key, same codes


def test_a_backup_to_a_folder_is_named_by_the_time_and_is_in_the_audit_log(planner, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    files = planner.backup(folder)
    assert files.database.parent == folder and files.database.name.startswith("planner-")
    assert files.key.read_text() == (planner.path.parent / "checkin.key").read_text()
    assert [e.action for e in planner.audit_log() if e.action == "backup"] == ["backup"]


def test_a_backup_is_refused_over_the_live_database_or_in_a_missing_folder(planner, tmp_path, assert_refused):
    assert_refused(lambda: planner.backup(planner.path), exc=ValidationError).code == "backup_over_database"
    error = assert_refused(lambda: planner.backup(tmp_path / "nowhere" / "b.db"), exc=ValidationError)
    assert error.code == "backup_folder_missing"


# ---------------------------------------------------------------------- restore


@pytest.fixture
def backup_file(planner, open_event, tmp_path) -> Path:
    event = open_event()
    planner.register(event.id, name="Kept Guest", email="kept@example.org")
    folder = tmp_path / "backups"
    folder.mkdir()
    return planner.backup(folder / "good.db").database


def _refused_restore(source, target: Path, code: str) -> None:
    before = target.read_bytes() if target.exists() else None
    with pytest.raises((ValidationError, StorageError)) as info:
        restore(source, target)
    assert info.value.code == code, str(info.value)
    assert str(info.value).endswith(".")
    assert (target.read_bytes() if target.exists() else None) == before
    assert not list(target.parent.glob("*.replaced-*"))


def test_restore_refuses_a_file_that_is_not_a_database(backup_file, tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("not a database at all, just some words " * 20)
    _refused_restore(text, tmp_path / "target" / "planner.db", "restore_not_sqlite")
    _refused_restore(tmp_path / "missing.db", tmp_path / "target" / "planner.db", "restore_missing")


def test_restore_refuses_a_database_that_is_not_the_planners(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    _refused_restore(other, tmp_path / "target" / "planner.db", "restore_not_a_planner_database")


@pytest.mark.parametrize("versions", ["INSERT INTO schema_migrations VALUES (99, '2030-01-01T00:00:00Z')",
                                      "DELETE FROM schema_migrations WHERE version = 3",
                                      "DELETE FROM schema_migrations"])
def test_restore_refuses_an_unknown_or_wrong_schema_version(backup_file, tmp_path, versions):
    wrong = tmp_path / "wrong.db"
    shutil.copy(backup_file, wrong)
    shutil.copy(f"{backup_file}.checkin.key", f"{wrong}.checkin.key")
    conn = sqlite3.connect(wrong)
    conn.execute(versions)
    conn.commit()
    conn.close()
    _refused_restore(wrong, tmp_path / "target" / "planner.db", "restore_unknown_schema")


def test_restore_refuses_a_corrupt_file(backup_file, tmp_path):
    corrupt = tmp_path / "corrupt.db"
    data = bytearray(backup_file.read_bytes())
    page = 4096
    for start in range(2 * page, len(data) - page, 3 * page):  # garbage over every third page after the first two
        data[start + 8 : start + page - 8] = bytes((i * 7 + 13) % 256 for i in range(page - 16))
    corrupt.write_bytes(bytes(data))
    shutil.copy(f"{backup_file}.checkin.key", f"{corrupt}.checkin.key")
    _refused_restore(corrupt, tmp_path / "target" / "planner.db", "restore_corrupt")


def test_restore_refuses_without_the_key_unless_told(backup_file, tmp_path):
    lone = tmp_path / "lone.db"
    shutil.copy(backup_file, lone)
    _refused_restore(lone, tmp_path / "target" / "planner.db", "restore_key_missing")
    done = restore(lone, tmp_path / "target" / "planner.db", without_key=True)
    assert not done.key_restored and not (tmp_path / "target" / "checkin.key").exists()


def test_restore_refuses_while_the_database_is_open(planner, backup_file):
    _refused_restore(backup_file, planner.path, "restore_database_in_use")


def test_restore_replaces_the_database_and_keeps_the_one_it_replaced(backup_file, tmp_path):
    # The database to replace: another planner's, written as a file (no process holds it open).
    other = Planner(tmp_path / "other" / "planner.db")
    other.add_venue(name="Only in the replaced one", timezone="UTC")
    target = tmp_path / "live" / "planner.db"
    target.parent.mkdir()
    other.backup(target)
    (tmp_path / "live" / "checkin.key").write_text((tmp_path / "other" / "checkin.key").read_text())
    done = restore(backup_file, target)
    assert done.replaced is not None and done.replaced.exists()
    assert done.key_replaced is not None and done.key_replaced.exists()
    assert (target.stat().st_mode & 0o777) == 0o600
    assert [v.name for v in Planner(done.replaced).list_venues()] == ["Only in the replaced one"]
    restored = Planner(target)
    assert restored.list_venues() == [] or "Only in the replaced one" not in [v.name for v in restored.list_venues()]
    assert any(r.email == "kept@example.org" for e in restored.list_events() for r in restored.registrations(e.id))
    assert check_backup(target) >= 9


# ---------------------------------------------------------------------- erasure


def _database_bytes(path: Path) -> bytes:
    return b"".join(Path(f"{path}{suffix}").read_bytes() for suffix in ("", "-wal", "-shm")
                    if Path(f"{path}{suffix}").exists())


def _traces(blob: bytes) -> list[str]:
    needles = [EMAIL, NAME, ORGANIZATION, NEEDS, json.dumps(NAME)[1:-1], "erase-me", "Wójcik", "Koalicja"]
    return [n for n in needles if n.encode() in blob or n.lower().encode() in blob]


def test_an_erasure_leaves_no_byte_of_the_person_in_the_database_wal_or_shm(planner, open_event, make_event):
    capacity_one = open_event(capacity=1)
    other = open_event()
    by_email = open_event(registration_mode="email")
    spoke = make_event(title="Talk", speakers=[{"name": NAME, "email": EMAIL, "affiliation": ORGANIZATION,
                                                "role": "speaker"}])
    planner.register(capacity_one.id, name="First In", email="first@example.org")
    waiting = planner.register(capacity_one.id, name=NAME, email=EMAIL, organization=ORGANIZATION, needs=NEEDS)
    mine = planner.register(other.id, name=NAME, email=EMAIL.upper(), organization=ORGANIZATION, needs=NEEDS)
    planner.register(by_email.id, name=NAME, email=EMAIL, organization=ORGANIZATION, needs=NEEDS)
    planner.check_in(mine.checkin_code, other.id)
    planner.register(other.id, name="Someone Else", email="else@example.org")
    planner.send_private_link(EMAIL)
    assert _traces(_database_bytes(planner.path))  # the test can see them before
    counts = {e: planner.event_counts(e) for e in (capacity_one.id, other.id)}
    checked_in = planner.attendance(other.id).checked_in

    done = planner.erase_person(EMAIL)

    assert (done.registrations, done.held_places, done.speaker_entries) == (2, 1, 1) and done.messages >= 3
    assert done.log_cleared
    assert _traces(_database_bytes(planner.path)) == []
    # A place at an event to come is given up (the person is not coming); one who already came
    # in stays counted, as do check-ins; the other guests are untouched.
    assert done.places_given_up == 1
    assert planner.event_counts(capacity_one.id).waitlisted == counts[capacity_one.id].waitlisted - 1
    assert planner.event_counts(other.id) == counts[other.id]
    assert planner.attendance(other.id).checked_in == checked_in
    assert planner.registrations(capacity_one.id, status="waitlisted") == []
    assert [r.status for r in planner.registrations(capacity_one.id) if r.id == waiting.id] == ["cancelled"]
    assert [r.name for r in planner.registrations(other.id)] == ["", "Someone Else"]
    assert planner.get_event(spoke.id).speakers == ()
    # The audit log says an erasure happened, not whose.
    entry = planner.audit_log(action="erasure")[0]
    assert entry.details["registrations"] == 2 and EMAIL not in json.dumps(entry.details) + entry.subject


def test_an_erased_guests_seat_at_an_event_to_come_goes_to_the_next_person_waiting(planner, open_event):
    event = open_event(capacity=1)
    planner.register(event.id, name=NAME, email=EMAIL)
    next_in = planner.register(event.id, name="Next In", email="next@example.org")
    assert next_in.status == "waitlisted"
    done = planner.erase_person(EMAIL)
    assert done.places_given_up == 1 and done.moved_up == 1
    assert planner.registration(next_in.manage_token).status == "confirmed"
    moved = [m for m in planner.outbox() if m.recipient == "next@example.org" and m.kind == "moved_up"]
    assert len(moved) == 1  # told, in the erasure's own transaction
    assert [m.kind for m in planner.outbox() if m.recipient == ""] == ["confirmed"]  # only the blanked old one
    assert planner.audit_log(action="erasure")[0].details["places_given_up"] == 1


def test_erasing_an_unknown_address_changes_nothing_but_the_log(planner, open_event):
    event = open_event()
    planner.register(event.id, name="Kept", email="kept@example.org")
    done = planner.erase_person("nobody@example.org")
    assert not done.anything
    assert [r.name for r in planner.registrations(event.id)] == ["Kept"]


def test_erasing_needs_an_address(planner, assert_refused):
    assert assert_refused(lambda: planner.erase_person("not an address")).field == "email"


# ---------------------------------------------------------------------- retention


def test_retention_anonymizes_exactly_the_events_past_the_limit(planner, open_event):
    ended_long_ago = open_event()  # ends FUTURE + 1 h
    ended_lately = open_event()  # ends FUTURE + 3 h
    for event in (ended_long_ago, ended_lately):
        planner.register(event.id, name="Ana Guest", email="ana@example.org", organization="Org", needs="Ramp")
        planner.register(event.id, name="Bo Guest", email="bo@example.org")
    counts = planner.event_counts(ended_long_ago.id)
    now = FUTURE + timedelta(hours=1, minutes=1) + timedelta(days=planner.retention_days)

    done = planner.apply_retention(now=now)

    assert (done.ran, done.events, done.registrations) == (True, 1, 2)
    old = planner.registrations(ended_long_ago.id)
    assert [(r.name, r.email, r.organization, r.needs) for r in old] == [("", "", "", "")] * 2
    assert planner.event_counts(ended_long_ago.id) == counts
    assert [r.name for r in planner.registrations(ended_lately.id)] == ["Ana Guest", "Bo Guest"]
    assert planner.apply_retention(now=now).events == 0  # nothing left to do
    assert planner.apply_retention(now=now + timedelta(hours=2)).events == 1  # the second one's turn
    # Since the audit-log merge, creating and publishing the events are entries too: only the retention's here.
    assert [e.action for e in planner.audit_log() if e.action == "retention"] == ["retention", "retention"]


def test_retention_runs_once_a_day_across_processes(tmp_path, open_event, planner):
    second = Planner(planner.path)  # another process's Planner, as far as the database knows
    now = FUTURE + timedelta(days=400)
    assert planner.apply_retention(now=now, once_a_day=True).ran
    assert not second.apply_retention(now=now + timedelta(hours=3), once_a_day=True).ran
    assert second.apply_retention(now=now + timedelta(days=1), once_a_day=True).ran


def test_the_retention_setting_must_be_a_positive_count(tmp_path):
    from planner.errors import ConfigurationError
    from planner.config import settings_from_env

    assert settings_from_env({}).retention_days == 180
    assert settings_from_env({"PLANNER_RETENTION_DAYS": "30"}).retention_days == 30
    for wrong in ("0", "-5", "half a year"):
        with pytest.raises(ConfigurationError) as info:
            settings_from_env({"PLANNER_RETENTION_DAYS": wrong})
        assert "PLANNER_RETENTION_DAYS" in str(info.value) and str(info.value).endswith(".")


# ---------------------------------------------------------------------- deleting what was made by mistake


def test_a_draft_that_was_never_public_can_be_deleted(planner, make_event):
    draft = make_event(title="Made by mistake", speakers=[{"name": "Some Speaker", "role": "speaker"}])
    planner.delete_event(draft.id)
    assert draft.id not in [e.id for e in planner.list_events()]
    assert planner.audit_log(action="event_deleted")[0].event_id == draft.id


def test_an_event_that_was_public_cannot_be_deleted(planner, open_event, assert_refused):
    event = open_event()
    planner.cancel_event(event.id, reason="Rain.")
    error = assert_refused(lambda: planner.delete_event(event.id))
    assert error.code == "event_was_public" and event.title in str(error)


def test_a_room_venue_or_summit_in_use_is_refused_with_what_uses_it(planner, summit, venue, room, make_event,
                                                                    assert_refused):
    first = make_event(title="Water rights")
    second = make_event(title="Youth forum")
    error = assert_refused(lambda: planner.delete_room(room.id))
    assert error.code == "room_in_use" and first.title in str(error) and second.title in str(error)
    assert room.name in str(error)
    error = assert_refused(lambda: planner.delete_venue(venue.id))
    assert error.code == "venue_in_use" and room.name in str(error) and venue.name in str(error)
    error = assert_refused(lambda: planner.delete_summit(summit.id))
    assert error.code == "summit_in_use" and first.title in str(error) and summit.name in str(error)


def test_unused_rooms_venues_and_summits_can_be_deleted(planner, summit, venue, room, make_event):
    event = make_event()
    planner.delete_event(event.id)
    planner.delete_room(room.id)
    planner.delete_venue(venue.id)
    planner.delete_summit(summit.id)
    assert (planner.list_rooms(), planner.list_venues(), planner.list_summits()) == ([], [], [])
    assert [e.action for e in planner.audit_log() if e.action.endswith("_deleted")] == [
        "summit_deleted", "venue_deleted", "room_deleted", "event_deleted"]


# ---------------------------------------------------------------------- the command line


def _cli(*args, db: Path) -> "subprocess.CompletedProcess":
    import os
    import subprocess
    import sys

    env = {**os.environ, "PLANNER_DB": str(db), "PLANNER_DEMO": "off"}
    root = Path(__file__).resolve().parents[2]
    return subprocess.run([sys.executable, "-m", "planner", *args], env=env, cwd=root, capture_output=True,
                          text=True, timeout=60)


def test_the_command_line_backs_up_and_refuses_to_restore_while_the_app_runs(planner, open_event, tmp_path):
    event = open_event()
    planner.register(event.id, name="Cli Guest", email="cli@example.org")
    done = _cli("backup", str(tmp_path / "cli.db"), db=planner.path)
    assert done.returncode == 0, done.stderr
    assert "cli.db.checkin.key" in done.stdout and _integrity(tmp_path / "cli.db") == "ok"
    refused = _cli("restore", str(tmp_path / "cli.db"), db=planner.path)  # this test's Planner holds it open
    assert refused.returncode == 2 and "stop the app" in refused.stderr
    moved = tmp_path / "elsewhere" / "planner.db"
    restored = _cli("restore", str(tmp_path / "cli.db"), db=moved)
    assert restored.returncode == 0, restored.stderr
    assert any(r.email == "cli@example.org" for r in Planner(moved).registrations(event.id))
