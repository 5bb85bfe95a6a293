"""Ticket lookup and a unit's inbox as services: who sees what, and the inbox's filters and orders."""
from __future__ import annotations

from datetime import timedelta

import pytest

from hotline.services import search
from hotline.services.cycle.rules import CycleRules
from hotline.services.errors import InvalidInput
from models import TicketStatus

from ...builders import department, make_ticket
from .conftest import NOW


def numbers(session, query) -> list[str]:
    return [t.number for t in session.scalars(query)]


def test_a_unit_user_finds_only_its_own_tickets_and_cannot_search_by_phone(session, user):
    zjj, jtj = department(session, "zjj"), department(session, "jtj")
    own = make_ticket(session, NOW, status=TicketStatus.DISPATCHED, department=zjj)
    make_ticket(session, NOW, status=TicketStatus.DISPATCHED, department=jtj)
    assert numbers(session, search.search_tickets(user("zjj"))) == [own.number]
    with pytest.raises(InvalidInput) as refused:
        search.search_tickets(user("zjj"), caller_phone="13800000000")
    assert refused.value.field == "caller_phone"


def test_the_centre_searches_by_every_filter_newest_first(session, user):
    zjj = department(session, "zjj")
    older = make_ticket(session, NOW - timedelta(hours=2), status=TicketStatus.DISPATCHED, department=zjj,
                        district="雁峰区", caller_phone="13911112222")
    newer = make_ticket(session, NOW, status=TicketStatus.DISPATCHED, department=zjj, district="雁峰区")
    make_ticket(session, NOW, district="石鼓区")
    operator = user("operator")
    assert numbers(session, search.search_tickets(operator, department_code="zjj")) == [newer.number, older.number]
    assert numbers(session, search.search_tickets(operator, caller_phone="13911112222")) == [older.number]
    assert numbers(session, search.search_tickets(operator, district="雁峰区", number=newer.number)) == [newer.number]
    assert numbers(session, search.search_tickets(operator, department_code="nosuch")) == []
    assert len(numbers(session, search.search_tickets(operator, statuses=[TicketStatus.PENDING_DISPATCH]))) == 1


def test_the_inbox_orders_by_the_nearest_deadline_and_filters_by_flag(session, user):
    zjj = department(session, "zjj")
    late = make_ticket(session, NOW, status=TicketStatus.SIGNED, department=zjj, dispatched_at=NOW - timedelta(days=3),
                       sign_by=NOW - timedelta(days=3), reply_by=NOW - timedelta(hours=1))
    soon = make_ticket(session, NOW, status=TicketStatus.DISPATCHED, department=zjj, dispatched_at=NOW,
                       sign_by=NOW + timedelta(hours=2), reply_by=NOW + timedelta(days=2))
    make_ticket(session, NOW, status=TicketStatus.CLOSED, department=zjj)
    rules = CycleRules()
    unit = user("zjj")
    assert numbers(session, search.inbox(unit, NOW, rules)) == [late.number, soon.number]
    assert numbers(session, search.inbox(unit, NOW, rules, sort="new")) == [soon.number, late.number]
    assert numbers(session, search.inbox(unit, NOW, rules, flag="red")) == [late.number]
    assert numbers(session, search.inbox(unit, NOW, rules, status="dispatched")) == [soon.number]
    assert len(numbers(session, search.inbox(unit, NOW, rules, status="all"))) == 3


def test_the_inbox_turns_black_at_the_configured_number_of_reopens(session, user):
    zjj = department(session, "zjj")
    reopened = make_ticket(session, NOW, status=TicketStatus.DISPATCHED, department=zjj, dispatched_at=NOW,
                           sign_by=NOW + timedelta(hours=2), reply_by=NOW + timedelta(days=2), reopen_count=2)
    unit = user("zjj")
    assert numbers(session, search.inbox(unit, NOW, CycleRules(), flag="black")) == [reopened.number]
    assert numbers(session, search.inbox(unit, NOW, CycleRules(black_after_reopens=3), flag="black")) == []
