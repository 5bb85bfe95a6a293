"""挂起 (ticket_pauses, tickets.paused_at), 申诉/核减 (count_appeals), emergency hand-off (tickets.emergency_*)

Revision ID: 0016_pauses
Revises: 0010_partitions
"""
import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0016_pauses"
down_revision = "0010_partitions"
branch_labels = None
depends_on = None


def _enum(*values: str, name: str) -> sa.Enum:
    """A StrEnum stored by value as a plain string, as models.base.enum_column makes it."""
    return sa.Enum(*values, name=name, native_enum=False, length=32, create_constraint=False)


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.add_column(sa.Column("paused_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("emergency_service", sa.String(16), nullable=True))
        batch_op.add_column(sa.Column("emergency_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("emergency_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_tickets_emergency_at", ["emergency_at"])
    op.create_table(
        "ticket_pauses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id", name="fk_ticket_pauses_ticket_id_tickets"),
                  nullable=False),
        sa.Column("department_id", sa.Integer(),
                  sa.ForeignKey("departments.id", name="fk_ticket_pauses_department_id_departments"), nullable=False),
        sa.Column("reason", _enum("waiting_citizen", "waiting_third_party", "legal_procedure", "other",
                                  name="pausereason"), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("status", _enum("pending", "active", "rejected", "ended", name="pausestatus"), nullable=False),
        sa.Column("requested_by_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_ticket_pauses_requested_by_id_users"), nullable=False),
        sa.Column("requested_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_ticket_pauses_decided_by_id_users"),
                  nullable=True),
        sa.Column("decided_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("started_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("until", UTCDateTime(timezone=True), nullable=True),
        sa.Column("resumed_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("resumed_by_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_ticket_pauses_resumed_by_id_users"),
                  nullable=True),
        sa.Column("paused_minutes", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_ticket_pauses"),
    )
    op.create_index("ix_ticket_pauses_ticket_id", "ticket_pauses", ["ticket_id"])
    op.create_index("ix_ticket_pauses_started_at", "ticket_pauses", ["started_at"])
    op.create_index("ix_ticket_pauses_status_until", "ticket_pauses", ["status", "until"])
    op.create_table(
        "count_appeals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id", name="fk_count_appeals_ticket_id_tickets"),
                  nullable=False),
        sa.Column("department_id", sa.Integer(),
                  sa.ForeignKey("departments.id", name="fk_count_appeals_department_id_departments"), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("item", _enum("late_reply", "unsatisfied", "returned", name="countappealitem"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", _enum("pending", "accepted", "rejected", name="countappealstatus"), nullable=False),
        sa.Column("filed_by_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_count_appeals_filed_by_id_users"),
                  nullable=False),
        sa.Column("filed_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_count_appeals_decided_by_id_users"),
                  nullable=True),
        sa.Column("decided_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("excluded", sa.JSON(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_count_appeals"),
    )
    op.create_index("ix_count_appeals_ticket_id", "count_appeals", ["ticket_id"])
    op.create_index("ix_count_appeals_department_id", "count_appeals", ["department_id"])
    op.create_index("ix_count_appeals_period_status", "count_appeals", ["period", "status"])


def downgrade() -> None:
    op.drop_table("count_appeals")
    op.drop_table("ticket_pauses")
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_index("ix_tickets_emergency_at")
        for column in ("emergency_at", "emergency_note", "emergency_service", "paused_at"):
            batch_op.drop_column(column)
