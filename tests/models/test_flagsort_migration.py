"""Migration 0024 gives every existing ticket the rank of its stored flag, or of its final flag when none is stored."""
from datetime import UTC, datetime, timedelta

from alembic import command
from alembic.config import Config
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.db import MIGRATIONS_DIR, make_engine, upgrade_schema
from models import Ticket, TicketFlag, TicketStatus

from ..builders import make_ticket
from ..conftest import fresh_database

DAY = timedelta(days=1)
T0 = datetime(2025, 3, 3, 9, tzinfo=UTC)  # long before any real "now" the migration judges at


def test_the_migration_ranks_the_history(backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        upgrade_schema(url)
        engine = make_engine(url)
        closed = {"status": TicketStatus.CLOSED, "dispatched_at": T0, "closed_at": T0 + 9 * DAY}
        with Session(engine) as session:
            expected = {
                make_ticket(session, T0, **closed).number: 4,  # no deadline: no flag
                make_ticket(session, T0, **closed, reply_by=T0 + 5 * DAY, replied_at=T0 + DAY,
                            reply_warn_at=T0 + 3 * DAY, reply_black_at=T0 + 7 * DAY).number: 3,  # in time
                make_ticket(session, T0, **closed, reply_by=T0 + 5 * DAY, replied_at=T0 + 4 * DAY,
                            reply_warn_at=T0 + 3 * DAY, reply_black_at=T0 + 7 * DAY).number: 2,  # yellow
                make_ticket(session, T0, **closed, reply_by=T0 + 5 * DAY, replied_at=T0 + 6 * DAY,
                            reply_warn_at=T0 + 3 * DAY, reply_black_at=T0 + 7 * DAY).number: 1,  # late
                make_ticket(session, T0, **closed, reply_by=T0 + 5 * DAY, replied_at=T0 + 8 * DAY,
                            reply_warn_at=T0 + 3 * DAY, reply_black_at=T0 + 7 * DAY).number: 0,  # days late
                make_ticket(session, T0, **closed, reply_by=T0 + 5 * DAY, replied_at=T0 + DAY,
                            reply_warn_at=T0 + 3 * DAY, reply_black_at=T0 + 7 * DAY, reopen_count=2).number: 0,
                # A stored flag is taken as it is (the daily refresh judged it).
                make_ticket(session, T0, **closed, reply_by=T0 + 5 * DAY, replied_at=T0 + DAY,
                            flag=TicketFlag.RED).number: 1,
            }
            session.commit()
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        command.downgrade(config, "0020_learning")  # the tickets as they were before the column existed
        command.upgrade(config, "head")
        with Session(engine) as session:
            ranks = dict(session.execute(select(Ticket.number, Ticket.flag_rank)).all())
        engine.dispose()
    assert ranks == expected
