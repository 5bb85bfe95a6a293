"""every reached callback judges its round: the rollups stop carrying the callback counts

The headline reached / solved / satisfied / basically_satisfied / unsatisfied are now the period's
reached callbacks, read through ix_callbacks_at (hotline/services/cycle/callback_rounds.py), not one
latest callback per work order summed into the rollups: the rollups' five columns are dropped.

Revision ID: 0022_rounds
Revises: 0020_learning
"""
import sqlalchemy as sa
from alembic import op

revision = "0022_rounds"
down_revision = "0023_gaps"
branch_labels = None
depends_on = None

TABLES = ("report_rollups", "channel_rollups")
COLUMNS = ("reached", "solved", "satisfied", "basically_satisfied", "unsatisfied")


def upgrade() -> None:
    """Drop the callback counts from both rollup tables."""
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            for column in COLUMNS:
                batch_op.drop_column(column)


def downgrade() -> None:
    """Add the columns back at 0 (the older code's `rollups.rebuild` refills them)."""
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            for column in COLUMNS:
                batch_op.add_column(sa.Column(column, sa.Integer(), nullable=False, server_default="0"))
