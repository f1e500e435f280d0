"""The data folder and the files the planner keeps in it, private to the user the server runs as.

The database holds emails, access needs and door-pass secrets; ``checkin.key`` signs every
ticket and ``admin-password.txt`` is the first admin's password. They were created readable by
every local user (0644, the usual umask). Now:

* a new data folder is made 0700 and the database file is created 0600 before SQLite opens
  it (``os.open`` with the mode, so no process-wide umask is changed while Streamlit's other
  threads run); SQLite gives the ``-wal``, ``-shm`` and ``-journal`` files it makes later the
  database file's own permissions (``robust_open`` in its unix VFS sets them with ``fchmod``,
  whatever the umask), so they are 0600 too;
* at every start, the planner's files that already exist are made 0600, and the folder 0700
  when it is the planner's own: owned by this user, not a shared folder with the sticky bit
  (``/tmp``), and holding nothing but the planner's files (and a note about them: a
  ``README.md`` like the repository's ``data/README.md``, a ``.gitkeep``). A folder that holds other things
  (``PLANNER_DB=./planner.db`` in a project folder, say) is left as it is; its planner files
  are still made private.

``setup_lock`` lets one process at a time set up a new database (schema, first admin, demo
events): a second server started at the same moment waits, then finds it done.
"""

from __future__ import annotations

import fcntl
import logging
import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .areas.ticket_codes import KEY_FILE_NAME
from .errors import StorageError

PASSWORD_FILE_NAME = "admin-password.txt"
LOGO_FILE_NAME = "coalition-logo.png"  # the posters' logo (planner/face/share.py)
PROOF_KEY_FILE_NAME = "altcha.key"  # the proof-of-work key (planner/areas/proofs.py)
DATABASE_COMPANIONS = ("-wal", "-shm", "-journal")  # what SQLite adds to the database's name
SETUP_LOCK_SUFFIX = ".setup-lock"  # held while a process sets up a new database (config.py)
WRITE_LOCK_SUFFIX = ".write-lock"  # writers of all processes take turns on it (db.py); it holds nothing
NOTES = ("README.md", ".gitkeep")  # may sit in a data folder that is still the planner's own
IMAGES_FOLDER = "images"  # logos and speakers' photos (issue #14, images.py): 0700, each file 0600

log = logging.getLogger(__name__)


def planner_files(database: Path) -> list[Path]:
    """Every file the planner may keep in the database's folder, existing or not."""
    names = [database.name + suffix for suffix in ("", *DATABASE_COMPANIONS, SETUP_LOCK_SUFFIX, WRITE_LOCK_SUFFIX)]
    return [database.parent / name for name in (*names, KEY_FILE_NAME, PROOF_KEY_FILE_NAME, PASSWORD_FILE_NAME, LOGO_FILE_NAME)]


def prepare(database: Path) -> None:
    """Make the data folder and the database file private, creating them if they are new.
    A folder or file that cannot be made or opened for writing stops the start in words
    (``StorageError("database_not_writable")``), before any process tries to serve from it."""
    folder = database.parent
    try:
        if not folder.is_dir():
            folder.parent.mkdir(parents=True, exist_ok=True)
            try:
                folder.mkdir(mode=0o700)
            except FileExistsError:  # another process made it just now
                pass
        _private_folder(database)
        os.close(os.open(database, os.O_RDWR | os.O_CREAT, 0o600))  # an empty file is an empty database
    except OSError as err:
        log.warning("cannot prepare %s: %s", database, err)
        raise StorageError("database_not_writable", path=str(database)) from None
    for path in planner_files(database):
        make_private(path)


@contextmanager
def setup_lock(database: Path) -> Iterator[None]:
    """Hold the database's set-up lock (``<database>.setup-lock``, 0600) for the block.

    An exclusive ``flock``: a second process blocks until the first leaves the block, and the
    kernel releases it if the holder dies, so no stale lock outlives a crashed start. It
    guards the steps that check, then write, in several transactions (the first admin, the
    demo's many Planner calls), which one ``BEGIN IMMEDIATE`` cannot span. Only one holder
    per process at a time: nesting it would wait for itself.
    """
    prepare(database)
    try:
        fd = os.open(f"{database}{SETUP_LOCK_SUFFIX}", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as err:  # an older database whose folder the server may no longer write in
        log.warning("cannot open the set-up lock of %s: %s", database, err)
        raise StorageError("database_not_writable", path=str(database)) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def make_private(path: Path) -> None:
    """Take every permission but the owner's off ``path``, if it exists and has any."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
    except FileNotFoundError:
        pass
    except PermissionError:  # not ours: say so, the server still starts
        log.warning("%s is readable by other users and is not ours to change: make it private (chmod 600).", path)


def _private_folder(database: Path) -> None:
    folder = database.parent
    info = folder.stat()
    if not stat.S_IMODE(info.st_mode) & 0o077:
        return
    own = {path.name for path in planner_files(database)} | set(NOTES) | {IMAGES_FOLDER}
    others = [
        entry.name for entry in os.scandir(folder)
        if entry.name not in own and not entry.name.startswith(f".{KEY_FILE_NAME}.")  # a key being written
        and ".replaced-" not in entry.name  # what a restore kept (backups.py)
    ]
    if info.st_uid != os.geteuid() or info.st_mode & stat.S_ISVTX or others:
        log.info("%s holds more than the planner's files: its permissions are left as they are.", folder)
        return
    os.chmod(folder, 0o700)
