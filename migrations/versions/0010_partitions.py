"""work orders and per-unit daily rollups for the reports; ticket_events partitioned by month on PostgreSQL

Revision ID: 0010_partitions
Revises: 0013_notes

The work orders are rebuilt from the events already written (the same rules as docs/metrics.md §4),
their ``day`` in the city's zone (``HOTLINE_TIMEZONE``, default Asia/Shanghai). The rollups start
empty: the next daily job adds every work order whose ticket is closed. On PostgreSQL the events are
copied once into a table partitioned by month (an outage of about a minute per 10 M events).
"""
import json
import os
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import models.base
from models import partitions

revision = "0010_partitions"
down_revision = "0013_notes"
branch_labels = None
depends_on = None

COUNTS = ("assigned", "returned", "repeat_complaints", "handled", "due_to_sign", "signed_on_time", "due_to_reply",
          "replied_on_time", "replied", "called_back", "unreachable", "reached", "solved", "satisfied",
          "basically_satisfied", "unsatisfied", "reopened", "flag_green", "flag_yellow", "flag_red", "flag_black")
MONTHS_AHEAD = 3


def city_zone() -> str:
    """The zone of the city's days, as the app reads it (HOTLINE_* values may be JSON)."""
    value = os.environ.get("HOTLINE_TIMEZONE", "Asia/Shanghai")
    try:
        value = json.loads(value)
    except ValueError:
        pass
    return str(value)


# The history stays append-only (0007_security); a row trigger on a partitioned table covers every partition.
APPEND_ONLY = ("CREATE TRIGGER ticket_events_append_only BEFORE UPDATE OR DELETE ON ticket_events "
               "FOR EACH ROW EXECUTE FUNCTION refuse_history_change()")


def upgrade() -> None:
    op.create_table(
        "work_orders",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("dispatched_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("returned", sa.Boolean(), nullable=False),
        sa.Column("signed_round", sa.Boolean(), nullable=False),
        sa.Column("signed_late", sa.Boolean(), nullable=False),
        sa.Column("replied_round", sa.Boolean(), nullable=False),
        sa.Column("replied_late", sa.Boolean(), nullable=False),
        sa.Column("rolled_up_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"], name=op.f("fk_work_orders_department_id_departments")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_work_orders_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("ticket_id", "department_id", name=op.f("pk_work_orders")),
    )
    op.create_index("ix_work_orders_live_day", "work_orders", ["day"],
                    postgresql_where=sa.text("rolled_up_at IS NULL"), sqlite_where=sa.text("rolled_up_at IS NULL"))
    op.create_table(
        "report_rollups",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"],
                                name=op.f("fk_report_rollups_department_id_departments")),
        sa.PrimaryKeyConstraint("day", "department_id", name=op.f("pk_report_rollups")),
    )
    partial = {
        "ix_tickets_unclosed_status": (["status"], "status <> 'closed'"),
        "ix_tickets_supervision_black_at": (["supervision_black_at"], "supervision_black_at IS NOT NULL"),
        "ix_tickets_repeats_created": (["created_at"], "repeat_of_id IS NOT NULL"),
        "ix_tickets_late_reply_black_at": (["reply_black_at"], "replied_at IS NULL OR replied_at > reply_black_at"),
    }
    for name, (columns, where) in partial.items():
        op.create_index(name, "tickets", columns, postgresql_where=sa.text(where), sqlite_where=sa.text(where))
    op.create_index("ix_tickets_closed_at", "tickets", ["closed_at"])
    op.create_index("ix_callbacks_at", "callbacks", ["at"])
    backfill_work_orders(op.get_bind())
    if op.get_bind().dialect.name == "postgresql":
        partition_events()


