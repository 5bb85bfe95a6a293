"""intake and lists bounded by an index: stored bigrams for the repeat search, list indexes, keys that hold the number

Revision ID: 0021_scale
Revises: 0010_partitions
"""
import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0021_scale"
down_revision = "0010_partitions"
branch_labels = None
depends_on = None

OPEN = "status <> 'closed'"
# (name, columns, partial) — see models/ticket.py for what each one serves.
INDEXES = [
    ("ix_tickets_district_created", ["district", "created_at"], None),
    ("ix_tickets_open_district_created", ["district", "created_at"], OPEN),
    ("ix_tickets_open_caller_created", ["caller_phone", "created_at"], OPEN),
    ("ix_tickets_department_created", ["department_id", "created_at"], None),
    ("ix_tickets_created", ["created_at"], None),
    ("ix_tickets_department_reply_by", ["department_id", "reply_by"], None),
    ("ix_tickets_department_sign_by", ["department_id", "sign_by"], None),
]
NOISE = re.compile(r"[\W_*]+")  # as services/repeats.py at this revision
BACKFILL_DAYS = 31  # the repeat window (30 days by default) and a day to spare; older rows are computed when read
BATCH = 5000


def bigrams(text: str) -> str:
    clean = NOISE.sub("", text or "")
    return " ".join(clean[i:i + 2] for i in range(len(clean) - 1))


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.add_column(sa.Column("content_bigrams", sa.Text(), nullable=True))
    for name, columns, where in INDEXES:
        extra = {"postgresql_where": sa.text(where), "sqlite_where": sa.text(where)} if where else {}
        op.create_index(name, "tickets", columns, **extra)
    backfill_bigrams()

    with op.batch_alter_table("intake_keys") as batch_op:
        batch_op.add_column(sa.Column("ticket_number", sa.String(length=20), nullable=True))
    op.execute("UPDATE intake_keys SET ticket_number = (SELECT number FROM tickets WHERE tickets.id = intake_keys.ticket_id)")
    op.execute("DELETE FROM intake_keys WHERE ticket_number IS NULL")  # a key without a ticket was never committed
    with op.batch_alter_table("intake_keys") as batch_op:
        batch_op.alter_column("ticket_number", existing_type=sa.String(length=20), nullable=False)
        batch_op.drop_constraint("fk_intake_keys_ticket_id_tickets", type_="foreignkey")
        batch_op.drop_column("ticket_id")


def backfill_bigrams() -> None:
    """The tickets the repeat search can meet soon (open, or created in the window) get their bigrams now."""
    conn = op.get_bind()
    since = datetime.now(UTC) - timedelta(days=BACKFILL_DAYS)
    tickets = sa.table("tickets", sa.column("id"), sa.column("content"), sa.column("content_bigrams"),
                       sa.column("status"), sa.column("created_at"))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(tickets.c.id, tickets.c.content)
            .where(tickets.c.id > last, sa.or_(tickets.c.created_at >= since, tickets.c.status != "closed"))
            .order_by(tickets.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        conn.execute(tickets.update().where(tickets.c.id == sa.bindparam("tid"))
                     .values(content_bigrams=sa.bindparam("grams")),
                     [{"tid": row.id, "grams": bigrams(row.content)} for row in rows])
        last = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table("intake_keys") as batch_op:
        batch_op.add_column(sa.Column("ticket_id", sa.Integer(), nullable=True))
    op.execute("UPDATE intake_keys SET ticket_id = (SELECT id FROM tickets WHERE tickets.number = intake_keys.ticket_number)")
    with op.batch_alter_table("intake_keys") as batch_op:
        batch_op.create_foreign_key("fk_intake_keys_ticket_id_tickets", "tickets", ["ticket_id"], ["id"])
        batch_op.drop_column("ticket_number")
    for name, _columns, _where in reversed(INDEXES):
        op.drop_index(name, table_name="tickets")
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("content_bigrams")
