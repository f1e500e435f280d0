"""Backups and restore (issue #11): a consistent copy of the database with its check-in key,
and putting one back.

**A backup** is two files: the database snapshot at ``PATH`` and the check-in key beside it at
``PATH.checkin.key`` (given a folder, ``PATH`` is ``planner-<UTC time>.db`` inside it). The
snapshot is taken with ``VACUUM INTO`` from one read transaction (``Database.snapshot_into``):
the app keeps serving, and the copy holds every registration committed before it began. It is
written to a private temporary file (0600) in the same folder and renamed into place, so a
half-written backup never carries the final name. The key matters: tickets' check-in codes,
private links and confirm links are all derived from it (``areas/ticket_codes.py``), so a
database restored without its key cannot check anyone in, and every private link sent breaks.
The proof-of-work key (``altcha.key``) is not copied: its challenges last minutes, and a new
one is made at start.

**Restore** (``python -m planner restore PATH``, with the app stopped) checks before it replaces
anything: the file is SQLite (its header), passes ``PRAGMA integrity_check``, is a planner
database (its tables) of a schema version this code knows (newer ones are refused; older ones
are brought up to date by the migrations at the next start), and its key is there and whole
(``--without-key`` restores without it, saying what breaks). It refuses while another process
has the database open (it asks SQLite for an exclusive lock, which any open connection of a
running server prevents) and holds the set-up lock meanwhile, so no server starts half-way. The
replaced database (its write-ahead log folded in first) and key are kept beside it as
``<name>.replaced-<UTC time>``.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from . import clock, files
from .areas.ticket_codes import KEY_FILE_NAME, _read_key
from .db import MIGRATIONS
from .errors import StorageError, ValidationError

log = logging.getLogger(__name__)
KEY_SUFFIX = ".checkin.key"
SQLITE_HEADER = b"SQLite format 3\x00"
PLANNER_TABLES = {"schema_migrations", "meta", "events", "registrations", "users"}


@dataclass(frozen=True)
class BackupFiles:
    database: Path
    key: Path


@dataclass(frozen=True)
class Restored:
    schema_version: int
    database: Path
    replaced: Path | None  # the database that was there, kept; None if there was none
    key_restored: bool
    key_replaced: Path | None


def _stamp() -> str:
    return clock.now().strftime("%Y%m%dT%H%M%SZ")


def backup_paths(path: str | Path) -> BackupFiles:
    path = Path(path)
    if path.is_dir():
        path = path / f"planner-{_stamp()}.db"
    return BackupFiles(database=path, key=Path(f"{path}{KEY_SUFFIX}"))


def _private_temporary(folder: Path, name: str) -> Path:
    temporary = folder / f".{name}.{os.getpid()}.{secrets.token_hex(6)}.tmp"
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return temporary


def _write_private(target: Path, fill) -> None:
    """``fill(temporary)`` writes a private temporary file beside ``target``, renamed into place."""
    temporary = _private_temporary(target.parent, target.name)
    try:
        fill(temporary)
        with open(temporary, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_backup(database, key: bytes, path: str | Path, live: Path) -> BackupFiles:
    """The snapshot of ``database`` (a ``db.Database``) and ``key`` as a backup at ``path``."""
    found = backup_paths(path)
    target = found.database
    if target.resolve() == live.resolve() or target.name.startswith(live.name + "-"):
        raise ValidationError("backup_over_database", path=str(target))
    if not target.parent.is_dir():
        raise ValidationError("backup_folder_missing", path=str(target.parent))
    try:
        _write_private(target, database.snapshot_into)
        _write_private(found.key, lambda temporary: temporary.write_text(key.hex()))
    except (OSError, sqlite3.OperationalError) as err:
        log.error("cannot write the backup %s: %s", target, err)
        raise StorageError("backup_failed", path=str(target)) from err
    return found


def check_backup(path: str | Path) -> int:
    """The schema version of the planner database at ``path``, or a refusal saying why it cannot
    be restored (``restore_missing``, ``restore_not_sqlite``, ``restore_corrupt``,
    ``restore_not_a_planner_database``, ``restore_unknown_schema``). Writes nothing: the file is
    opened read-only and immutable (its own log files, if any, are not read: they are not
    restored either)."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError("restore_missing", path=str(path))
    with open(path, "rb") as f:
        if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise ValidationError("restore_not_sqlite", path=str(path))
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1", uri=True)
        try:
            verdict = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
            if verdict != ["ok"]:
                raise ValidationError("restore_corrupt", path=str(path))
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not PLANNER_TABLES <= tables:
                raise ValidationError("restore_not_a_planner_database", path=str(path))
            versions = [row[0] for row in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise ValidationError("restore_corrupt", path=str(path)) from None
    known = len(MIGRATIONS)
    if not versions or versions != list(range(1, versions[-1] + 1)) or versions[-1] > known:
        raise ValidationError("restore_unknown_schema", path=str(path), value=versions[-1] if versions else 0,
                              max=known)
    return versions[-1]


def in_use(database: Path) -> bool:
    """True if another process has the database open (a running server always has)."""
    if not database.exists() or database.stat().st_size == 0:
        return False
    conn = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("COMMIT")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def restore(source: str | Path, database: str | Path, *, without_key: bool = False) -> Restored:
    """Put the backup at ``source`` (and its key) in place of ``database``; see the module."""
    source, database = Path(source), Path(database)
    version = check_backup(source)
    key_source = Path(f"{source}{KEY_SUFFIX}")
    key = None
    if key_source.exists():
        key = _read_key(key_source, "restore_key_damaged")
    elif not without_key:
        raise ValidationError("restore_key_missing", path=str(key_source))
    if source.resolve() == database.resolve():
        raise ValidationError("backup_over_database", path=str(source))
    with files.setup_lock(database):
        if in_use(database):
            raise StorageError("restore_database_in_use", path=str(database))
        stamp = _stamp()
        replaced = None
        if database.stat().st_size > 0:
            conn = sqlite3.connect(database, isolation_level=None)  # folds its log into the file
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
            replaced = database.with_name(f"{database.name}.replaced-{stamp}")
            os.replace(database, replaced)
        for suffix in files.DATABASE_COMPANIONS:
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        _write_private(database, lambda temporary: shutil.copyfile(source, temporary))
        key_replaced = None
        if key is not None:
            key_path = database.parent / KEY_FILE_NAME
            if key_path.exists():
                if _read_key(key_path, "checkin_key_damaged") == key:
                    key = None  # the same key: nothing to replace
                else:
                    key_replaced = key_path.with_name(f"{KEY_FILE_NAME}.replaced-{stamp}")
                    os.replace(key_path, key_replaced)
            if key is not None:
                _write_private(key_path, lambda temporary: temporary.write_text(key.hex()))
    return Restored(schema_version=version, database=database, replaced=replaced,
                    key_restored=key_source.exists(), key_replaced=key_replaced)
