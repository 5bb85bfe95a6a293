"""Registering a call, called directly: save first, then route, link repeats and watch for hot spots."""
from dataclasses import replace

import pytest
from sqlalchemy import select

from hotline.services.alerts import HotspotRules
from hotline.services.errors import InvalidInput
from hotline.services.intake import NewTicket, create_ticket
from hotline.services.places import load_gazetteer
from hotline.services.repeats import RepeatRules
from hotline.services.routing import RoutingEngine
from models import Alert, AppealType, EventAction, Ticket, TicketStatus
from tests.builders import CONTENT, actions, at, user

NOW = at(2026, 11, 16, 9)
ADDRESS = "衡阳市雁峰区先锋街道某小区3栋"


def call(**fields) -> NewTicket:
    """A complaint about the stairwell of a 雁峰区 estate."""
    return NewTicket(**{"content": CONTENT, "caller_phone": "13812345678", "appeal_type": AppealType.COMPLAINT,
                        "address": ADDRESS, **fields})


@pytest.fixture
def engine(app, session) -> RoutingEngine:
    """The app's routing engine (the small test model) with the city's places, never sure enough to dispatch alone."""
    return replace(app.extensions["hotline.routing"], gazetteer=load_gazetteer(session), threshold_override=1.01)


def register(session, engine, policy, now=NOW, **fields) -> Ticket:
    """Register a call as the operator and flush, as the view does before it commits."""
    ticket = create_ticket(session, call(**fields), user(session, "operator"), engine, policy, now)
    session.flush()
    return ticket


def test_a_confident_call_is_dispatched_by_the_router(session, policy, engine):
    ticket = register(session, replace(engine, threshold_override=0.0), policy)
    assert ticket.number == "2026111600001" and ticket.created_at == NOW
    assert ticket.created_by_id == user(session, "operator").id and ticket.title == CONTENT[:30]
    assert ticket.status == TicketStatus.DISPATCHED and ticket.district == "雁峰区"
    assert ticket.department_id == ticket.predicted_department_id is not None
    assert ticket.category.name == ticket.predicted_category and ticket.model_version
    assert [c["category"] for c in ticket.route_candidates][0] == ticket.predicted_category
    assert ticket.sign_by == at(2026, 11, 16, 11)
    assert actions(ticket) == [EventAction.CREATED, EventAction.ROUTED]
    assert ticket.events[-1].actor_id is None  # the system dispatched it


def test_an_unsure_call_waits_for_the_dispatcher_with_three_candidates(session, policy, engine):
    ticket = register(session, engine, policy)
    assert ticket.status == TicketStatus.PENDING_DISPATCH and ticket.department_id is None
    assert actions(ticket) == [EventAction.CREATED, EventAction.QUEUED]
    assert "below threshold 1.01" in ticket.routing_note == ticket.events[-1].note
    reason = ticket.events[-1].data["note"]
    assert ticket.routing_reason == reason
    assert (reason["code"], reason["params"]["threshold"]) == ("below_threshold", 1.01)
    assert reason["params"]["probability"] == pytest.approx(ticket.predicted_probability, abs=1e-4)
    assert len(ticket.route_candidates) == 3 and ticket.predicted_probability < 1.01


def test_without_a_model_the_call_is_kept_for_the_dispatcher(session, policy, engine):
    ticket = register(session, RoutingEngine(gazetteer=engine.gazetteer), policy)
    assert ticket.status == TicketStatus.PENDING_DISPATCH and ticket.routing_note == "no model"
    assert ticket.routing_reason == {"code": "no_model", "params": {}}
    assert ticket.district == "雁峰区" and ticket.predicted_category is None


def test_a_failing_model_loses_no_call(session, policy, engine, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("model exploded")

    monkeypatch.setattr(engine.router, "predict", explode)
    ticket = register(session, engine, policy)
    assert ticket.id is not None and ticket.status == TicketStatus.PENDING_DISPATCH
    assert ticket.routing_note == "routing failed; please assign by hand"
    assert ticket.routing_reason == {"code": "routing_failed", "params": {}}
    assert actions(ticket) == [EventAction.CREATED, EventAction.QUEUED]


def test_a_call_answered_on_the_spot_is_not_dispatched_but_counts_in_the_models_category(session, policy, engine):
    ticket = register(session, engine, policy, appeal_type=AppealType.CONSULTATION, resolved_on_call=True,
                      reply="公积金提取可在网厅办理。")
    assert ticket.status == TicketStatus.REPLIED and ticket.resolved_on_call and ticket.department_id is None
    assert ticket.predicted_category and ticket.category.name == ticket.predicted_category
    assert actions(ticket) == [EventAction.CREATED, EventAction.ANSWERED_ON_CALL]
    assert ticket.callback_due_at == at(2026, 11, 16, 17, 30)
    with pytest.raises(InvalidInput) as refused:
        register(session, engine, policy, resolved_on_call=True, reply="")
    assert refused.value.field == "reply"


def test_numbers_count_up_within_the_citys_day(session, policy, engine):
    first, second = register(session, engine, policy), register(session, engine, policy, caller_phone="13900000001")
    # 00:30 in Hengyang is still the 16th in UTC: the number follows the city's date.
    tomorrow = register(session, engine, policy, at(2026, 11, 17, 0, 30), caller_phone="13900000002")
    assert (first.number, second.number, tomorrow.number) == ("2026111600001", "2026111600002", "2026111700001")


def test_repeats_are_linked_to_the_first_ticket_of_the_matter(session, policy, engine):
    first = register(session, engine, policy)
    same_caller = register(session, engine, policy, at(2026, 11, 18), content=CONTENT.replace("大面积", "一大片"))
    assert same_caller.repeat_of is first and first.repeat_count == 1
    assert (same_caller.events[-1].action, same_caller.events[-1].data) == (EventAction.LINKED_REPEAT, {
        "original": first.number,
        "note": {"code": "repeat_of", "params": {"original": first.number, "reason": "same_caller"}}})
    assert same_caller.events[-1].note == f"repeat of {first.number} (same_caller)"
    assert first.events[-1].data == {"repeat": same_caller.number, "repeat_count": 1, "note": {
        "code": "repeated_by", "params": {"repeat": same_caller.number, "reason": "same_caller"}}}
    # A neighbour repeats the second ticket word for word: it still counts on the first.
    neighbour = register(session, engine, policy, at(2026, 11, 19), caller_phone="13900001111",
                         content=same_caller.content)
    assert neighbour.repeat_of is first and first.repeat_count == 2
    assert "same_place" in neighbour.events[-1].note


def test_the_policys_repeat_rules_decide_what_is_a_repeat(session, policy, engine):
    strict = replace(policy, repeat_rules=RepeatRules(place_similarity=1.1, caller_similarity=1.1))
    register(session, engine, strict)
    again = register(session, engine, strict)
    assert again.repeat_of is None and EventAction.LINKED_REPEAT not in actions(again)


@pytest.mark.parametrize("min_tickets, raised", [(2, True), (3, False)])
def test_the_policys_hot_spot_threshold_raises_an_alert(session, policy, engine, min_tickets, raised):
    rules = replace(policy, hotspot_rules=HotspotRules(min_tickets=min_tickets, window_hours=24))
    first = register(session, engine, rules)
    register(session, engine, rules, at(2026, 11, 16, 15), caller_phone="13900000001")
    alert = session.scalar(select(Alert))
    assert (alert is not None) == raised
    if raised:
        assert (alert.category, alert.district, alert.ticket_count) == (first.predicted_category, "雁峰区", 2)
