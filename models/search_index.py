"""The word index over ``tickets.search_terms``, which each database builds its own way.

PostgreSQL: a stored generated column ``search_vector = to_tsvector('simple', search_terms)`` under a
GIN index (the 'simple' configuration only lower-cases and splits on the spaces jieba's words are
joined with; stored, so a filter or a recheck does not parse the text again, about 10 µs a row).
SQLite: an FTS5 table holding the same column by reference (``content='tickets'``), kept in step by
triggers. Neither can be declared on the models for both databases, so migration 0019 makes them and
Alembic's comparison leaves them out (models.partitions.include_name).
"""
from __future__ import annotations

PG_INDEX = "ix_tickets_search_vector"
PG_COLUMN = "search_vector"
FTS_TABLE = "tickets_fts"
FTS_TRIGGERS = ("tickets_fts_insert", "tickets_fts_delete", "tickets_fts_update")


def sqlite_sql() -> list[str]:
    """The FTS5 table and the triggers that keep it in step with ``tickets``."""
    remove = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);"
    add = f"INSERT INTO {FTS_TABLE}(rowid, search_terms) VALUES (new.id, new.search_terms);"
    return [
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(search_terms, content='tickets', content_rowid='id')",
        f"CREATE TRIGGER {FTS_TRIGGERS[0]} AFTER INSERT ON tickets BEGIN {add} END",
        f"CREATE TRIGGER {FTS_TRIGGERS[1]} AFTER DELETE ON tickets BEGIN {remove} END",
        f"CREATE TRIGGER {FTS_TRIGGERS[2]} AFTER UPDATE OF search_terms ON tickets BEGIN {remove} {add} END",
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
    ]


def postgresql_sql() -> list[str]:
    """The generated column and its GIN index."""
    return [
        f"ALTER TABLE tickets ADD COLUMN {PG_COLUMN} tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_terms)) STORED",
        f"CREATE INDEX {PG_INDEX} ON tickets USING gin ({PG_COLUMN})",
    ]


def is_search_index(name: str | None, type_: str) -> bool:
    """Whether a reflected object is part of the word index (not on the models)."""
    if not name:
        return False
    if type_ == "table":
        return name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")  # FTS5's shadow tables
    return (type_ == "index" and name == PG_INDEX) or (type_ == "column" and name == PG_COLUMN)
