"""The Alembic migrations build exactly the schema the models describe (on PostgreSQL, ticket_events' partitions aside)."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

import models
from models.partitions import include_name


def test_migrations_match_the_models(database_url):
    engine = create_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False, "include_name": include_name})
        diff = compare_metadata(context, models.Base.metadata)
    engine.dispose()
    assert diff == []
