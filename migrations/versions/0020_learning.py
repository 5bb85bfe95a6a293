"""routing that learns: every retrain's promotion decision and both models' scores

Revision ID: 0020_learning
Revises: 0010_partitions
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = "0020_learning"
down_revision = "0018_screens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the retrain_decisions table."""
    op.create_table(
        "retrain_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decided_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.Enum("promoted", "kept", "skipped", name="retrainoutcome", native_enum=False,
                                     length=32), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("champion_version", sa.String(length=64), nullable=True),
        sa.Column("challenger_version", sa.String(length=64), nullable=True),
        sa.Column("holdout", sa.Integer(), nullable=False),
        sa.Column("history", sa.Integer(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retrain_decisions")),
    )
    op.create_index("ix_retrain_decisions_decided_at", "retrain_decisions", ["decided_at"])


def downgrade() -> None:
    """Drop the retrain_decisions table."""
    op.drop_index("ix_retrain_decisions_decided_at", table_name="retrain_decisions")
    op.drop_table("retrain_decisions")
