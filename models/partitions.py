"""Monthly range partitions of ``ticket_events`` on PostgreSQL (SQLite keeps a plain table).

Partitions are named ``ticket_events_YYYY_MM`` and hold the UTC month ``[YYYY-MM-01, next month)``
of ``at``; ``ticket_events_default`` catches anything outside them, so an insert never fails for a
missing month (a call is never lost). The migration makes the first ones, the daily job the months
ahead (hotline.services.cycle.partitions).
"""
from __future__ import annotations

import re
from datetime import date

from .search_index import is_search_index

PARTITIONED = "ticket_events"
DEFAULT_PARTITION = f"{PARTITIONED}_default"
_NAME = re.compile(rf"{PARTITIONED}_(\d{{4}}_\d{{2}}|default)")


def month_start(day: date) -> date:
    """The first day of the month containing ``day``."""
    return day.replace(day=1)


def next_month(first: date) -> date:
    """The first day of the month after the one starting on ``first``."""
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def partition_name(first: date) -> str:
    """The partition holding the UTC month that starts on ``first``."""
    return f"{PARTITIONED}_{first:%Y_%m}"


def is_partition(name: str | None) -> bool:
    """Whether a table name is one of the partitions (not in the models' metadata)."""
    return bool(name and _NAME.fullmatch(name))


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's include_name hook: compare the models with the parent table, not its partitions (nor the word index)."""
    return not (type_ == "table" and is_partition(name)) and not is_search_index(name, type_)


APPEND_ONLY_TRIGGER = "ticket_events_append_only"  # hotline.append_only names it so

def create_month_sql(first: date) -> list[str]:
    """Statements that add the month starting on ``first`` as a partition, moving its rows out of the default.

    The table is made on its own and then attached (a SHARE UPDATE EXCLUSIVE lock on the parent, so
    inserts go on); rows that fell into the default partition meanwhile move into it first.
    """
    name, lo, hi = partition_name(first), f"{first:%Y-%m-%d} 00:00:00+00", f"{next_month(first):%Y-%m-%d} 00:00:00+00"
    return [
        f"CREATE TABLE {name} (LIKE {PARTITIONED} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)",
        # The check lets ATTACH skip scanning the new table.
        f"ALTER TABLE {name} ADD CONSTRAINT {name}_at CHECK (at >= '{lo}' AND at < '{hi}')",
        # Moving rows between partitions is no change to the history: the append-only trigger steps aside.
        f"ALTER TABLE {DEFAULT_PARTITION} DISABLE TRIGGER {APPEND_ONLY_TRIGGER}",
        f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} WHERE at >= '{lo}' AND at < '{hi}' RETURNING *) "
        f"INSERT INTO {name} SELECT * FROM moved",
        f"ALTER TABLE {DEFAULT_PARTITION} ENABLE TRIGGER {APPEND_ONLY_TRIGGER}",
        f"ALTER TABLE {PARTITIONED} ATTACH PARTITION {name} FOR VALUES FROM ('{lo}') TO ('{hi}')",
        f"ALTER TABLE {name} DROP CONSTRAINT {name}_at",
    ]


EXISTING_SQL = (
    "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
    f"JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = '{PARTITIONED}'"
)
