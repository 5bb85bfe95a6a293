"""回访 lists: what is due today, and unanswered attempts counted since the latest reply only."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hotline.services import callbacks, workflow
from models import Callback, TicketStatus

from ...builders import make_ticket
from .conftest import NOW


def test_unanswered_attempts_count_since_the_latest_reply(session, user):
    replied = make_ticket(session, NOW, status=TicketStatus.REPLIED, replied_at=NOW)
    other = make_ticket(session, NOW, status=TicketStatus.REPLIED, replied_at=NOW)
    supervisor = user("supervisor")
    for at, ticket, reached in ((NOW - timedelta(days=1), replied, False),  # before this reply: the earlier round
                                (NOW + timedelta(hours=1), replied, False), (NOW + timedelta(hours=2), replied, False),
                                (NOW + timedelta(hours=1), other, True)):
        session.add(Callback(ticket_id=ticket.id, attempt=1, at=at, actor_id=supervisor.id, reached=reached))
    session.flush()
    assert callbacks.unreached_counts(session, [replied.id, other.id]) == {replied.id: 2}
    assert workflow.unreached_attempts(session, replied) == 2
    assert workflow.unreached_attempts(session, other) == 0
    assert callbacks.unreached_counts(session, []) == {}


def test_the_day_ends_at_midnight_in_the_city(policy):
    late_evening = datetime(2026, 11, 16, 15, 30, tzinfo=UTC)  # 23:30 in Hengyang
    assert callbacks.end_of_day(policy, late_evening) == datetime(2026, 11, 16, 16, 0, tzinfo=UTC)
    assert callbacks.end_of_day(policy, late_evening + timedelta(hours=1)) == datetime(2026, 11, 17, 16, 0, tzinfo=UTC)


def test_todays_list_holds_what_is_due_by_midnight_most_overdue_first(session, policy):
    due_later = make_ticket(session, NOW, status=TicketStatus.REPLIED, replied_at=NOW,
                            callback_due_at=NOW + timedelta(days=2))
    overdue = make_ticket(session, NOW, status=TicketStatus.REPLIED, replied_at=NOW,
                          callback_due_at=NOW - timedelta(days=1))
    due_today = make_ticket(session, NOW, status=TicketStatus.REPLIED, replied_at=NOW,
                            callback_due_at=NOW + timedelta(hours=3))
    end = callbacks.end_of_day(policy, NOW)
    assert [t.number for t in session.scalars(callbacks.due(before=end))] == [overdue.number, due_today.number]
    assert [t.number for t in session.scalars(callbacks.due())] == [overdue.number, due_today.number, due_later.number]
    assert [t.number for t in session.scalars(callbacks.due(number=due_later.number))] == [due_later.number]
