"""回头看 re-visits, 集中交办 batches, the 企业家接待日 channel with its host, per-channel rollups

Revision ID: 0015_revisits
Revises: 0010_partitions

The channel rollups start empty, like report_rollups did: the work orders already rolled up stay
counted in report_rollups only, so a channel's section counts from the next daily job's rows on.
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = "0015_revisits"
down_revision = "0016_pauses"
branch_labels = None
depends_on = None

COUNTS = ("assigned", "returned", "repeat_complaints", "handled", "due_to_sign", "signed_on_time", "due_to_reply",
          "replied_on_time", "replied", "called_back", "unreachable", "reached", "solved", "satisfied",
          "basically_satisfied", "unsatisfied", "reopened", "flag_green", "flag_yellow", "flag_red", "flag_black")
UTC = models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.add_column(sa.Column("channel_host", sa.String(length=100), nullable=True))
    op.create_index("ix_tickets_channel_created", "tickets", ["channel", "created_at"])
    op.create_table(
        "revisits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("closed_at", UTC, nullable=False),
        sa.Column("selected_at", UTC, nullable=False),
        sa.Column("selected_day", sa.Date(), nullable=False),
        sa.Column("status", sa.Enum("pending", "held", "not_held", name="revisitstatus", native_enum=False,
                                    length=32), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("recorded_at", UTC, nullable=True),
        sa.Column("recorded_day", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"], name=op.f("fk_revisits_department_id_departments")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_revisits_recorded_by_id_users")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_revisits_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revisits")),
        sa.UniqueConstraint("ticket_id", "period", name="uq_revisits_ticket_period"),
    )
    op.create_index("ix_revisits_status_selected", "revisits", ["status", "selected_at"])
    op.create_index("ix_revisits_selected_day", "revisits", ["selected_day"])
    op.create_index("ix_revisits_recorded_day", "revisits", ["recorded_day"])
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("deadline", UTC, nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.Enum("open", "closed", name="batchstatus", native_enum=False, length=32),
                  nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("created_day", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("closed_at", UTC, nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["closed_by_id"], ["users.id"], name=op.f("fk_batches_closed_by_id_users")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_batches_created_by_id_users")),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"], name=op.f("fk_batches_department_id_departments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batches")),
    )
    op.create_index("ix_batches_department_status", "batches", ["department_id", "status"])
    op.create_index("ix_batches_created_day", "batches", ["created_day"])
    op.create_table(
        "batch_tickets",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["batches.id"], name=op.f("fk_batch_tickets_batch_id_batches")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_batch_tickets_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("batch_id", "ticket_id", name=op.f("pk_batch_tickets")),
    )
    op.create_index(op.f("ix_batch_tickets_ticket_id"), "batch_tickets", ["ticket_id"])
    op.create_table(
        "channel_rollups",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.Enum("phone", "web", "wechat", "leader_day", "open311", "entrepreneur_day",
                                     name="channel", native_enum=False, length=32), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        sa.PrimaryKeyConstraint("day", "channel", name=op.f("pk_channel_rollups")),
    )


def downgrade() -> None:
    op.drop_table("channel_rollups")
    op.drop_index(op.f("ix_batch_tickets_ticket_id"), table_name="batch_tickets")
    op.drop_table("batch_tickets")
    op.drop_index("ix_batches_created_day", table_name="batches")
    op.drop_index("ix_batches_department_status", table_name="batches")
    op.drop_table("batches")
    op.drop_index("ix_revisits_recorded_day", table_name="revisits")
    op.drop_index("ix_revisits_selected_day", table_name="revisits")
    op.drop_index("ix_revisits_status_selected", table_name="revisits")
    op.drop_table("revisits")
    op.drop_index("ix_tickets_channel_created", table_name="tickets")
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("channel_host")
