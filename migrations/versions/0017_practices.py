"""practices from the field: confidential callers (保密)

Revision ID: 0017_practices
Revises: 0010_partitions
"""
import sqlalchemy as sa
from alembic import op

revision = "0017_practices"
down_revision = "0021_scale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.add_column(sa.Column("confidential", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("confidential")