def work_order_select(dialect: str) -> str:
    """One row per (ticket, unit) with a dispatch event: the first dispatch and the flags of its events."""
    if dialect == "postgresql":
        sign_by, reply_by = "(data->>'sign_by')", "(data->>'reply_by')"
        late = "at > CAST({} AS TIMESTAMPTZ)"
    else:
        sign_by, reply_by = "json_extract(data, '$.sign_by')", "json_extract(data, '$.reply_by')"
        late = "julianday(at) > julianday({})"

    def flag(condition: str) -> str:
        return f"max(CASE WHEN {condition} THEN 1 ELSE 0 END) = 1"

    return f"""
        SELECT ticket_id, department_id, min(CASE WHEN action IN ('routed', 'assigned') THEN at END) AS first_at,
               {flag("action = 'returned'")} AS returned,
               {flag(f"action = 'signed' AND {sign_by} IS NOT NULL")} AS signed_round,
               {flag(f"action = 'signed' AND {late.format(sign_by)}")} AS signed_late,
               {flag(f"action = 'replied' AND {reply_by} IS NOT NULL")} AS replied_round,
               {flag(f"action = 'replied' AND {late.format(reply_by)}")} AS replied_late
        FROM ticket_events WHERE department_id IS NOT NULL
        GROUP BY ticket_id, department_id
        HAVING count(CASE WHEN action IN ('routed', 'assigned') THEN 1 END) > 0
    """


def backfill_work_orders(bind) -> None:
    """Fill work_orders from the events (tests/hotline/services/cycle/test_rollups.py checks it against the workflow's)."""
    columns = "ticket_id, department_id, dispatched_at, day, returned, signed_round, signed_late, replied_round, replied_late"
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text(f"""
            INSERT INTO work_orders ({columns})
            SELECT ticket_id, department_id, first_at, CAST(timezone(:zone, first_at) AS DATE), returned,
                   signed_round, signed_late, replied_round, replied_late
            FROM ({work_order_select("postgresql")}) w
        """), {"zone": city_zone()})
        return
    # SQLite knows no time zones: the day is worked out here (SQLite databases are the small ones).
    zone = ZoneInfo(city_zone())
    rows = []
    for row in bind.execute(sa.text(work_order_select("sqlite"))).mappings():
        first = datetime.fromisoformat(row["first_at"]).replace(tzinfo=UTC)
        rows.append({**row, "dispatched_at": first.replace(tzinfo=None).isoformat(" "),
                     "day": first.astimezone(zone).date().isoformat()})
    if rows:
        bind.execute(sa.text(
            f"INSERT INTO work_orders ({columns}) VALUES (:ticket_id, :department_id, :dispatched_at, :day, "
            ":returned, :signed_round, :signed_late, :replied_round, :replied_late)"), rows)


