"""the inbox's flag order read off an index: tickets.flag_rank, kept with the stored flag

Revision ID: 0024_flagsort
Revises: 0020_learning

Every closed ticket gets the rank of its stored flag, or of its final flag when none is stored (the tickets
closed before the daily refresh existed). The daily job's refresh keeps it from then on.
"""
import os
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0024_flagsort"
down_revision = "0022_rounds"
branch_labels = None
depends_on = None

NO_FLAG = 4
GREEN = 3
CLOSED = "status = 'closed'"  # the inbox judges open tickets at the instant: only closed ones need a rank
# hotline.services.cycle.flags.flag_sql (with FLAG_RANK), written out: a migration must not change with the app.
RANK = """
CASE
  WHEN flag IS NOT NULL THEN CASE flag WHEN 'black' THEN 0 WHEN 'red' THEN 1 WHEN 'yellow' THEN 2 ELSE 3 END
  WHEN reopen_count >= :reopens OR supervision_black_at < :now THEN 0
  WHEN reply_by IS NULL THEN 4
  WHEN coalesce(replied_at, paused_at, :now) > reply_black_at
    OR (status = 'dispatched' AND sign_by IS NOT NULL AND coalesce(paused_at, :now) > sign_black_at) THEN 0
  WHEN coalesce(replied_at, paused_at, :now) > reply_by
    OR (status = 'dispatched' AND sign_by IS NOT NULL AND coalesce(paused_at, :now) > sign_by) THEN 1
  WHEN coalesce(replied_at, paused_at, :now) >= reply_warn_at
    OR (status = 'dispatched' AND sign_by IS NOT NULL AND coalesce(paused_at, :now) >= sign_warn_at) THEN 2
  ELSE 3
END"""


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    # On PostgreSQL a column added with a constant default costs no rewrite, so it is added with the most
    # common rank of a city's history (closed in time: green) and only the other rows are written; a write
    # of every row would enter each one anew in every index of tickets (hours on a city's table).
    first = GREEN if postgresql else NO_FLAG
    op.add_column("tickets", sa.Column("flag_rank", sa.SmallInteger(), nullable=False,
                                       server_default=str(first)))
    reopens = int(os.environ.get("HOTLINE_FLAG_BLACK_AFTER_REOPENS", "2"))
    fill = f"UPDATE tickets SET flag_rank = {RANK} WHERE {CLOSED} AND {RANK} <> {first}"
    op.execute(sa.text(fill).bindparams(sa.bindparam("now", datetime.now(UTC), type_=UTCDateTime()), reopens=reopens))
    if postgresql:
        op.alter_column("tickets", "flag_rank", server_default=str(NO_FLAG))
    op.create_index("ix_tickets_department_flag_rank", "tickets", ["department_id", "flag_rank", "reply_by", "id"],
                    postgresql_where=sa.text(CLOSED), sqlite_where=sa.text(CLOSED))


def downgrade() -> None:
    op.drop_index("ix_tickets_department_flag_rank", table_name="tickets")
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("flag_rank")
