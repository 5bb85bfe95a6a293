"""分级解决 called directly: intake grades, setting and changing a grade, co-handling units and their replies."""
from datetime import datetime

import pytest
from sqlalchemy import select

from hotline.services import access, grading, outbox, search, workflow
from hotline.services.live import live_counts
from hotline.services.cycle import supervision
from hotline.services.errors import InvalidInput, InvalidTransition
from models import (
    EventAction, OutboxMessage, Satisfaction, SupervisionCase, SupervisionLevel, SupervisionStatus, TicketGrade, TicketStatus,
)
from tests.builders import actions, at, department, dispatched, received, replied, signed, user

G = TicketGrade
NOW = at(2026, 11, 16, 9)
LATER = at(2026, 11, 16, 10)


def test_a_dispatch_defaults_to_b_and_an_answer_on_the_call_is_a(session, policy):
    assert dispatched(session, policy, NOW).grade == G.B
    ticket = received(session, NOW)
    workflow.answer_on_call(session, ticket, "已当场答复", user(session, "operator"), NOW, policy=policy)
    assert ticket.grade == G.A and grading.supervised_by(ticket.grade) == "on_the_spot"


def test_intake_grade_is_a_on_the_call_only():
    assert grading.intake_grade(None, True) == G.A
    assert grading.intake_grade(None, False) == G.B
    assert grading.intake_grade(G.D, False) == G.D
    with pytest.raises(InvalidInput) as refused:
        grading.intake_grade(G.A, False)
    assert (refused.value.code, refused.value.field) == ("grade_a_on_call_only", "grade")
    with pytest.raises(InvalidInput) as refused:
        grading.intake_grade(G.C, True)
    assert (refused.value.code, refused.value.field) == ("grade_on_call_is_a", "grade")


def test_grade_c_names_co_units_that_see_the_ticket_and_the_change_is_an_event(session, policy):
    ticket = dispatched(session, policy, NOW, "zjj")
    event = grading.set_grade(session, ticket, G.C, user(session, "dispatcher"), LATER, lead="zjj",
                              co_units=["jtj", "sthjj", "jtj"])
    assert ticket.grade == G.C and [c.department.code for c in ticket.co_units] == ["jtj", "sthjj"]
    assert event.action == EventAction.GRADED and event.actor_id == user(session, "dispatcher").id
    assert event.data == {"grade": "C", "previous": "B", "supervised_by": "department", "lead": "zjj",
                          "co_units": ["jtj", "sthjj"], "co_units_added": ["jtj", "sthjj"]}
    assert event.from_status == event.to_status == TicketStatus.DISPATCHED
    session.flush()
    # The co-unit finds it in its inbox and may open it; a unit that is neither still sees nothing of it.
    jtj = user(session, "jtj")
    assert ticket in session.scalars(search.inbox(jtj, LATER, policy.cycle_rules)).all()
    assert access.visible_ticket(session, ticket.number, jtj) is ticket
    assert ticket not in session.scalars(search.inbox(user(session, "jyj"), LATER, policy.cycle_rules)).all()


