"""The data folder and the planner's files are private to the server's user (issue #9, "files").

``planner.db`` and its ``-wal``/``-shm`` were created 0644 under the usual umask although they
hold emails, needs and door-pass secrets. Each test runs under umask 022 (the usual one, which
made them 0644) so the outcome does not depend on the machine's.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from planner import Planner
from planner.config import Settings, ensure_admin
from planner.files import planner_files


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask():
    before = os.umask(0o022)
    yield
    os.umask(before)


def settings(path: Path) -> Settings:
    return Settings(db_path=path, base_url="http://localhost:8501", demo=False, admin_email=None, admin_password=None)


def written(planner: Planner) -> None:
    """One write, so that SQLite has made its -wal and -shm files."""
    planner.add_venue(name="Church Center", timezone="America/New_York")


def test_a_new_database_is_private_with_its_folder_and_its_log_files(tmp_path):
    folder = tmp_path / "data"
    planner = Planner(folder / "planner.db")
    written(planner)
    ensure_admin(planner, settings(planner.path))
    assert mode(folder) == 0o700
    for name in ("planner.db", "planner.db-wal", "planner.db-shm", "checkin.key", "altcha.key", "admin-password.txt"):
        assert (folder / name).exists(), name
        assert mode(folder / name) == 0o600, f"{name}: {oct(mode(folder / name))}"


def test_a_new_database_in_a_nested_new_folder_is_private(tmp_path):
    planner = Planner(tmp_path / "a" / "b" / "planner.db")
    written(planner)
    assert mode(tmp_path / "a" / "b") == 0o700
    assert mode(planner.path) == mode(Path(f"{planner.path}-wal")) == mode(Path(f"{planner.path}-shm")) == 0o600


def _open_to_everyone(folder: Path) -> None:
    os.chmod(folder, 0o755)
    for path in folder.iterdir():
        os.chmod(path, 0o644)


def test_an_existing_database_readable_by_everyone_is_made_private_at_start(tmp_path):
    folder = tmp_path / "data"
    planner = Planner(folder / "planner.db")
    written(planner)
    ensure_admin(planner, settings(planner.path))
    (folder / "README.md").write_text("Runtime files live here.\n")  # the repository's data/ has one
    _open_to_everyone(folder)
    assert mode(folder / "planner.db") == 0o644

    Planner(folder / "planner.db")

    assert mode(folder) == 0o700
    for name in ("planner.db", "planner.db-wal", "planner.db-shm", "checkin.key", "altcha.key", "admin-password.txt"):
        assert mode(folder / name) == 0o600, f"{name}: {oct(mode(folder / name))}"
    assert mode(folder / "README.md") == 0o644  # not the planner's: left as it is


def test_a_folder_that_holds_other_things_is_left_open_but_the_planner_files_are_private(tmp_path):
    """PLANNER_DB=./planner.db in a project folder: the folder is not the planner's to close."""
    planner = Planner(tmp_path / "planner.db")
    written(planner)
    (tmp_path / "notes.txt").write_text("mine\n")
    _open_to_everyone(tmp_path)

    Planner(tmp_path / "planner.db")

    assert mode(tmp_path) == 0o755
    assert mode(tmp_path / "notes.txt") == 0o644
    for path in planner_files(tmp_path / "planner.db"):
        if path.exists():
            assert mode(path) == 0o600, path


def test_a_shared_folder_with_the_sticky_bit_is_never_closed(tmp_path):
    shared = tmp_path / "tmp"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    Planner(shared / "planner.db")
    assert mode(shared) == 0o1777
    assert mode(shared / "planner.db") == 0o600