def partition_events() -> None:
    """Copy ticket_events into a table partitioned by UTC month, with a default partition and months ahead."""
    bind = op.get_bind()
    sequence = bind.execute(sa.text("SELECT pg_get_serial_sequence('ticket_events', 'id')")).scalar()
    oldest = bind.execute(sa.text("SELECT min(at) FROM ticket_events")).scalar()
    for statement in (
        "ALTER TABLE ticket_events RENAME TO ticket_events_unpartitioned",
        "ALTER TABLE ticket_events_unpartitioned RENAME CONSTRAINT pk_ticket_events TO pk_ticket_events_unpartitioned",
        "ALTER INDEX ix_ticket_events_ticket_id RENAME TO ix_ticket_events_unpartitioned_ticket_id",
        "ALTER INDEX ix_ticket_events_action_at RENAME TO ix_ticket_events_unpartitioned_action_at",
        f"ALTER SEQUENCE {sequence} OWNED BY NONE",
        "CREATE TABLE ticket_events (LIKE ticket_events_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        "INCLUDING STORAGE) PARTITION BY RANGE (at)",
        "ALTER TABLE ticket_events ALTER COLUMN id TYPE BIGINT",
        f"ALTER SEQUENCE {sequence} AS BIGINT",
        # A partitioned table's unique keys must hold the partition key; the sequence keeps ids unique.
        "ALTER TABLE ticket_events ADD CONSTRAINT pk_ticket_events PRIMARY KEY (id, at)",
        "ALTER TABLE ticket_events ADD CONSTRAINT fk_ticket_events_ticket_id_tickets "
        "FOREIGN KEY (ticket_id) REFERENCES tickets (id)",
        "ALTER TABLE ticket_events ADD CONSTRAINT fk_ticket_events_actor_id_users "
        "FOREIGN KEY (actor_id) REFERENCES users (id)",
        "ALTER TABLE ticket_events ADD CONSTRAINT fk_ticket_events_department_id_departments "
        "FOREIGN KEY (department_id) REFERENCES departments (id)",
        "CREATE INDEX ix_ticket_events_ticket_id ON ticket_events (ticket_id)",
        "CREATE INDEX ix_ticket_events_action_at ON ticket_events (action, at)",
        APPEND_ONLY,  # before any partition: each one made later inherits it
        f"CREATE TABLE {partitions.DEFAULT_PARTITION} PARTITION OF ticket_events DEFAULT",
    ):
        bind.execute(sa.text(statement))
    today = datetime.now(UTC).date()
    month = partitions.month_start((oldest.astimezone(UTC).date() if oldest else today))
    last = partitions.month_start(today)
    for _ in range(MONTHS_AHEAD):
        last = partitions.next_month(last)
    while month <= last:
        for statement in partitions.create_month_sql(month):
            bind.execute(sa.text(statement))
        month = partitions.next_month(month)
    bind.execute(sa.text("INSERT INTO ticket_events SELECT * FROM ticket_events_unpartitioned"))
    bind.execute(sa.text("DROP TABLE ticket_events_unpartitioned"))  # and its append-only trigger (0007)
    bind.execute(sa.text(f"ALTER SEQUENCE {sequence} OWNED BY ticket_events.id"))


def unpartition_events() -> None:
    """Back to one plain table (every partition's rows copied)."""
    bind = op.get_bind()
    sequence = bind.execute(sa.text("SELECT pg_get_serial_sequence('ticket_events', 'id')")).scalar()
    for statement in (
        f"ALTER SEQUENCE {sequence} OWNED BY NONE",
        "CREATE TABLE ticket_events_plain (LIKE ticket_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)",
        "ALTER TABLE ticket_events_plain ALTER COLUMN id TYPE INTEGER",
        "INSERT INTO ticket_events_plain SELECT * FROM ticket_events",
        "DROP TABLE ticket_events CASCADE",
        "ALTER TABLE ticket_events_plain RENAME TO ticket_events",
        f"ALTER SEQUENCE {sequence} AS INTEGER",
        "ALTER TABLE ticket_events ADD CONSTRAINT pk_ticket_events PRIMARY KEY (id)",
        "ALTER TABLE ticket_events ADD CONSTRAINT fk_ticket_events_ticket_id_tickets "
        "FOREIGN KEY (ticket_id) REFERENCES tickets (id)",
        "ALTER TABLE ticket_events ADD CONSTRAINT fk_ticket_events_actor_id_users "
        "FOREIGN KEY (actor_id) REFERENCES users (id)",
        "ALTER TABLE ticket_events ADD CONSTRAINT fk_ticket_events_department_id_departments "
        "FOREIGN KEY (department_id) REFERENCES departments (id)",
        "CREATE INDEX ix_ticket_events_ticket_id ON ticket_events (ticket_id)",
        "CREATE INDEX ix_ticket_events_action_at ON ticket_events (action, at)",
        f"ALTER SEQUENCE {sequence} OWNED BY ticket_events.id",
        APPEND_ONLY,
    ):
        bind.execute(sa.text(statement))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        unpartition_events()
    op.drop_index("ix_callbacks_at", table_name="callbacks")
    for name in ("ix_tickets_closed_at", "ix_tickets_late_reply_black_at", "ix_tickets_repeats_created",
                 "ix_tickets_supervision_black_at", "ix_tickets_unclosed_status"):
        op.drop_index(name, table_name="tickets")
    op.drop_table("report_rollups")
    op.drop_index("ix_work_orders_live_day", table_name="work_orders")
    op.drop_table("work_orders")
