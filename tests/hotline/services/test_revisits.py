"""回头看's sample: a share of the tickets closed 2–6 weeks ago, the same whatever day the daily job draws it."""
from dataclasses import replace

from sqlalchemy import delete

from hotline.services import revisits
from models import Revisit, TicketStatus
from tests.builders import at, department, make_ticket


def test_the_sample_is_the_same_whatever_day_it_is_drawn(app, session, policy):
    """Hash of number + closing month: 10 % of 400 closings, the same ones on any run day, each once."""
    zjj = department(session, "zjj")
    closing = at(2026, 10, 5, 15)
    for i in range(400):
        make_ticket(session, closing, number=f"2026100500{i:03d}", status=TicketStatus.CLOSED,
                    closed_at=closing, department_id=zjj.id)
    session.commit()
    expected = {f"2026100500{i:03d}" for i in range(400) if revisits.picked(f"2026100500{i:03d}", "2026-10", 0.1)}
    assert 25 <= len(expected) <= 55  # about 10 %
    assert revisits.draw(session, policy, at(2026, 11, 1, 8)) == len(expected)
    assert revisits.draw(session, policy, at(2026, 11, 2, 8)) == 0  # idempotent
    drawn = {r.ticket.number for r in session.scalars(revisits.listed())}
    assert drawn == expected
    # Drawn on another day of the window instead: the same tickets.
    session.execute(delete(Revisit))
    session.commit()
    assert revisits.draw(session, policy, at(2026, 11, 10, 8)) == len(expected)
    assert {r.ticket.number for r in session.scalars(revisits.listed())} == expected
    # Too fresh (under 14 days) or too old (over 42 days): nothing.
    session.execute(delete(Revisit))
    session.commit()
    assert revisits.draw(session, policy, at(2026, 10, 18, 8)) == 0
    assert revisits.draw(session, policy, at(2026, 11, 17, 8)) == 0
    assert revisits.draw(session, replace(policy, revisit_rules=replace(policy.revisit_rules, share=0.0)),
                         at(2026, 11, 1, 8)) == 0
