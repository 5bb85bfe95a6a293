"""Database engine and per-request session, plus schema upgrade through Alembic."""
from __future__ import annotations

import os
import time
import weakref
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from . import clock
from .services import audit

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# A pooled connection idle for longer is pinged before use (one round trip); one in use moments ago is not.
PING_IDLE_SECONDS = 10.0
_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()  # forgotten in a forked child (see _after_fork)


def _after_fork() -> None:
    """A forked process (gunicorn --preload's workers) starts with an empty pool of its own.

    A connection opened before the fork is the parent's socket: two processes talking over one
    PostgreSQL connection interleave their messages (seen as InterfaceError, ProgrammingError). close=False
    leaves the parent's connections open for the parent.
    """
    for engine in list(_ENGINES):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_after_fork)


def _ping_if_idle(engine: Engine, idle_seconds: float) -> None:
    """Check a pooled connection before use only when it has been idle: a dead one is replaced, unseen.

    What pool_pre_ping does on every checkout, at the price of a round trip each time (an intake checks out
    two connections); a connection back from a request less than `idle_seconds` ago is used as it is. If the
    database went away within those seconds, that request gets a 503 (hotline/outages.py) and SQLAlchemy
    discards every connection the pool had then: the next requests get new ones.
    """

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record):
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection, record, _proxy):
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned < idle_seconds:
            return  # opened just now, or in use moments ago
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("connection dropped while idle") from exc
        if not alive:
            raise DisconnectionError("connection dropped while idle")


def make_engine(url: str, ping_idle_seconds: float = PING_IDLE_SECONDS) -> Engine:
    """Create an engine; SQLite gets foreign keys and a busy timeout, as PostgreSQL has by default.

    Errors never quote the statement's parameters (they are citizens' phones, names and words), and a
    pooled connection idle for `ping_idle_seconds` is checked before use, so the service recovers by itself
    after a database restart. A forked child does not reuse the parent's connections.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        _ENGINES.add(engine)
        return engine
    engine = create_engine(url, hide_parameters=True)
    _ping_if_idle(engine, ping_idle_seconds)
    _ENGINES.add(engine)
    return engine


def get_session() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["hotline.sessionmaker"]()
        audit.set_clock(g.db_session, clock.now)
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the request's session; uncommitted work is rolled back, never half-saved."""
    session = g.pop("db_session", None)
    if session is not None:
        try:
            session.close()
        except DBAPIError:  # the connection died mid-request: its rollback cannot reach the server either
            session.invalidate()  # drop the dead connection; the pool opens a fresh one next time


def ping() -> None:
    """Raise if the database does not answer (what /healthz reports)."""
    get_session().execute(text("SELECT 1"))


def upgrade_schema(url: str) -> None:
    """Bring the database to the newest migration (Alembic `upgrade head`)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")


def init_app(app: Flask) -> None:
    """Create the app's engine and session factory and register the teardown."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["hotline.engine"] = engine
    app.extensions["hotline.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    audit.install(app.extensions["hotline.sessionmaker"])
    app.teardown_appcontext(close_session)
