"""An intake's cost in SQL statements stays small and does not depend on history (issue 9 item 1)."""
from contextlib import contextmanager
from dataclasses import replace

import pytest
from sqlalchemy import event, select

from hotline.services.intake import NewTicket, register_call
from hotline.services.places import load_gazetteer
from models import Alert, AppealType, TicketStatus
from tests.builders import CONTENT, at, user

NOW = at(2026, 11, 16, 9)
# Issue 9: "under 10" for a call dispatched and linked to a repeat. Two rows more may be written, one
# statement each: the Idempotency-Key, and the hot spot's alert when the call is part of one.
LIMIT, KEY, HOT_SPOT = 9, 1, 1


@contextmanager
def counted(session):
    """The SQL statements the session's engine runs inside the block (numbers taken on a side connection included)."""
    statements: list[str] = []
    engine = session.get_bind()

    def note(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement.split()[0].upper() + " " + statement[:120].replace("\n", " "))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


@pytest.fixture
def engine(app, session):
    """The app's routing engine with the city's places."""
    return replace(app.extensions["hotline.routing"], gazetteer=load_gazetteer(session))


def call(i: int, phone: str = "13812345678") -> NewTicket:
    """A complaint from 雁峰区, a little different each time."""
    return NewTicket(content=f"{CONTENT}（第{i}次来电）", caller_phone=phone, appeal_type=AppealType.COMPLAINT,
                     address="衡阳市雁峰区先锋街道某小区3栋")


def batched(statements: list[str]) -> int:
    """Statements as PostgreSQL sends them: SQLite writes one INSERT per event where PostgreSQL sends one for all.

    (SQLAlchemy batches an INSERT … RETURNING only where the rows come back in order: not on SQLite.)
    """
    events = [s for s in statements if s.startswith("INSERT INSERT INTO ticket_events")]
    return len(statements) - max(0, len(events) - 1)


@pytest.mark.parametrize("hot", [False, True], ids=["calm", "hot_spot"])
@pytest.mark.parametrize("keyed", [False, True], ids=["plain", "keyed"])
@pytest.mark.parametrize("threshold", [0.0, 1.01], ids=["dispatched", "queued"])
def test_an_intake_takes_fewer_than_ten_statements(session, policy, engine, threshold, keyed, hot):
    engine = replace(engine, threshold_override=threshold)
    operator = user(session, "operator")
    rules = replace(policy, hotspot_rules=replace(policy.hotspot_rules, min_tickets=2 if hot else 100))
    for i in range(2):  # the first calls of the matter (and of the hot spot, whose alert the second raises)
        register_call(session, call(i), operator, engine, rules, NOW)
    session.commit()
    with counted(session) as statements:
        intake = register_call(session, call(2), operator, engine, rules, NOW, idempotency_key="k-1" if keyed else None)
        session.flush()
    assert intake.ticket.repeat_of is not None  # the repeat search ran and linked it
    assert intake.ticket.status == (TicketStatus.DISPATCHED if threshold == 0.0 else TicketStatus.PENDING_DISPATCH)
    assert session.scalar(select(Alert.ticket_count)) == (3 if hot else None)  # the hot-spot check ran
    assert batched(statements) <= LIMIT + KEY * keyed + HOT_SPOT * hot, "\n".join(statements)


@pytest.mark.parametrize("threshold", [0.0, 1.01], ids=["dispatched", "queued"])
def test_the_answer_shows_a_new_ticket_without_reading_it_again(session, policy, engine, threshold):
    """After the commit the API renders the ticket: its unit, its predicted unit and co-units are already known."""
    engine = replace(engine, threshold_override=threshold)
    operator = user(session, "operator")
    ticket = register_call(session, call(0), operator, engine, policy, NOW).ticket
    session.commit()
    with counted(session) as statements:
        shown = (ticket.department, ticket.predicted_department, list(ticket.co_units), ticket.repeat_of)
    assert statements == []
    assert shown[1] is not None and shown[1].id == ticket.predicted_department_id
    assert shown[2] == []
