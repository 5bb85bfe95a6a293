"""Database triggers that refuse UPDATE and DELETE on the history tables, on PostgreSQL and SQLite."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

# The ticket's history and the admin audit trail: rows are added, never changed or removed.
TABLES = ("ticket_events", "audit_log")
MESSAGE = "is append-only"


def _sqlite_statements(table: str) -> list[str]:
    """One trigger per refused operation (SQLite has no UPDATE OR DELETE trigger)."""
    return [f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} {MESSAGE}'); END" for op in ("UPDATE", "DELETE")]


PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '% {MESSAGE}', TG_TABLE_NAME; END $$"
)


def create_triggers(conn: Connection) -> None:
    """Install the triggers on every history table."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(PG_FUNCTION))
        for table in TABLES:
            conn.execute(text(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                              "FOR EACH ROW EXECUTE FUNCTION refuse_history_change()"))
        return
    for table in TABLES:
        for statement in _sqlite_statements(table):
            conn.execute(text(statement))


def drop_triggers(conn: Connection) -> None:
    """Remove the triggers (downgrade, and the test suite's wipe between tests)."""
    if conn.dialect.name == "postgresql":
        for table in TABLES:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"))
        conn.execute(text("DROP FUNCTION IF EXISTS refuse_history_change()"))
        return
    for table in TABLES:
        for op in ("update", "delete"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{op}"))


@contextmanager
def lifted(conn: Connection) -> Iterator[None]:
    """Within one transaction, allow deleting history (only the test suite's wipe needs this)."""
    drop_triggers(conn)
    yield
    create_triggers(conn)