def test_grade_c_without_co_units_or_with_the_lead_as_co_unit_is_refused(session, policy):
    ticket = dispatched(session, policy, NOW, "zjj")
    dispatcher = user(session, "dispatcher")
    for kwargs, code, field in [
        ({}, "co_units_required", "co_units"),
        ({"co_units": ["zjj"]}, "co_unit_is_lead", "co_units"),
        ({"co_units": ["nope"]}, "unknown_department", "co_units"),
        ({"co_units": ["jtj"], "lead": "jtj"}, "lead_not_ticket_unit", "lead"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            grading.set_grade(session, ticket, G.C, dispatcher, LATER, **kwargs)
        assert (refused.value.code, refused.value.field) == (code, field)
    with pytest.raises(InvalidInput) as refused:
        grading.set_grade(session, ticket, G.D, dispatcher, LATER, co_units=["jtj"])
    assert (refused.value.code, refused.value.field) == ("co_units_only_for_c", "co_units")
    with pytest.raises(InvalidInput) as refused:
        grading.set_grade(session, ticket, G.A, dispatcher, LATER)
    assert (refused.value.code, refused.value.field) == ("grade_a_on_call_only", "grade")


def test_the_same_grade_again_and_a_replied_ticket_are_409s(session, policy):
    ticket = dispatched(session, policy, NOW)
    with pytest.raises(InvalidTransition) as refused:
        grading.set_grade(session, ticket, G.B, user(session, "supervisor"), LATER)
    assert refused.value.code == "grade_unchanged"
    done = replied(session, policy, NOW)
    with pytest.raises(InvalidTransition) as refused:
        grading.set_grade(session, done, G.D, user(session, "supervisor"), LATER)
    assert refused.value.code == "action_not_allowed"


def test_leaving_grade_c_drops_the_co_units(session, policy):
    ticket = dispatched(session, policy, NOW)
    grading.set_grade(session, ticket, G.C, user(session, "dispatcher"), LATER, co_units=["jtj"])
    event = grading.set_grade(session, ticket, G.D, user(session, "supervisor"), LATER)
    session.flush()
    assert ticket.co_units == [] and event.data["co_units"] == [] and event.data["supervised_by"] == "city_leader"
    assert actions(ticket)[-2:] == [EventAction.GRADED, EventAction.GRADED]


def test_a_co_unit_replies_its_part_once_and_the_lead_still_closes_the_handling(session, policy):
    ticket = signed(session, policy, NOW, "zjj")
    grading.set_grade(session, ticket, G.C, user(session, "dispatcher"), NOW, co_units=["jtj"])
    event = grading.reply_part(session, ticket, "公交站点已移位，配合完成。", user(session, "jtj"), LATER)
    assert event.action == EventAction.CO_UNIT_REPLIED and event.data == {"co_unit": "jtj"}
    assert ticket.status == TicketStatus.SIGNED  # a part is not the reply
    [part] = ticket.co_units
    assert part.replied_at == LATER and part.reply.startswith("公交站点")
    with pytest.raises(InvalidTransition) as refused:
        grading.reply_part(session, ticket, "再说一次", user(session, "jtj"), LATER)
    assert refused.value.code == "co_unit_already_replied"
    with pytest.raises(InvalidTransition) as refused:
        grading.reply_part(session, ticket, "我是主办", user(session, "zjj"), LATER)
    assert refused.value.code == "not_a_co_unit"
    workflow.reply(session, ticket, "已办结。", user(session, "zjj"), LATER, policy=policy)
    assert ticket.status == TicketStatus.REPLIED


def test_an_empty_part_is_a_400(session, policy):
    ticket = dispatched(session, policy, NOW)
    grading.set_grade(session, ticket, G.C, user(session, "dispatcher"), NOW, co_units=["jtj"])
    with pytest.raises(InvalidInput) as refused:
        grading.reply_part(session, ticket, "  ", user(session, "jtj"), LATER)
    assert (refused.value.code, refused.value.field) == ("reply_required", "reply")


def test_redispatching_to_a_co_unit_makes_it_the_lead_only(session, policy):
    ticket = dispatched(session, policy, NOW, "zjj")
    grading.set_grade(session, ticket, G.C, user(session, "dispatcher"), NOW, co_units=["jtj", "sthjj"])
    workflow.dispatch(session, ticket, department(session, "jtj"), None, policy, LATER,
                      actor=user(session, "dispatcher"))
    session.flush()
    assert [c.department.code for c in ticket.co_units] == ["sthjj"]


def test_grade_d_sends_a_supervision_case_to_a_city_leader(session, policy):
    assert supervision.level_for(["long_overdue"]) == SupervisionLevel.DEPARTMENT_HEAD
    assert supervision.level_for(["long_overdue"], G.D) == SupervisionLevel.CITY_LEADER
    ticket = dispatched(session, policy, NOW)
    case = SupervisionCase(quarter="2026Q4", ticket=ticket, department_id=ticket.department_id,
                           reasons=["long_overdue"], level=SupervisionLevel.DEPARTMENT_HEAD,
                           status=SupervisionStatus.OPEN, problem="超期", responsible_person="", rectification=[],
                           deadline=LATER, opened_at=NOW)
    session.add(case)
    session.flush()
    grading.set_grade(session, ticket, G.D, user(session, "supervisor"), LATER)
    assert case.level == SupervisionLevel.CITY_LEADER
    grading.set_grade(session, ticket, G.B, user(session, "supervisor"), LATER)
    assert case.level == SupervisionLevel.DEPARTMENT_HEAD
    assert session.scalar(select(SupervisionCase).where(SupervisionCase.id == case.id)).level == \
        SupervisionLevel.DEPARTMENT_HEAD


def test_after_a_reopen_the_co_unit_replies_its_part_again(session, policy):
    ticket = signed(session, policy, NOW, "zjj")
    grading.set_grade(session, ticket, G.C, user(session, "dispatcher"), NOW, co_units=["jtj"])
    grading.reply_part(session, ticket, "第一轮协办意见", user(session, "jtj"), NOW)
    workflow.reply(session, ticket, "已办结。", user(session, "zjj"), NOW, policy=policy)
    workflow.record_callback(session, ticket, user(session, "supervisor"), policy, LATER, reached=True, solved=False,
                             satisfaction=Satisfaction.UNSATISFIED)
    assert ticket.status == TicketStatus.DISPATCHED  # 重办: a new round
    later = at(2026, 11, 16, 11)
    grading.reply_part(session, ticket, "第二轮协办意见", user(session, "jtj"), later)
    assert ticket.co_units[0].reply == "第二轮协办意见" and ticket.co_units[0].replied_at == later


def unit_notices(session, code):
    """(ticket id, kind, co_unit) of the outbox rows addressed to unit `code`'s e-mail, oldest first."""
    session.flush()
    return [(m.ticket_id, m.kind, m.payload.get("co_unit")) for m in session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == f"{code}@example.gov.cn").order_by(OutboxMessage.id))]


