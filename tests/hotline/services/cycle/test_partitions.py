"""ticket_events by month on PostgreSQL: the daily job makes the months ahead, moving strays from the default."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from hotline.services import workflow
from hotline.services.cycle import partitions
from models import TicketEvent
from tests.builders import make_ticket


@pytest.fixture
def pg_session(session):
    """The session, on PostgreSQL only (SQLite keeps a plain table)."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("ticket_events is partitioned on PostgreSQL only")
    return session


def rows_in(session, table: str) -> int:
    """Rows stored in one partition."""
    return session.scalar(text(f"SELECT count(*) FROM {table}"))


def test_months_ahead_are_made_and_an_early_event_moves_out_of_the_default(pg_session):
    session = pg_session
    far = datetime(2031, 5, 3, 2, tzinfo=UTC)  # no partition yet: the event lands in the default one
    ticket = make_ticket(session, far)
    workflow.receive(session, ticket, None, far)
    session.flush()
    assert rows_in(session, "ticket_events_default") == 1

    made = partitions.ensure_ahead(session, far)
    assert made == ["ticket_events_2031_05", "ticket_events_2031_06", "ticket_events_2031_07", "ticket_events_2031_08"]
    assert rows_in(session, "ticket_events_default") == 0 and rows_in(session, "ticket_events_2031_05") == 1
    assert session.scalar(select(func.count()).select_from(TicketEvent).where(TicketEvent.ticket_id == ticket.id)) == 1
    assert partitions.ensure_ahead(session, far) == []  # the next day: nothing to do
    session.rollback()  # the partitions go with the transaction: other tests see the migrated schema


def test_a_month_is_deferred_while_a_reader_holds_ticket_events_and_made_the_next_run(pg_session, app, monkeypatch):
    session = pg_session
    monkeypatch.setattr(partitions, "LOCK_TIMEOUT", "200ms")
    far = datetime(2031, 5, 3, 2, tzinfo=UTC)
    with app.extensions["hotline.engine"].connect() as reader:
        reader.execute(text("BEGIN"))
        reader.execute(text("SELECT count(*) FROM ticket_events"))  # a long report, say: its lock lasts
        assert partitions.ensure_ahead(session, far) == []  # waited 200 ms, then left the months for later
        reader.execute(text("ROLLBACK"))
    assert partitions.ensure_ahead(session, far)[0] == "ticket_events_2031_05"
    assert session.scalar(text("SHOW lock_timeout")) == "0"  # the job's own statements wait as before
    session.rollback()
