"""退单 reasons from a list, reported by reason; the returning unit is not offered first again."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from hotline.services import dispatching, returns, workflow
from hotline.services.cycle import periods
from hotline.services.errors import InvalidInput
from hotline.services.routing import RouteCandidate
from hotline.web.labels import RETURN_REASON
from models import EventAction, RoutingRule
from tests.builders import department, dispatched, user

from .conftest import NOW


def test_the_list_of_reasons_has_a_chinese_label_each():
    assert tuple(RETURN_REASON) == returns.REASONS


def test_a_return_keeps_its_listed_reason_and_the_units_words(session, policy):
    ticket = dispatched(session, policy, NOW)
    workflow.return_ticket(session, ticket, "属交通部门职责", user(session, "zjj"), policy, NOW,
                           reason_code="not_ours")
    event = ticket.events[-1]
    assert event.action == EventAction.RETURNED and event.note == "属交通部门职责"
    assert event.data == {"department": "zjj", "reason_code": "not_ours"} and returns.reason_of(event) == "not_ours"


def test_a_reason_off_the_list_is_a_400_naming_reason_code_and_nothing_changes(session, policy):
    ticket = dispatched(session, policy, NOW)
    with pytest.raises(InvalidInput) as refused:
        workflow.return_ticket(session, ticket, "不归我们管", user(session, "zjj"), policy, NOW, reason_code="lazy")
    assert refused.value.field == "reason_code" and refused.value.code == "bad_choice"
    assert ticket.return_count == 0 and ticket.events[-1].action == EventAction.ASSIGNED


def test_the_returning_unit_is_offered_last_never_first(session):
    zjj, jtj, cgj = (department(session, code) for code in ("zjj", "jtj", "cgj"))
    candidates = [RouteCandidate("城建", zjj, 0.6), RouteCandidate("交通", jtj, 0.3), RouteCandidate("城管", cgj, 0.1)]
    assert returns.offered_first(candidates, ["zjj"]) == [candidates[1], candidates[2], candidates[0]]
    assert returns.offered_first(candidates, ["zjj", "jtj"]) == [candidates[2], candidates[0], candidates[1]]
    assert returns.offered_first(candidates, []) == candidates


def test_the_queue_page_offers_the_returning_unit_last(session, policy):
    ticket = dispatched(session, policy, NOW)
    def category(code: str) -> str:
        return session.scalar(select(RoutingRule).where(RoutingRule.department_id == department(session, code).id,
                                                        RoutingRule.district.is_(None))).category.name

    ticket.route_candidates = [{"category": category("zjj"), "department": "zjj", "probability": 0.7},
                               {"category": category("jtj"), "department": "jtj", "probability": 0.2}]
    workflow.return_ticket(session, ticket, "不属于本单位", user(session, "zjj"), policy, NOW, reason_code="not_ours")
    session.flush()
    [first, second] = dispatching.page_candidates(session, None, [ticket])[ticket.id]
    assert first.department.code == "jtj" and second.department.code == "zjj"


def test_the_month_counts_returns_by_reason_per_unit_and_city_wide(session, policy):
    """Hand-worked: zjj returns two (not ours, wrong district), jtj one (other); one made next month is not counted."""
    month = periods.parse("monthly", "2026-11", policy.tz)
    made = [("zjj", "not_ours", NOW), ("zjj", "wrong_district", NOW + timedelta(hours=1)),
            ("jtj", "other", NOW + timedelta(hours=2)), ("jtj", "not_ours", NOW + timedelta(days=20))]
    for code, why, when in made:
        ticket = dispatched(session, policy, when, code)
        workflow.return_ticket(session, ticket, "说明", user(session, code), policy, when, reason_code=why)
    session.flush()
    counted = returns.by_reason(session, month)
    zero = dict.fromkeys(returns.REASONS, 0)
    assert counted == {
        "city": {**zero, "not_ours": 1, "wrong_district": 1, "other": 1},
        "zjj": {**zero, "not_ours": 1, "wrong_district": 1},
        "jtj": {**zero, "other": 1},
    }
    assert returns.by_reason(session, month, department(session, "jtj").id) == {"jtj": {**zero, "other": 1}}
