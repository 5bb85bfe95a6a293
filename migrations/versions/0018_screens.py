"""one-time passwords: a user whose password was chosen by someone else must set their own first

Revision ID: 0018_screens
Revises: 0010_partitions
"""
import sqlalchemy as sa
from alembic import op

revision = "0018_screens"
down_revision = "0019_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("must_change_password")