def test_a_co_unit_is_notified_when_added_and_at_each_new_round_as_a_lead_unit_is(session, policy):
    for code in ("zjj", "jtj", "sthjj"):
        outbox.add_target(session, department(session, code).id, "email", f"{code}@example.gov.cn")
    ticket = signed(session, policy, NOW, "zjj")
    assert unit_notices(session, "zjj") == [(ticket.id, "new_ticket", None)]  # the lead's, at dispatch
    grading.set_grade(session, ticket, G.C, user(session, "dispatcher"), NOW, co_units=["jtj"])
    assert unit_notices(session, "jtj") == [(ticket.id, "new_ticket", "jtj")]
    # A second co-unit: only the new one hears of it; jtj, kept, is not told twice.
    event = grading.set_grade(session, ticket, G.C, user(session, "dispatcher"), NOW, co_units=["jtj", "sthjj"])
    assert event.data["co_units_added"] == ["sthjj"]
    assert unit_notices(session, "jtj") == [(ticket.id, "new_ticket", "jtj")]
    assert unit_notices(session, "sthjj") == [(ticket.id, "new_ticket", "sthjj")]
    assert unit_notices(session, "zjj") == [(ticket.id, "new_ticket", None)]  # grading tells the lead nothing
    # 重办: a new round asks every co-unit for its part again, and each is told, like the lead.
    workflow.reply(session, ticket, "已办结。", user(session, "zjj"), LATER, policy=policy)
    workflow.record_callback(session, ticket, user(session, "supervisor"), policy, LATER, reached=True, solved=False,
                             satisfaction=Satisfaction.UNSATISFIED)
    assert unit_notices(session, "zjj")[-1] == (ticket.id, "reopened", None)
    assert unit_notices(session, "jtj")[-1] == (ticket.id, "reopened", "jtj")
    assert unit_notices(session, "sthjj")[-1] == (ticket.id, "reopened", "sthjj")
    message = session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "jtj@example.gov.cn"))
    assert message.payload["department"] == "zjj"  # the lead unit, named in the co-unit's copy


def test_a_co_unit_counts_the_ticket_as_new_until_it_replies_its_part(session, policy):
    jtj = user(session, "jtj")
    empty = live_counts(session, jtj, policy, LATER)
    assert empty["counts"]["new"] == 0 and empty["latest"] is None
    ticket = signed(session, policy, NOW, "zjj")  # signed by the lead: no longer new to zjj
    grading.set_grade(session, ticket, G.C, user(session, "dispatcher"), LATER, co_units=["jtj"])
    session.flush()
    answer = live_counts(session, jtj, policy, LATER)
    assert answer["counts"] == {"new": 1, "due_today": 0, "overdue": 0}
    # The page announces it (live.js): it reached jtj when jtj was made a co-unit, after its dispatch to zjj.
    assert answer["latest"]["number"] == ticket.number and datetime.fromisoformat(answer["latest"]["at"]) == LATER
    assert answer["stamps"]["inbox"] != empty["stamps"]["inbox"]
    page = session.scalars(search.inbox(jtj, LATER, policy.cycle_rules)).all()
    assert grading.parts_awaited(page, jtj) == {ticket.id}
    assert live_counts(session, user(session, "zjj"), policy, LATER)["counts"]["new"] == 0
    grading.reply_part(session, ticket, "已配合完成。", jtj, LATER)
    session.flush()
    replied = live_counts(session, jtj, policy, LATER)
    assert replied["counts"]["new"] == 0 and replied["stamps"]["inbox"] != answer["stamps"]["inbox"]
    assert grading.parts_awaited(page, jtj) == set()
