"""Manual assignment, merging and the dispatcher's queue, called as services."""
from __future__ import annotations

import pytest

from hotline.services import dispatching, workflow
from hotline.services.errors import InvalidInput, InvalidTransition, NotFound
from models import EventAction, TicketStatus

from ...builders import make_ticket
from .conftest import NOW


def queued(session, **fields):
    """A ticket waiting in the dispatcher's queue."""
    ticket = make_ticket(session, NOW, **fields)
    workflow.record(session, ticket, EventAction.QUEUED, None, NOW)
    return ticket


def test_assignment_infers_the_category_when_the_unit_has_only_one(session, policy, user):
    ticket = queued(session)
    event = dispatching.assign(session, ticket, "jtj", None, user("dispatcher"), policy, NOW, note="交通问题")
    assert ticket.status == TicketStatus.DISPATCHED and ticket.department.code == "jtj"
    assert ticket.category.name == "交通"  # the training label comes from the unit's only category
    assert event.action == EventAction.ASSIGNED and event.data["category"] == "交通" and event.note == "交通问题"


def test_assignment_leaves_the_category_open_when_the_unit_has_several(session, policy, user):
    ticket = queued(session)
    dispatching.assign(session, ticket, "wlj", None, user("dispatcher"), policy, NOW)  # 文娱 and 旅游
    assert ticket.department.code == "wlj" and ticket.category is None


def test_a_named_category_wins_over_the_inference(session, policy, user):
    ticket = queued(session)
    dispatching.assign(session, ticket, "wlj", "旅游", user("dispatcher"), policy, NOW)
    assert ticket.category.name == "旅游"


@pytest.mark.parametrize(("unit", "category", "field"), [("nosuch", None, "department"), ("jtj", "外星人", "category")])
def test_an_unknown_unit_or_category_is_refused_naming_the_field(session, policy, user, unit, category, field):
    ticket = queued(session)
    with pytest.raises(InvalidInput) as refused:
        dispatching.assign(session, ticket, unit, category, user("dispatcher"), policy, NOW)
    assert refused.value.field == field
    assert ticket.status == TicketStatus.PENDING_DISPATCH and ticket.department_id is None


def test_merge_finds_the_original_by_number(session, user):
    original = make_ticket(session, NOW, status=TicketStatus.DISPATCHED)
    duplicate = queued(session)
    dispatching.merge(session, duplicate, original.number, user("dispatcher"), NOW, note="同一件事")
    assert duplicate.status == TicketStatus.CLOSED and duplicate.repeat_of is original
    assert original.repeat_count == 1


def test_merge_into_a_missing_ticket_is_a_404_on_original(session, user):
    with pytest.raises(NotFound) as missing:
        dispatching.merge(session, queued(session), "20990101999", user("dispatcher"), NOW)
    assert missing.value.field == "original"


def test_a_dispatched_ticket_cannot_be_merged(session, policy, user):
    original, ticket = queued(session), queued(session)
    dispatching.assign(session, ticket, "jtj", None, user("dispatcher"), policy, NOW)
    with pytest.raises(InvalidTransition):
        dispatching.merge(session, ticket, original.number, user("dispatcher"), NOW)


def test_the_queue_filters_returned_and_repeat_tickets(session):
    fresh = queued(session)
    returned = queued(session, return_count=1)
    repeat = queued(session, repeat_of=fresh)
    make_ticket(session, NOW, status=TicketStatus.DISPATCHED)  # not waiting for anyone

    def numbers(**filters):
        return {t.number for t in session.scalars(dispatching.queue(**filters))}

    assert numbers() == {fresh.number, returned.number, repeat.number}
    assert numbers(kind="returned") == {returned.number}
    assert numbers(kind="repeat") == {repeat.number}
    assert numbers(kind="new") == {fresh.number, repeat.number}
    assert {t.number for t in session.scalars(dispatching.waiting())} == numbers()


def test_return_events_are_read_for_a_whole_page_at_once(session, policy, user):
    ticket = queued(session)
    dispatching.assign(session, ticket, "jtj", None, user("dispatcher"), policy, NOW)
    workflow.return_ticket(session, ticket, "不属于本单位", user("jtj"), policy, NOW)
    other = queued(session)
    returns = dispatching.return_events(session, [ticket.id, other.id])
    assert [(e.note, e.department.code) for e in returns[ticket.id]] == [("不属于本单位", "jtj")]
    assert other.id not in returns
