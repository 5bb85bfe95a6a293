"""Database engine and per-request session, plus schema upgrade through Alembic."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from . import clock
from .services import audit

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys and a busy timeout, as PostgreSQL has by default.

    Errors never quote the statement's parameters (they are citizens' phones, names and words), and a
    pooled connection is checked before use, so the service recovers by itself after a database restart.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


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
