"""The co-handled condition is cached by shape, never by unit: each unit's statement gets its own unit."""
from sqlalchemy import select

from hotline.services.access import CoHandled
from models import Ticket, TicketCoUnit


def co_handled_by(unit: int):
    return select(Ticket.id).where(CoHandled(select(TicketCoUnit.ticket_id).where(TicketCoUnit.department_id == unit)))


def test_two_units_share_the_compiled_statement_with_their_own_unit_bound():
    first, second = co_handled_by(1)._generate_cache_key(), co_handled_by(2)._generate_cache_key()
    assert first is not None and first == second  # compiled once
    assert [b.value for b in first.bindparams] == [1]
    assert [b.value for b in second.bindparams] == [2]
