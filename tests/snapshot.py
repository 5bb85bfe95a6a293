"""The seeded demo city, kept once per run and put back after each test (instead of wiping and seeding anew).

Seeding the city takes a few dozen statements and wiping 36 tables on PostgreSQL costs ~0.1 s (TRUNCATE makes
new files for every table), twice a test. Instead the database is seeded once and each test ends with a restore:

- SQLite: the seeded file is copied back with the sqlite3 backup API, only when another connection has written
  since the last restore (PRAGMA data_version).
- PostgreSQL: a statement trigger on every table notes the tables a statement wrote (in an unlogged table, no
  unique key: concurrent writers never wait on it); the restore deletes the rows of those tables and of every table
  referring to them, copies the seed rows back from `testkit` copies and resets every sequence. It runs as
  `session_replication_role = replica`, so neither the append-only nor the foreign-key triggers fire.
"""
from __future__ import annotations

import gc
import sqlite3
from collections.abc import Callable

from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

import models
from hotline.db import make_engine
from models.partitions import PARTITIONED, is_partition

KIT = "testkit"  # a schema of the test database's own: Alembic's comparison looks at the default schema only
VACUUM_EVERY = 50  # autovacuum may be off: deleted rows are vacuumed away every so many restores
LOCK_WAIT = "10s"  # long enough for a live server's last request; a transaction open longer was leaked


class SqliteSnapshot:
    """A copy of the seeded file, put back over the database when it was written."""

    def __init__(self, url: str) -> None:
        path = make_url(url).database
        self.live = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.seed = sqlite3.connect(":memory:", check_same_thread=False)
        self.live.backup(self.seed)
        self.version = self._data_version()

    def _data_version(self) -> int:
        """Changes whenever another connection commits to the file."""
        return self.live.execute("PRAGMA data_version").fetchone()[0]

    def restore(self) -> None:
        """Put the seeded file back if anyone wrote since the last restore."""
        if self._data_version() != self.version:
            self.seed.backup(self.live)
            self.version = self._data_version()

    def close(self) -> None:
        self.live.close()
        self.seed.close()


