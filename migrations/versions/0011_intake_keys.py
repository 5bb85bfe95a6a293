"""intake idempotency keys: a retried intake returns the first ticket instead of a second one

Revision ID: 0011
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0011"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intake_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_intake_keys_user_id_users")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_intake_keys_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_keys")),
        sa.UniqueConstraint("user_id", "key", name="uq_intake_keys_user_key"),
    )
    op.create_index(op.f("ix_intake_keys_created_at"), "intake_keys", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_intake_keys_created_at"), table_name="intake_keys")
    op.drop_table("intake_keys")
