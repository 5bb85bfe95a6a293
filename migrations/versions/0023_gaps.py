"""round-robin among a unit's handlers: one cursor row per unit, locked while the next handler is picked

Revision ID: 0023_gaps
Revises: 0020_learning
"""
import sqlalchemy as sa
from alembic import op

revision = "0023_gaps"
down_revision = "0020_learning"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create handler_turns and start each unit's turn where its latest round-robin assignment left it."""
    turns = op.create_table(
        "handler_turns",
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("handler_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"],
                                name=op.f("fk_handler_turns_department_id_departments")),
        sa.ForeignKeyConstraint(["handler_id"], ["users.id"], name=op.f("fk_handler_turns_handler_id_users")),
        sa.PrimaryKeyConstraint("department_id", name=op.f("pk_handler_turns")),
    )
    events = sa.table("ticket_events", sa.column("id", sa.Integer()), sa.column("action", sa.String()),
                      sa.column("department_id", sa.Integer()), sa.column("data", sa.JSON()))
    users = sa.table("users", sa.column("id", sa.Integer()))
    existing = {row.id for row in op.get_bind().execute(sa.select(users.c.id))}
    last: dict[int, int] = {}
    # Few rows (handler assignments only, through the index on action); the data is read in Python, not per dialect.
    for row in op.get_bind().execute(sa.select(events.c.department_id, events.c.data)
                                     .where(events.c.action == "handler_assigned").order_by(events.c.id)):
        data = row.data or {}
        if row.department_id is not None and data.get("round_robin") and data.get("handler_id") in existing:
            last[row.department_id] = data["handler_id"]
    if last:
        op.bulk_insert(turns, [{"department_id": unit, "handler_id": handler} for unit, handler in last.items()])


def downgrade() -> None:
    """Drop handler_turns (the events keep every assignment)."""
    op.drop_table("handler_turns")
