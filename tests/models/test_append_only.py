"""The history tables refuse UPDATE and DELETE in the database itself, whatever code (or person) tries."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from models import AuditEntry, EventAction, TicketEvent, TicketStatus

from ..builders import make_ticket

NOW = datetime(2026, 11, 16, 1, 0, tzinfo=UTC)


@pytest.fixture
def event_id(session) -> int:
    """A committed ticket event."""
    ticket = make_ticket(session, NOW)
    session.execute(insert(TicketEvent).values(ticket_id=ticket.id, at=NOW, action=EventAction.CREATED,
                                               to_status=TicketStatus.PENDING_DISPATCH, note="登记"))
    session.commit()
    return session.scalar(select(TicketEvent.id))


@pytest.mark.parametrize("statement", [
    lambda i: update(TicketEvent).where(TicketEvent.id == i).values(note="改写"),
    lambda i: update(TicketEvent).values(to_status=TicketStatus.CLOSED),
    lambda i: delete(TicketEvent).where(TicketEvent.id == i),
], ids=["update-one", "update-all", "delete"])
def test_ticket_events_refuse_update_and_delete(session, event_id, statement):
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(statement(event_id))
    session.rollback()
    assert session.scalar(select(TicketEvent.note).where(TicketEvent.id == event_id)) == "登记"


def test_raw_sql_is_refused_too(app, event_id):
    with app.extensions["hotline.engine"].connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text("UPDATE ticket_events SET note = 'x'"))


def test_audit_log_refuses_update_and_delete(session):
    session.add(AuditEntry(at=NOW, actor_name="admin", action="update", entity="departments", entity_id="1",
                           before={"name": "甲"}, after={"name": "乙"}))
    session.commit()
    for statement in (update(AuditEntry).values(after={"name": "丙"}), delete(AuditEntry)):
        with pytest.raises(DBAPIError, match="append-only"):
            session.execute(statement)
        session.rollback()
    assert session.scalar(select(AuditEntry.after).where(AuditEntry.entity == "departments")) == {"name": "乙"}


def test_adding_events_still_works(session, event_id):
    ticket_id = session.scalar(select(TicketEvent.ticket_id))
    session.execute(insert(TicketEvent).values(ticket_id=ticket_id, at=NOW, action=EventAction.ASSIGNED))
    session.commit()
    assert len(session.scalars(select(TicketEvent)).all()) == 2
