"""indexes for the pending-extension list and the hot-spot check

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_extension_requests_status", "extension_requests", ["status"])
    op.create_index("ix_tickets_district_predicted_created", "tickets",
                    ["district", "predicted_category", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_tickets_district_predicted_created", table_name="tickets")
    op.drop_index("ix_extension_requests_status", table_name="extension_requests")
