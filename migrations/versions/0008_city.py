"""a city of its own: the gazetteer in the database, and the years whose holiday schedule was entered

Revision ID: 0008_city
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = "0008_city"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the places and calendar_years tables."""
    op.create_table(
        "places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.Enum("city", "district", "street", "alias", name="placekind", native_enum=False,
                                  length=32), nullable=False),
        sa.Column("district", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
        sa.UniqueConstraint("name", name=op.f("uq_places_name")),
    )
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entered_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["entered_by_id"], ["users.id"], name=op.f("fk_calendar_years_entered_by_id_users")),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_years")),
    )


def downgrade() -> None:
    """Drop them again."""
    op.drop_table("calendar_years")
    op.drop_table("places")