class PostgresSnapshot:
    """Seed rows and sequences copied into the `testkit` schema, and the triggers noting what was written."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url, ping_idle_seconds=0)  # pinged at every use: a test may kill its connections
        self.tables = [t.name for t in models.Base.metadata.sorted_tables]  # parents first
        referrers: dict[str, set[str]] = {name: set() for name in self.tables}
        for table in models.Base.metadata.sorted_tables:
            for key in table.foreign_keys:
                referrers[key.column.table.name].add(table.name)
        self.referrers = referrers
        self.lock_all = "LOCK TABLE " + ", ".join(f'"{name}"' for name in self.tables) + " IN ACCESS EXCLUSIVE MODE"
        self.deleted_since_vacuum: set[str] = set()
        self.restores = 0
        with self.engine.begin() as conn:
            self.superuser = conn.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
            self._install(conn)
            self.seeded = {name: self._columns(conn, name) for name in self.tables
                           if conn.scalar(text(f'SELECT EXISTS (SELECT 1 FROM "{name}")'))}
            for name, columns in self.seeded.items():
                conn.execute(text(f'CREATE TABLE {KIT}."{name}" AS SELECT {columns} FROM "{name}"'))
            sequences = conn.execute(text(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value, start_value "
                "FROM pg_sequences WHERE schemaname = 'public'")).all()
        self.reset_sequences = "SELECT " + ", ".join(
            f"setval('{name}', {last if last is not None else start}, {'true' if last is not None else 'false'})"
            for name, last, start in sequences) if sequences else ""

    @staticmethod
    def _columns(conn, table: str) -> str:
        """The table's columns a row can be given (a generated column cannot)."""
        names = conn.scalars(text(
            "SELECT quote_ident(column_name) FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name = :t AND is_generated = 'NEVER' ORDER BY ordinal_position"), {"t": table}).all()
        return ", ".join(names)

    def _install(self, conn) -> None:
        """The schema, the table of written tables and a statement trigger on every table and partition."""
        conn.execute(text(f"CREATE SCHEMA {KIT}"))
        conn.execute(text(f"CREATE UNLOGGED TABLE {KIT}.touched (name text NOT NULL)"))
        conn.execute(text(
            f"CREATE FUNCTION {KIT}.note_touched() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN INSERT INTO {KIT}.touched VALUES (TG_TABLE_NAME); RETURN NULL; END $$"))
        relations = conn.scalars(text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')")).all()
        for name in relations:
            conn.execute(text(
                f'CREATE TRIGGER zz_{KIT}_touched AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{name}" '
                f"FOR EACH STATEMENT EXECUTE FUNCTION {KIT}.note_touched()"))

    def _closure(self, touched: set[str]) -> set[str] | None:
        """The written tables and every table referring to them (a delete there may have cascaded); None when
        something outside the models was written (then everything is put back)."""
        names = {PARTITIONED if is_partition(name) else name for name in touched}
        if not names <= set(self.tables):
            return None
        todo, found = list(names), set(names)
        while todo:
            for referrer in self.referrers[todo.pop()] - found:
                found.add(referrer)
                todo.append(referrer)
        return found

    def restore(self) -> None:
        """Put back the seed rows of every written table and every sequence's position."""
        for attempt in ("wait", "collect", "terminate"):
            try:
                return self._restore()
            except OperationalError as error:
                if "lock timeout" not in str(error) or attempt == "terminate":
                    raise
            # The test is over: a transaction still open now was leaked by it. A session dropped without being
            # closed holds its connection until the cyclic collector frees it, which a process blocked here never
            # runs; whatever is still open after that would hold every later test up, and is ended.
            if attempt == "collect":
                with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                                      "current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in%'"))
            gc.collect()

    def _restore(self) -> None:
        with self.engine.begin() as conn:
            # Wait, as the TRUNCATE this replaces did, for transactions still open elsewhere (a live server's
            # last request, a background rebuild): their connections go back to the pool before it is disposed.
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
            conn.exec_driver_sql(self.lock_all)
            touched = set(conn.scalars(text(f"SELECT DISTINCT name FROM {KIT}.touched")))
            if touched:
                tables = self._closure(touched) if self.superuser else None
                ordered = [name for name in self.tables if tables is None or name in tables]
                if self.superuser:
                    statements = ["SET LOCAL session_replication_role = replica"]
                    statements += [f'DELETE FROM "{name}"' for name in reversed(ordered)]
                    self.deleted_since_vacuum.update(ordered)
                else:  # without the right to skip triggers: one TRUNCATE of everything, as the old wipe did
                    statements = ["TRUNCATE " + ", ".join(f'"{name}"' for name in ordered) + " CASCADE"]
                statements += [f'INSERT INTO "{name}" ({self.seeded[name]}) SELECT {self.seeded[name]} FROM {KIT}."{name}"'
                               for name in ordered if name in self.seeded]
                statements.append(f"DELETE FROM {KIT}.touched")
                conn.exec_driver_sql("; ".join(statements))
            if self.reset_sequences:
                conn.exec_driver_sql(self.reset_sequences)
        self.restores += 1
        if self.restores % VACUUM_EVERY == 0 and self.deleted_since_vacuum:
            self._vacuum()

    def _vacuum(self) -> None:
        """Reclaim the deleted rows (VACUUM runs outside a transaction)."""
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            names = [f'"{name}"' for name in sorted(self.deleted_since_vacuum)] + [f"{KIT}.touched"]
            conn.exec_driver_sql("VACUUM " + ", ".join(names))
        self.deleted_since_vacuum.clear()

    def close(self) -> None:
        self.engine.dispose()


def seeded(url: str, seed: Callable[[Session], None]) -> SqliteSnapshot | PostgresSnapshot:
    """Seed the (migrated, empty) database at `url` and keep its state to restore after each test."""
    from hotline import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "seed", "MODEL_DIR": "/nonexistent"})
    engine: Engine = app.extensions["hotline.engine"]
    try:
        with app.extensions["hotline.sessionmaker"]() as session:
            seed(session)
            session.commit()
    finally:
        engine.dispose()
    return SqliteSnapshot(url) if url.startswith("sqlite") else PostgresSnapshot(url)
