"""intake and lists bounded by an index: stored bigrams, list indexes, intake keys holding the number

Revision ID: 0021_scale
Revises: 0010_partitions
"""
import sqlalchemy as sa
from alembic import op

revision = "0021_scale"
down_revision = "0014_grades"
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


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.add_column(sa.Column("content_bigrams", sa.Text(), nullable=True))
    for name, columns, where in INDEXES:
        extra = {"postgresql_where": sa.text(where), "sqlite_where": sa.text(where)} if where else {}
        op.create_index(name, "tickets", columns, **extra)
    # No back-fill of content_bigrams: rewriting a month of tickets would update every index of each row
    # (hours on a city's table); the repeat search computes the few it meets without them from the content,
    # and within one repeat window every candidate has them.
    if op.get_bind().dialect.name == "postgresql":
        # Room on each page for the updates that change no indexed column (the daily flag refresh, a
        # ticket's version): PostgreSQL then writes them in place (HOT), without touching the ~25 indexes.
        op.execute("ALTER TABLE tickets SET (fillfactor = 90)")

    with op.batch_alter_table("intake_keys") as batch_op:
        batch_op.add_column(sa.Column("ticket_number", sa.String(length=20), nullable=True))
    op.execute("UPDATE intake_keys SET ticket_number = "
               "(SELECT number FROM tickets WHERE tickets.id = intake_keys.ticket_id)")
    op.execute("DELETE FROM intake_keys WHERE ticket_number IS NULL")  # a key without a ticket was never committed
    with op.batch_alter_table("intake_keys") as batch_op:
        batch_op.alter_column("ticket_number", existing_type=sa.String(length=20), nullable=False)
        batch_op.drop_constraint("fk_intake_keys_ticket_id_tickets", type_="foreignkey")
        batch_op.drop_column("ticket_id")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE tickets RESET (fillfactor)")
    with op.batch_alter_table("intake_keys") as batch_op:
        batch_op.add_column(sa.Column("ticket_id", sa.Integer(), nullable=True))
    op.execute("UPDATE intake_keys SET ticket_id = "
               "(SELECT id FROM tickets WHERE tickets.number = intake_keys.ticket_number)")
    with op.batch_alter_table("intake_keys") as batch_op:
        batch_op.create_foreign_key("fk_intake_keys_ticket_id_tickets", "tickets", ["ticket_id"], ["id"])
        batch_op.drop_column("ticket_number")
    for name, _columns, _where in reversed(INDEXES):
        op.drop_index(name, table_name="tickets")
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("content_bigrams")
