"""system notes as codes: why the router queued a ticket, as {code, params}

Revision ID: 0013_notes
Revises: 0007_security
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_notes"
down_revision = "0007_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.add_column(sa.Column("routing_reason", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("routing_reason")
