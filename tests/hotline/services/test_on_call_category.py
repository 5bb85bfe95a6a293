"""即来即办 tickets carry a category (the knowledge-base entry's unit's, else the model's) so they count per category."""
from __future__ import annotations

from sqlalchemy import select

from hotline.services.intake import NewTicket, create_ticket
from hotline.services.routing import category_of_department
from models import AppealType, Department, EventAction, KBEntry, RoutingRule, TicketStatus
from tests.builders import user

from .conftest import NOW


def single_category_unit(session) -> Department:
    """A unit whose rules name exactly one category."""
    for unit in session.scalars(select(Department).join(RoutingRule, RoutingRule.department_id == Department.id)
                                .distinct().order_by(Department.code)):
        if category_of_department(session, unit) is not None:
            return unit
    raise AssertionError("the demo city has a unit with one category")


def test_a_knowledge_base_answer_gives_the_entrys_units_category(app, session, policy):
    from hotline.routing_setup import get_engine

    unit = single_category_unit(session)
    entry = KBEntry(question="问题", answer="答复口径。", department=unit.name, source="t-1")
    session.add(entry)
    session.flush()
    with app.app_context():
        ticket = create_ticket(session, NewTicket(content="请问怎么办理？", caller_phone="13800000001",
                                                  appeal_type=AppealType.CONSULTATION, kb_entry_id=entry.id),
                               user(session, "operator"), get_engine(), policy, NOW)
    assert ticket.status == TicketStatus.REPLIED and ticket.category == category_of_department(session, unit)
    [event] = [e for e in ticket.events if e.action == EventAction.ANSWERED_ON_CALL]
    assert event.data["category"] == ticket.category.name


def test_a_typed_answer_gives_the_models_category(app, session, policy):
    from hotline.routing_setup import get_engine

    with app.app_context():
        ticket = create_ticket(session, NewTicket(content="小区楼道墙皮脱落，物业不维修，怎么办？", caller_phone="13800000002",
                                                  appeal_type=AppealType.CONSULTATION, resolved_on_call=True,
                                                  reply="可向住建部门反映。"), user(session, "operator"), get_engine(),
                               policy, NOW)
    assert ticket.resolved_on_call and ticket.predicted_category
    assert ticket.category is not None and ticket.category.name == ticket.predicted_category
    assert ticket.department_id is None  # answered on the call: no unit's clock runs
