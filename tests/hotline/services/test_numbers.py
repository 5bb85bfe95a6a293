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
