"""Alembic migrations of the hotline schema."""
