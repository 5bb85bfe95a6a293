"""Ticket numbers: date + daily sequence, unique."""
from datetime import date

from hotline.services.numbers import next_ticket_number


def test_sequence_per_day_restarts_each_day(session):
    assert next_ticket_number(session, date(2026, 11, 21)) == "2026112100001"
    assert next_ticket_number(session, date(2026, 11, 21)) == "2026112100002"
    assert next_ticket_number(session, date(2026, 11, 22)) == "2026112200001"
    session.commit()
    assert next_ticket_number(session, date(2026, 11, 21)) == "2026112100003"
    session.rollback()


def test_an_open_intake_does_not_hold_the_days_counter(app, session):
    """Two intakes in flight take numbers without waiting on each other; a failed one leaves a gap."""
    import pytest
    from sqlalchemy import text

    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers: the number is taken inside the intake's transaction")
    first = next_ticket_number(session, date(2026, 11, 21))  # session's transaction stays open
    with app.extensions["hotline.sessionmaker"]() as other:
        other.execute(text("SET LOCAL lock_timeout = '2s'"))  # waiting on `session` would fail here
        second = next_ticket_number(other, date(2026, 11, 21))
        other.commit()
    session.rollback()  # the first intake failed: its number is not handed out again
    with app.extensions["hotline.sessionmaker"]() as third:
        assert [first, second, next_ticket_number(third, date(2026, 11, 21))] == [
            "2026112100001", "2026112100002", "2026112100003"]
