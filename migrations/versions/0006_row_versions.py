"""row versions on tickets and supervision cases, so that of two concurrent actions one wins

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tickets", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("supervision_cases", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("supervision_cases") as batch:
        batch.drop_column("version")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("version")
