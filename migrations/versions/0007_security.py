"""security: session generation on users, the admin audit log, append-only history triggers

Revision ID: 0007_security
Revises: 0012_interfaces
"""
from alembic import op
import sqlalchemy as sa

import models.base
from hotline import append_only

revision = "0007_security"
down_revision = "0012_interfaces"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add users.session_generation and audit_log; refuse UPDATE/DELETE on ticket_events and audit_log."""
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_audit_log_actor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_entity_at", "audit_log", ["entity", "at"])
    append_only.create_triggers(op.get_bind())


def downgrade() -> None:
    """Drop the triggers, the audit log and the column."""
    append_only.drop_triggers(op.get_bind())
    op.drop_index("ix_audit_log_entity_at", table_name="audit_log")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("session_generation")
