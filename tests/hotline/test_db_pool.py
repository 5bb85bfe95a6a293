"""The connection pool under gunicorn: no connection crosses a fork, and only an idle connection is pinged."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text

from hotline import db
from hotline.routing_setup import warm_up


@pytest.fixture
def pg_url(database_url):
    """The test database, PostgreSQL only (SQLite has no server to lose or to share a socket with)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a server connection is PostgreSQL's")
    return database_url


def backend_pid(engine) -> int:
    """The server process behind the connection the pool hands out next."""
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar()


def test_a_forked_child_opens_its_own_connection_and_leaves_the_parents_open(pg_url):
    engine = db.make_engine(pg_url)
    parent = backend_pid(engine)  # now pooled, checked in
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: what a gunicorn worker forked after --preload does
        try:
            os.write(write, str(backend_pid(engine)).encode())
        finally:
            os._exit(0)
    os.close(write)
    seen = int(os.read(read, 32).decode())
    os.waitpid(child, 0)
    os.close(read)
    assert seen != parent  # its own connection, not the parent's socket
    assert backend_pid(engine) == parent  # and the parent's still works, not closed by the child
    engine.dispose()


def test_warming_up_leaves_no_connection_to_inherit(app):
    warm_up(app)
    assert app.extensions["hotline.engine"].pool.checkedin() == 0


def test_a_connection_killed_while_idle_is_replaced_before_use(pg_url):
    engine = db.make_engine(pg_url, ping_idle_seconds=0)  # every reuse counts as idle
    first = backend_pid(engine)
    killer = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with killer.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar()
    killer.dispose()
    second = backend_pid(engine)  # no error: the ping found it dead and the pool opened another
    assert second != first
    engine.dispose()


def test_a_connection_in_use_moments_ago_is_not_pinged(pg_url, monkeypatch):
    engine = db.make_engine(pg_url)
    pings: list[object] = []
    ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(conn) or ping(conn))
    for _ in range(3):
        backend_pid(engine)
    assert pings == []  # back to back: one round trip saved on every checkout
    clock = db.time.monotonic() + db.PING_IDLE_SECONDS + 1
    monkeypatch.setattr(db.time, "monotonic", lambda: clock)
    backend_pid(engine)
    assert len(pings) == 1  # idle for longer than PING_IDLE_SECONDS: checked first
    engine.dispose()
