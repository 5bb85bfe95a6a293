"""indexes serving the unit inbox's orders at a million tickets

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tickets_department_status_reply_by", "tickets", ["department_id", "status", "reply_by"])
    op.create_index("ix_tickets_department_dispatched", "tickets", ["department_id", "dispatched_at"])


def downgrade() -> None:
    op.drop_index("ix_tickets_department_dispatched", table_name="tickets")
    op.drop_index("ix_tickets_department_status_reply_by", table_name="tickets")
