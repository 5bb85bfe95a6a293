"""督办: a case closes while its ticket is open only with a reason; the unit keeps its own 整改清单."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from hotline.services import rectification, workflow
from hotline.services.cycle import supervision
from hotline.services.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from models import EventAction, Satisfaction, SupervisionCase, SupervisionLevel, SupervisionStatus
from tests.builders import dispatched, replied, user

from .conftest import NOW


def open_case(session, ticket) -> SupervisionCase:
    """A case on `ticket`, its responsible person named, no steps yet."""
    case = SupervisionCase(quarter="2026Q4", ticket=ticket, department_id=ticket.department_id, reasons=["difficult"],
                           level=SupervisionLevel.DEPARTMENT_HEAD, status=SupervisionStatus.OPEN, problem="疑难",
                           responsible_person="张科长", rectification=[], deadline=NOW + timedelta(days=10),
                           opened_at=NOW)
    session.add(case)
    session.flush()
    return case


def test_a_case_of_an_open_ticket_closes_only_with_a_reason(session, policy):
    case = open_case(session, dispatched(session, policy, NOW))
    supervisor = user(session, "supervisor")
    with pytest.raises(InvalidTransition) as refused:
        supervision.close(session, case, "已整改", supervisor, NOW)
    assert (refused.value.code, refused.value.field, refused.value.status) == (
        "supervision_ticket_open", "open_ticket_reason", 409)
    assert case.status == SupervisionStatus.OPEN
    supervision.close(session, case, "已整改", supervisor, NOW, open_ticket_reason="整改到位，工单待回复")
    assert case.status == SupervisionStatus.CLOSED
    assert case.details["closed_while_ticket_open"] == {"status": "dispatched", "reason": "整改到位，工单待回复"}
    event = case.ticket.events[-1]
    assert event.action == EventAction.SUPERVISION_CLOSED
    assert event.data["ticket_open"] == {"status": "dispatched", "reason": "整改到位，工单待回复"}


def test_a_case_of_a_closed_ticket_needs_no_reason(session, policy):
    ticket = replied(session, policy, NOW)
    workflow.record_callback(session, ticket, user(session, "supervisor"), policy, NOW, reached=True, solved=True,
                             satisfaction=Satisfaction.SATISFIED)
    case = open_case(session, ticket)
    supervision.close(session, case, "已整改", user(session, "supervisor"), NOW)
    assert case.status == SupervisionStatus.CLOSED and "ticket_open" not in case.ticket.events[-1].data


def test_the_unit_keeps_its_steps_and_each_change_is_an_event(session, policy):
    case = open_case(session, dispatched(session, policy, NOW))
    unit = user(session, "zjj")
    steps = [supervision.Step("约谈物业", date(2026, 11, 20), True), supervision.Step("现场复查", date(2026, 11, 25))]
    rectification.update_steps(session, case, steps, unit, NOW)
    assert case.rectification == [{"action": "约谈物业", "deadline": "2026-11-20", "done": True},
                                  {"action": "现场复查", "deadline": "2026-11-25", "done": False}]
    event = case.ticket.events[-1]
    assert (event.action, event.actor_id, event.data) == (EventAction.RECTIFICATION_UPDATED, unit.id,
                                                          {"case": case.id, "steps": 2, "done": 1})
    with pytest.raises(InvalidTransition) as pending:  # the supervisor still closes only when every step is done
        supervision.close(session, case, "已整改", user(session, "supervisor"), NOW, open_ticket_reason="x")
    assert pending.value.code == "supervision_steps_pending"


def test_only_the_responsible_unit_and_only_with_real_steps(session, policy):
    case = open_case(session, dispatched(session, policy, NOW))
    with pytest.raises(NotFound):
        rectification.update_steps(session, case, [], user(session, "jtj"), NOW)
    with pytest.raises(Forbidden):
        rectification.update_steps(session, case, [], user(session, "supervisor"), NOW)
    with pytest.raises(InvalidInput) as blank:
        rectification.update_steps(session, case, [supervision.Step("  ", date(2026, 11, 20))], user(session, "zjj"),
                                   NOW)
    assert (blank.value.field, blank.value.params) == ("rectification", {"index": 1})
    supervision.close(session, case, "已整改", user(session, "supervisor"), NOW, open_ticket_reason="x")
    with pytest.raises(InvalidTransition) as closed:
        rectification.update_steps(session, case, [], user(session, "zjj"), NOW)
    assert closed.value.code == "supervision_case_closed"
