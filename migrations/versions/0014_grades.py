"""ABCD grades (分级解决), co-handling units (协办), a handler per ticket inside its unit, internal notes

Revision ID: 0014_grades
Revises: 0010_partitions
"""
import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0014_grades"
down_revision = "0015_revisits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing tickets: B, or A for those answered on the call (即来即办 sets A from now on).
    op.add_column("tickets", sa.Column("grade", sa.String(length=32), server_default="B", nullable=False))
    op.execute("UPDATE tickets SET grade = 'A' WHERE resolved_on_call")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its REFERENCES clause in place; a batch copy would rebuild the whole table.
        op.execute("ALTER TABLE tickets ADD COLUMN handler_id INTEGER REFERENCES users (id)")
    else:
        op.add_column("tickets", sa.Column(
            "handler_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_tickets_handler_id_users"), nullable=True))
    op.create_index("ix_tickets_department_handler", "tickets", ["department_id", "handler_id"])
    op.create_table(
        "ticket_co_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("added_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("replied_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("replied_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_co_units_ticket_id_tickets")),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"],
                                name=op.f("fk_ticket_co_units_department_id_departments")),
        sa.ForeignKeyConstraint(["replied_by_id"], ["users.id"], name=op.f("fk_ticket_co_units_replied_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_co_units")),
        sa.UniqueConstraint("ticket_id", "department_id", name="uq_ticket_co_units_ticket_department"),
    )
    op.create_index("ix_ticket_co_units_department", "ticket_co_units", ["department_id", "ticket_id"])
    op.create_table(
        "ticket_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_notes_ticket_id_tickets")),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_ticket_notes_author_id_users")),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"],
                                name=op.f("fk_ticket_notes_department_id_departments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_notes")),
    )
    op.create_index("ix_ticket_notes_ticket_at", "ticket_notes", ["ticket_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_ticket_notes_ticket_at", table_name="ticket_notes")
    op.drop_table("ticket_notes")
    op.drop_index("ix_ticket_co_units_department", table_name="ticket_co_units")
    op.drop_table("ticket_co_units")
    op.drop_index("ix_tickets_department_handler", table_name="tickets")
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("handler_id")
        batch_op.drop_column("grade")
