"""A write the disk refuses (full, read-only, locked beyond the timeout) is a ``StorageError``
with a sentence, never a raw ``sqlite3.OperationalError``, and it writes nothing; a database the
server cannot write stops it at start, in words.

The failures are real SQLite failures wherever the machine allows it, also as root (CI runs as
root, for whom file modes do not stop writes): a connection opened read-only (``mode=ro``, what
SQLite does with a read-only file), a write lock held by another connection past a short busy
timeout, a folder under ``/proc`` (no one, root included, can create files there) and a folder
path that is a file. Only "disk full" is simulated: a connection whose INSERT raises what
SQLite raises then.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import planner.db as db_module
from planner import Planner, PlannerError
from planner.db import Database
from planner.errors import StorageError
from tests.conftest import is_readable, table_rows


class FullDisk(sqlite3.Connection):
    """A connection on a disk with no space left: every INSERT fails as SQLite's SQLITE_FULL does."""

    def execute(self, sql, *args):
        if sql.lstrip().upper().startswith("INSERT"):
            raise sqlite3.OperationalError("database or disk is full")
        return super().execute(sql, *args)


def read_only(path):
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)


def _break_writes(planner, monkeypatch, how: str):
    """From now on the planner's writes go through a connection that fails ``how``."""
    database = planner._db
    database._writer = None  # the next write opens a new connection, the broken kind
    connect = database._connect
    if how == "read_only":
        monkeypatch.setattr(database, "_connect", lambda: _pragmas(read_only(database.path)))
    elif how == "disk_full":
        monkeypatch.setattr(
            database, "_connect",
            lambda: _pragmas(sqlite3.connect(database.path, isolation_level=None, check_same_thread=False,
                                             factory=FullDisk)),
        )
    elif how == "locked":
        monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 50)
        holder = sqlite3.connect(database.path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process holding the write lock
        return holder
    return connect


def _pragmas(conn):
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


@pytest.mark.parametrize("how", ["read_only", "disk_full", "locked"])
def test_a_registration_the_disk_refuses_is_a_sentence_and_writes_nothing(planner, open_event, monkeypatch, how):
    event = open_event(capacity=5)
    planner.register(event.id, name="Ana", email="ana@example.org")
    before = table_rows(planner.path)
    holder = _break_writes(planner, monkeypatch, how)
    with pytest.raises(StorageError) as info:
        planner.register(event.id, name="Bo", email="bo@example.org")
    if how == "locked":
        holder.rollback()
        holder.close()
    err = info.value
    assert isinstance(err, PlannerError) and not isinstance(err, sqlite3.Error)
    assert err.code == "registration_write_failed"
    assert str(err) == "We could not save your registration, so nothing was recorded. Please try again."
    assert isinstance(err.__cause__, sqlite3.OperationalError)  # the cause stays for the log
    assert table_rows(planner.path) == before


def test_any_other_write_the_disk_refuses_is_a_general_sentence(planner, monkeypatch):
    _break_writes(planner, monkeypatch, "read_only")
    with pytest.raises(StorageError) as info:
        planner.add_venue(name="Church Center", timezone="America/New_York")
    assert info.value.code == "write_failed" and is_readable(str(info.value)), str(info.value)


def test_writes_work_again_once_the_disk_does(planner, open_event, monkeypatch):
    event = open_event()
    connect = _break_writes(planner, monkeypatch, "read_only")
    with pytest.raises(StorageError):
        planner.register(event.id, name="Bo", email="bo@example.org")
    monkeypatch.setattr(planner._db, "_connect", connect)
    assert planner.register(event.id, name="Bo", email="bo@example.org").status == "confirmed"


# ---------------------------------------------------------------------- at start


def _refused_at_start(path) -> StorageError:
    with pytest.raises(StorageError) as info:
        Planner(path)
    err = info.value
    assert err.code == "database_not_writable" and err.params["path"] == str(path)
    assert is_readable(str(err)) and str(path) in str(err), str(err)
    return err


def test_a_database_file_that_cannot_be_written_stops_the_start(tmp_path, monkeypatch):
    """An existing database SQLite can only read (a read-only file, a read-only mount)."""
    path = tmp_path / "planner.db"
    Planner(path)  # made, then left read-only for the next start
    monkeypatch.setattr(Database, "_connect", lambda self: _pragmas(read_only(self.path)))
    before = table_rows(path)
    _refused_at_start(path)
    assert table_rows(path) == before


def test_a_folder_nobody_may_write_in_stops_the_start():
    _refused_at_start(Path("/proc/planner.db"))  # not even root creates files in /proc


def test_a_folder_that_cannot_be_made_stops_the_start(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    _refused_at_start(tmp_path / "a-file" / "planner.db")
    _refused_at_start(Path("/proc/planner-data/planner.db"))


def test_registrations_the_disk_refused_do_not_use_up_the_flood_limits(planner, open_event, monkeypatch):
    """The page tells a person whose registration could not be saved to try again: those tries
    must not end in "wait a minute" once the disk is back."""
    from planner import ClientKey
    from planner.areas import registrations as registrations_area

    event = open_event(capacity=50)
    client = ClientKey(session="s-retry", address="198.51.100.7")

    def disk_full(db, registration_id, key):
        raise sqlite3.OperationalError("database or disk is full")

    with monkeypatch.context() as broken:
        broken.setattr(registrations_area, "set_code", disk_full)
        for _ in range(8):  # more than the 5 a session may make in a minute
            with pytest.raises(StorageError):
                planner.register(event.id, name="Ana", email="ana@example.org", client=client)
    assert planner.register(event.id, name="Ana", email="ana@example.org", client=client).status == "confirmed"


def test_a_folder_the_set_up_lock_cannot_be_made_in_stops_the_start_in_words(tmp_path, monkeypatch):
    """An older database (made before the set-up lock existed) in a folder the server can no
    longer write in: one sentence, not a PermissionError traceback."""
    import os

    from planner import files

    real_open = os.open

    def no_lock(path, *args, **kwargs):
        if str(path).endswith(files.SETUP_LOCK_SUFFIX):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(files.os, "open", no_lock)
    with pytest.raises(StorageError) as info:
        with files.setup_lock(tmp_path / "planner.db"):
            pass
    assert info.value.code == "database_not_writable" and is_readable(str(info.value))
