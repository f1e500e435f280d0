"""The database module lends connections instead of opening one per unit of work: these tests
pin down the rules that keep that safe (one borrower at a time, nothing stale, nothing broken
handed on)."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from planner import NotFound, ValidationError
from planner.db import IDLE_READERS, Database


@pytest.fixture
def db(tmp_path) -> Database:
    database = Database(tmp_path / "pool.db")
    with database.write() as w:
        w.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    return database


def test_a_read_connection_is_lent_again_after_use(db):
    with db.read() as first:
        pass
    with db.read() as second:
        assert second is first


def test_two_reads_at_once_never_share_a_connection(db):
    with db.read() as outer, db.read() as inner:
        assert outer.conn is not inner.conn


def test_a_read_that_raised_closes_its_connection(db):
    with pytest.raises(ZeroDivisionError):
        with db.read() as broken:
            1 / 0
    with pytest.raises(sqlite3.ProgrammingError):
        broken.conn.execute("SELECT 1")
    with db.read() as fresh:
        assert fresh is not broken


def test_a_read_left_inside_a_transaction_is_not_lent_on(db):
    with db.read() as careless:
        careless.conn.execute("BEGIN")
    with db.read() as next_one:
        assert next_one is not careless
        assert not next_one.conn.in_transaction


def test_no_more_than_the_idle_limit_is_kept(db):
    from contextlib import ExitStack

    with ExitStack() as stack:
        borrowed = [stack.enter_context(db.read()) for _ in range(IDLE_READERS + 3)]
    assert len({id(b) for b in borrowed}) == IDLE_READERS + 3
    assert len(db._idle_readers) == IDLE_READERS


def test_a_pooled_reader_sees_every_committed_write(db):
    """A lent connection holds no snapshot between borrowers: each read sees the latest commit."""
    for n in range(20):
        with db.write() as w:
            w["notes"].insert({"text": f"note {n}"})
        with db.read() as r:
            assert r.execute("SELECT count(*) FROM notes").fetchone()[0] == n + 1


def test_the_write_connection_is_reused_and_replaced_after_an_error(db):
    with db.write() as first:
        pass
    with db.write() as second:
        assert second is first
    with pytest.raises(ValueError):
        with db.write() as failing:
            failing["notes"].insert({"text": "rolled back"})
            raise ValueError("refused halfway")
    with db.write() as fresh:
        assert fresh is not failing
        assert fresh.execute("SELECT count(*) FROM notes").fetchone()[0] == 0  # nothing half-written


def test_many_threads_reading_and_writing_lose_nothing(db):
    """16 threads, each writing then reading back its own rows through borrowed connections."""
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(30):
                with db.write() as w:
                    w["notes"].insert({"text": f"{n}-{i}"})
                with db.read() as r:
                    mine = r.execute("SELECT count(*) FROM notes WHERE text LIKE ?", [f"{n}-%"]).fetchone()[0]
                    assert mine == i + 1
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors[:3]
    with db.read() as r:
        assert r.execute("SELECT count(*) FROM notes").fetchone()[0] == 16 * 30


def test_a_refusal_inside_a_block_keeps_the_connection(db):
    """NotFound and ValidationError are answers, not faults: the connection is lent on."""
    with pytest.raises(NotFound):
        with db.read() as reader:
            raise NotFound("no such thing")
    with db.read() as again:
        assert again is reader
    with pytest.raises(ValidationError):
        with db.write() as writer:
            writer["notes"].insert({"text": "refused"})
            raise ValidationError("refused", "text")
    with db.write() as next_writer:
        assert next_writer is writer
        assert next_writer.execute("SELECT count(*) FROM notes").fetchone()[0] == 0


# ---------------------------------------------------------------------- writers of several processes


def _hold_turn(path):
    """The write turn as another process holds it: the lock file, locked on a descriptor of its own."""
    import fcntl
    import os

    fd = os.open(str(path) + ".write-lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def test_a_writer_waits_for_another_process_turn_then_writes(db):
    import fcntl
    import os
    import time

    fd = _hold_turn(db.path)
    done = []

    def write():
        with db.write() as w:
            w.execute("INSERT INTO notes (text) VALUES ('after the other process')")
        done.append(time.monotonic())

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(0.3)
    assert done == []  # still waiting: the other process has the turn
    released = time.monotonic()
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
    writer.join(5)
    assert done and done[0] - released < 0.2  # handed over at once, not after SQLite's back-off
    with db.read() as r:
        assert r.execute("SELECT text FROM notes").fetchall()[0][0] == "after the other process"


def test_a_turn_never_given_fails_in_words_and_writes_nothing(db, monkeypatch):
    import os

    from planner import StorageError
    from planner import db as db_module

    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)
    fd = _hold_turn(db.path)
    try:
        with pytest.raises(StorageError) as refused:
            with db.write(failed="registration_write_failed") as w:
                w.execute("INSERT INTO notes (text) VALUES ('never')")
        assert refused.value.code == "registration_write_failed"
    finally:
        os.close(fd)
    with db.read() as r:
        assert r.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
    with db.write() as w:  # the turn free again: writing works
        w.execute("INSERT INTO notes (text) VALUES ('now')")


def test_the_lock_file_is_private(db):
    import stat

    mode = stat.S_IMODE((db.path.parent / (db.path.name + ".write-lock")).stat().st_mode)
    assert mode & 0o077 == 0


# ---------------------------------------------------------------------- group commit (issue #17)


def _second_writer_queued(db, first_block_body, second_block_body):
    """Thread A writes; while its block runs, thread B starts writing and waits for the lock, so
    A's transaction carries B's block too. Returns (A's outcome, B's outcome, A's and B's db)."""
    import time

    b_may_start = threading.Event()
    outcomes: dict[str, object] = {}
    handles: dict[str, object] = {}

    def first():
        try:
            with db.write() as w:
                handles["a"] = w
                b_may_start.set()
                deadline = time.monotonic() + 5
                while db._waiting == 0 and time.monotonic() < deadline:  # B is queued for the lock
                    time.sleep(0.001)
                assert db._waiting == 1
                first_block_body(w)
            outcomes["a"] = "written"
        except BaseException as err:  # noqa: BLE001 - compared by the test
            outcomes["a"] = err

    def second():
        b_may_start.wait(5)
        try:
            with db.write() as w:
                handles["b"] = w
                second_block_body(w)
            outcomes["b"] = "written"
        except BaseException as err:  # noqa: BLE001 - compared by the test
            outcomes["b"] = err

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    return outcomes["a"], outcomes["b"], handles


def _notes(db) -> list[str]:
    with db.read() as r:
        return [row[0] for row in r.execute("SELECT text FROM notes ORDER BY id")]


def test_writers_that_queue_share_one_transaction_and_its_commit(db):
    commits = []
    db_connect = db._connect

    def traced():
        conn = db_connect()
        conn.set_trace_callback(lambda sql: commits.append(sql) if sql == "COMMIT" else None)
        return conn

    db._writer = None
    db._connect = traced
    a, b, handles = _second_writer_queued(
        db, lambda w: w.execute("INSERT INTO notes (text) VALUES ('a')"),
        lambda w: w.execute("INSERT INTO notes (text) VALUES ('b')"))
    assert (a, b) == ("written", "written")
    assert handles["a"] is handles["b"]  # B's block ran in A's transaction
    assert commits == ["COMMIT"]  # one commit for both
    assert _notes(db) == ["a", "b"]


def test_a_block_that_raises_in_a_shared_transaction_leaves_no_trace_and_the_other_is_written(db):
    def refused(w):
        w.execute("INSERT INTO notes (text) VALUES ('refused')")
        raise ValidationError("refused", "text")

    a, b, _ = _second_writer_queued(db, lambda w: w.execute("INSERT INTO notes (text) VALUES ('kept')"), refused)
    assert a == "written" and isinstance(b, ValidationError)
    assert _notes(db) == ["kept"]

    def broken(w):
        w.execute("INSERT INTO notes (text) VALUES ('half')")
        raise ValueError("a fault halfway")

    a, b, handles = _second_writer_queued(db, broken, lambda w: w.execute("INSERT INTO notes (text) VALUES ('after')"))
    assert isinstance(a, ValueError) and b == "written"
    assert _notes(db) == ["kept", "after"]
    with db.write() as fresh:  # a connection that saw a fault is not lent on
        assert fresh is not handles["a"]


def test_a_commit_the_disk_refuses_fails_every_block_of_the_transaction(db):
    from planner import StorageError

    class FailingCommit(sqlite3.Connection):
        def execute(self, sql, *args):
            if sql == "COMMIT":
                raise sqlite3.OperationalError("disk I/O error")
            return super().execute(sql, *args)

    db._writer = None
    db._connect = lambda: sqlite3.connect(db.path, isolation_level=None, check_same_thread=False,
                                          factory=FailingCommit)
    a, b, _ = _second_writer_queued(db, lambda w: w.execute("INSERT INTO notes (text) VALUES ('a')"),
                                    lambda w: w.execute("INSERT INTO notes (text) VALUES ('b')"))
    assert isinstance(a, StorageError) and isinstance(b, StorageError)
    del db._connect
    db._writer = None
    assert _notes(db) == []
    with db.write() as w:  # and the next write works
        w.execute("INSERT INTO notes (text) VALUES ('now')")
    assert _notes(db) == ["now"]


def test_a_block_that_loses_the_shared_transaction_fails_every_block_of_it(db):
    """SQLite rolls a whole transaction back on some errors (a full disk, say): then the blocks
    that ran in it before are gone too, and their writers hear so instead of "written"."""
    from planner import StorageError

    def loses_it(w):
        w.execute("INSERT INTO notes (text) VALUES ('b')")
        w.execute("ROLLBACK")  # as SQLite does by itself on such an error
        raise sqlite3.OperationalError("database or disk is full")

    a, b, _ = _second_writer_queued(db, lambda w: w.execute("INSERT INTO notes (text) VALUES ('a')"), loses_it)
    assert isinstance(a, StorageError) and isinstance(b, StorageError)
    assert _notes(db) == []
    with db.write() as w:
        w.execute("INSERT INTO notes (text) VALUES ('now')")
    assert _notes(db) == ["now"]
