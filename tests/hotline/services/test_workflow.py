"""The ticket lifecycle called directly (a session and a pinned `now`, no HTTP): what each step allows, refuses
and records."""
from dataclasses import replace
from datetime import UTC, timedelta

import pytest
from sqlalchemy import select

from hotline.services import sla, workflow
from hotline.services.errors import InvalidInput, InvalidTransition, NotFound
from models import Callback, EventAction, ExtensionRequest, ExtensionStatus, Satisfaction, TicketStatus
from tests.builders import (
    actions, at, department, dispatched, make_ticket, received, replied, signed, ticket_row, user,
)

S = TicketStatus
NOW = at(2026, 11, 16, 9)  # a working Monday morning: a complaint is signed by 11:00, replied by Friday 17:30
LATER = at(2026, 11, 16, 10)


def utc(moment) -> str:
    """A moment as events record it."""
    return moment.astimezone(UTC).isoformat()


def test_a_new_ticket_waits_for_dispatch_with_its_created_event(session):
    ticket = received(session, NOW)
    assert ticket.status == S.PENDING_DISPATCH
    [event] = ticket.events
    assert (event.action, event.from_status, event.to_status) == (EventAction.CREATED, None, S.PENDING_DISPATCH)
    assert event.actor_id == user(session, "operator").id and event.at == NOW and event.note == "phone"


def test_dispatch_starts_the_clock_from_the_policy_and_records_it(session, policy):
    ticket = dispatched(session, policy, NOW, "zjj")
    assert ticket.status == S.DISPATCHED and ticket.department.code == "zjj" and ticket.dispatched_at == NOW
    assert ticket.sign_by == at(2026, 11, 16, 11) and ticket.reply_by == at(2026, 11, 20, 17, 30)
    assert ticket.sign_warn_at is not None and ticket.reply_black_at is not None  # the flag thresholds
    event = ticket.events[-1]
    assert (event.action, event.from_status, event.to_status) == (EventAction.ASSIGNED, S.PENDING_DISPATCH,
                                                                  S.DISPATCHED)
    assert event.actor_id == user(session, "dispatcher").id and event.department_id == ticket.department_id
    assert event.data == {"department": "zjj", "category": None,
                          "sign_by": utc(ticket.sign_by), "reply_by": utc(ticket.reply_by)}


def test_the_policys_time_limits_set_the_deadlines(session, policy):
    limits = sla.validate_time_limits({**sla.DEFAULT_TIME_LIMITS, "complaint": {"sign": "1wh", "reply": "2wd"}})
    ticket = dispatched(session, replace(policy, time_limits=limits), NOW)
    assert ticket.sign_by == at(2026, 11, 16, 10) and ticket.reply_by == at(2026, 11, 17, 17, 30)


def test_routing_without_a_person_is_logged_as_routed_by_the_system(session, policy):
    ticket = received(session, NOW)
    event = workflow.dispatch(session, ticket, department(session, "jtj"), None, policy, NOW, note="auto")
    assert event.action == EventAction.ROUTED and event.actor_id is None and event.note == "auto"


def test_reassigning_records_the_unit_it_came_from_and_restarts_the_clock(session, policy):
    ticket = dispatched(session, policy, NOW, "jtj")
    event = workflow.dispatch(session, ticket, department(session, "zjj"), None, policy, LATER,
                              actor=user(session, "dispatcher"))
    assert event.from_status == event.to_status == S.DISPATCHED
    assert event.data["previous_department"] == "jtj" and event.data["department"] == "zjj"
    assert ticket.sign_by == at(2026, 11, 16, 12)  # two working hours from 10:00


# Each refused step: the ticket's stage, then the step; every one is an InvalidTransition and changes nothing.
REFUSED = {
    "sign a replied ticket": (replied, lambda s, t, p: workflow.sign(s, t, user(s, "zjj"), LATER)),
    "sign twice": (signed, lambda s, t, p: workflow.sign(s, t, user(s, "zjj"), LATER)),
    "reply before signing": (dispatched, lambda s, t, p: workflow.reply(s, t, "已办", user(s, "zjj"), LATER)),
    "return after signing": (signed, lambda s, t, p: workflow.return_ticket(s, t, "分错了", user(s, "zjj"), p, LATER)),
    "extension after the reply": (replied, lambda s, t, p: workflow.request_extension(
        s, t, "需要时间", 2, user(s, "zjj"), p, LATER)),
    "callback before the reply": (signed, lambda s, t, p: workflow.record_callback(
        s, t, user(s, "supervisor"), p, LATER, reached=True, solved=True, satisfaction=Satisfaction.SATISFIED)),
    "merge a dispatched ticket": (dispatched, lambda s, t, p: workflow.merge_repeat(
        s, t, received(s, NOW), user(s, "dispatcher"), LATER)),
    "assign a replied ticket": (replied, lambda s, t, p: workflow.dispatch(
        s, t, department(s, "jtj"), None, p, LATER, actor=user(s, "dispatcher"))),
    "answer on the call once dispatched": (dispatched, lambda s, t, p: workflow.answer_on_call(
        s, t, "已解答", user(s, "operator"), LATER)),
}


@pytest.mark.parametrize("name", REFUSED)
def test_a_step_the_status_does_not_allow_is_refused_and_changes_nothing(session, policy, name):
    stage, step = REFUSED[name]
    ticket = stage(session, NOW) if stage is received else stage(session, policy, NOW)
    status, history = ticket.status, actions(ticket)
    with pytest.raises(InvalidTransition, match=f"ticket {ticket.number} is {status.value}: "):
        step(session, ticket, policy)
    assert ticket.status == status and actions(ticket) == history


def test_a_unit_cannot_touch_another_units_ticket(session, policy):
    ticket = dispatched(session, policy, NOW, "zjj")
    with pytest.raises(NotFound) as refused:
        workflow.sign(session, ticket, user(session, "jtj"), LATER)
    assert refused.value.field == "number" and ticket.status == S.DISPATCHED


def test_sign_records_the_sign_by_in_force(session, policy):
    ticket = dispatched(session, policy, NOW)
    event = workflow.sign(session, ticket, user(session, "zjj"), LATER)
    assert ticket.status == S.SIGNED and ticket.signed_at == LATER
    assert (event.from_status, event.to_status, event.data) == (S.DISPATCHED, S.SIGNED,
                                                                {"sign_by": utc(at(2026, 11, 16, 11))})


def test_a_return_sends_the_ticket_back_to_the_dispatcher_without_a_clock(session, policy):
    ticket = dispatched(session, policy, NOW, "jtj")
    event = workflow.return_ticket(session, ticket, "不属于交通职责", user(session, "jtj"), policy, LATER)
    assert (event.action, event.from_status, event.to_status) == (EventAction.RETURNED, S.DISPATCHED,
                                                                  S.PENDING_DISPATCH)
    assert event.note == "不属于交通职责" and event.data == {"department": "jtj", "reason_code": "other"}
    assert ticket.return_count == 1 and ticket.department_id is None
    assert ticket.sign_by is None and ticket.reply_by is None and ticket.sign_warn_at is None


def test_a_return_needs_a_reason(session, policy):
    ticket = dispatched(session, policy, NOW)
    with pytest.raises(InvalidInput) as refused:
        workflow.return_ticket(session, ticket, "  ", user(session, "zjj"), policy, LATER)
    assert refused.value.field == "reason" and ticket.return_count == 0


@pytest.mark.parametrize("limit", [1, 2])
def test_the_return_limit_is_the_policys(session, policy, limit):
    policy = replace(policy, max_returns=limit)
    ticket = dispatched(session, policy, NOW, "zjj")
    dispatcher, unit = user(session, "dispatcher"), user(session, "zjj")
    for _ in range(limit):
        workflow.return_ticket(session, ticket, "不属于本单位", unit, policy, NOW)
        workflow.dispatch(session, ticket, department(session, "zjj"), None, policy, NOW, actor=dispatcher)
    with pytest.raises(InvalidTransition, match=f"already returned {limit} times"):
        workflow.return_ticket(session, ticket, "还是不属于", unit, policy, NOW)
    assert ticket.status == S.DISPATCHED and ticket.return_count == limit


def test_no_return_past_the_sign_limit(session, policy):
    ticket = dispatched(session, policy, NOW)
    with pytest.raises(InvalidTransition, match="past its sign limit"):
        workflow.return_ticket(session, ticket, "不属于本单位", user(session, "zjj"), policy,
                               at(2026, 11, 16, 11, 1))
    assert workflow.return_ticket(session, ticket, "不属于本单位", user(session, "zjj"), policy,
                                  at(2026, 11, 16, 11)).action == EventAction.RETURNED  # on the minute is in time


@pytest.mark.parametrize("days", [0, 16])
def test_extension_days_are_bounded_by_the_policy(session, policy, days):
    ticket = signed(session, policy, NOW)
    with pytest.raises(InvalidInput, match="between 1 and 15") as refused:
        workflow.request_extension(session, ticket, "需协调", days, user(session, "zjj"), policy, LATER)
    assert refused.value.field == "working_days"
    assert session.scalar(select(ExtensionRequest)) is None


def test_a_lower_extension_limit_in_the_policy_applies(session, policy):
    strict = replace(policy, max_extension_working_days=3)
    ticket = signed(session, strict, NOW)
    with pytest.raises(InvalidInput, match="between 1 and 3"):
        workflow.request_extension(session, ticket, "需协调", 4, user(session, "zjj"), strict, LATER)
    request = workflow.request_extension(session, ticket, "需协调", 3, user(session, "zjj"), strict, LATER)
    assert request.status == ExtensionStatus.PENDING and request.working_days == 3


def test_an_extension_needs_a_reason(session, policy):
    ticket = signed(session, policy, NOW)
    with pytest.raises(InvalidInput) as refused:
        workflow.request_extension(session, ticket, "", 3, user(session, "zjj"), policy, LATER)
    assert refused.value.field == "reason"


def test_an_approved_extension_moves_reply_by_by_working_days(session, policy):
    ticket = signed(session, policy, NOW)
    workflow.request_extension(session, ticket, "需协调施工队", 3, user(session, "zjj"), policy, LATER)
    assert ticket.events[-1].data == {"working_days": 3} and ticket.events[-1].note == "需协调施工队"
    request = workflow.decide_extension(session, ticket, True, user(session, "supervisor"), policy, LATER, "同意")
    assert request.status == ExtensionStatus.APPROVED and request.decided_at == LATER
    # Friday 11-20 17:30 plus Monday, Tuesday and Wednesday.
    assert ticket.reply_by == at(2026, 11, 25, 17, 30) and ticket.extension_count == 1
    event = ticket.events[-1]
    assert event.action == EventAction.EXTENSION_APPROVED and event.from_status == event.to_status == S.SIGNED
    assert event.data == {"working_days": 3, "previous_reply_by": at(2026, 11, 20, 17, 30).isoformat(),
                          "reply_by": ticket.reply_by.isoformat()}


def test_a_rejected_extension_keeps_the_deadline_and_the_unit_may_not_ask_again(session, policy):
    ticket = signed(session, policy, NOW)
    unit, supervisor = user(session, "zjj"), user(session, "supervisor")
    workflow.request_extension(session, ticket, "需要时间", 2, unit, policy, LATER)
    workflow.decide_extension(session, ticket, False, supervisor, policy, LATER, "不符合延期条件")
    assert ticket.reply_by == at(2026, 11, 20, 17, 30) and ticket.extension_count == 0
    assert ticket.events[-1].action == EventAction.EXTENSION_REJECTED
    with pytest.raises(InvalidTransition, match="extension request in this handling round"):
        workflow.request_extension(session, ticket, "再申请", 2, unit, policy, LATER)
    with pytest.raises(InvalidTransition, match="no pending extension"):
        workflow.decide_extension(session, ticket, True, supervisor, policy, LATER)


def test_a_return_voids_the_pending_extension_and_the_next_unit_may_ask(session, policy):
    ticket = dispatched(session, policy, NOW, "jtj")
    workflow.request_extension(session, ticket, "需协调", 3, user(session, "jtj"), policy, LATER)
    workflow.return_ticket(session, ticket, "不属于交通", user(session, "jtj"), policy, LATER)
    assert actions(ticket)[-2:] == [EventAction.EXTENSION_REJECTED, EventAction.RETURNED]
    assert ticket.events[-2].data == {"working_days": 3, "automatic": True}
    workflow.dispatch(session, ticket, department(session, "zjj"), None, policy, LATER,
                      actor=user(session, "dispatcher"))
    request = workflow.request_extension(session, ticket, "需要施工", 2, user(session, "zjj"), policy, LATER)
    assert request.department_id == department(session, "zjj").id


def test_a_reply_closes_an_undecided_extension_and_schedules_the_callback(session, policy):
    ticket = signed(session, policy, NOW)
    workflow.request_extension(session, ticket, "需要时间", 2, user(session, "zjj"), policy, LATER)
    event = workflow.reply(session, ticket, "已办结", user(session, "zjj"), LATER, policy=policy)
    assert actions(ticket)[-2:] == [EventAction.EXTENSION_REJECTED, EventAction.REPLIED]
    assert (event.from_status, event.to_status) == (S.SIGNED, S.REPLIED)
    assert event.data == {"reply_by": utc(at(2026, 11, 20, 17, 30))}
    assert ticket.reply == "已办结" and ticket.replied_at == LATER
    assert ticket.callback_due_at == at(2026, 11, 17, 10)  # CALLBACK_WORKING_DAYS = 1
    assert session.scalar(select(ExtensionRequest.status)) == ExtensionStatus.REJECTED


def test_an_empty_reply_is_refused(session, policy):
    ticket = signed(session, policy, NOW)
    with pytest.raises(InvalidInput) as refused:
        workflow.reply(session, ticket, "   ", user(session, "zjj"), LATER, policy=policy)
    assert refused.value.field == "reply" and ticket.status == S.SIGNED


def test_answered_on_the_call_goes_straight_to_the_callback(session, policy):
    ticket = received(session, NOW)
    with pytest.raises(InvalidInput) as refused:
        workflow.answer_on_call(session, ticket, "", user(session, "operator"), NOW, policy=policy)
    assert refused.value.field == "reply"
    event = workflow.answer_on_call(session, ticket, "可在网厅办理。", user(session, "operator"), NOW, policy=policy)
    assert (event.from_status, event.to_status) == (S.PENDING_DISPATCH, S.REPLIED)
    assert ticket.resolved_on_call and ticket.replied_at == NOW and ticket.callback_due_at == at(2026, 11, 16, 17, 30)


@pytest.mark.parametrize("attempts", [1, 3])
def test_unreached_callbacks_count_up_to_unreachable(session, policy, attempts):
    policy = replace(policy, max_callback_attempts=attempts)
    ticket = replied(session, policy, NOW)
    supervisor = user(session, "supervisor")
    for attempt in range(1, attempts):
        workflow.record_callback(session, ticket, supervisor, policy, LATER + timedelta(hours=2 * attempt),
                                 reached=False, comment="无人接听")
        assert ticket.status == S.REPLIED
        assert (ticket.events[-1].action, ticket.events[-1].data) == (EventAction.CALLBACK_UNREACHED,
                                                                      {"attempt": attempt})
    last = workflow.record_callback(session, ticket, supervisor, policy, at(2026, 11, 17), reached=False)
    assert last.attempt == attempts and not last.reached and last.satisfaction is None
    assert ticket.status == S.CLOSED and ticket.callback_unreachable and ticket.closed_at == at(2026, 11, 17)
    event = ticket.events[-1]
    assert (event.action, event.from_status, event.to_status) == (EventAction.CALLBACK_UNREACHABLE, S.REPLIED,
                                                                  S.CLOSED)
    assert event.data == {"attempt": attempts}


def test_unreached_attempts_count_only_since_the_latest_reply(session, policy):
    ticket = replied(session, policy, NOW)
    supervisor = user(session, "supervisor")
    workflow.record_callback(session, ticket, supervisor, policy, LATER, reached=False)
    workflow.record_callback(session, ticket, supervisor, policy, LATER, reached=True, solved=False,
                             satisfaction=Satisfaction.UNSATISFIED)
    workflow.sign(session, ticket, user(session, "zjj"), at(2026, 11, 17))
    workflow.reply(session, ticket, "已彻底修复", user(session, "zjj"), at(2026, 11, 18), policy=policy)
    assert workflow.unreached_attempts(session, ticket) == 0
    callback = workflow.record_callback(session, ticket, supervisor, policy, at(2026, 11, 18, 10), reached=False)
    assert callback.attempt == 1 and ticket.status == S.REPLIED


@pytest.mark.parametrize("missing", ["solved", "satisfaction"])
def test_a_reached_callback_needs_solved_and_satisfaction(session, policy, missing):
    ticket = replied(session, policy, NOW)
    answers = {"solved": True, "satisfaction": Satisfaction.SATISFIED, missing: None}
    with pytest.raises(InvalidInput) as refused:
        workflow.record_callback(session, ticket, user(session, "supervisor"), policy, LATER, reached=True, **answers)
    assert refused.value.field == missing
    assert session.scalar(select(Callback)) is None and ticket.status == S.REPLIED


def test_a_satisfied_callback_closes_the_ticket(session, policy):
    ticket = replied(session, policy, NOW)
    callback = workflow.record_callback(session, ticket, user(session, "supervisor"), policy, LATER, reached=True,
                                        solved=True, satisfaction=Satisfaction.BASICALLY_SATISFIED, comment="还行")
    assert callback.attempt == 1 and callback.department_id == ticket.department_id
    assert ticket.status == S.CLOSED and ticket.closed_at == LATER and ticket.solved
    event = ticket.events[-1]
    assert (event.action, event.from_status, event.to_status, event.note) == (EventAction.CLOSED, S.REPLIED,
                                                                              S.CLOSED, "还行")
    assert event.data == {"solved": True, "satisfaction": "basically_satisfied"}


@pytest.mark.parametrize("solved, satisfaction", [(False, Satisfaction.SATISFIED), (True, Satisfaction.UNSATISFIED)])
def test_an_unsolved_or_unsatisfied_callback_reopens_to_the_same_unit_with_a_fresh_clock(
        session, policy, solved, satisfaction):
    ticket = replied(session, policy, NOW, "jtj")
    reopened_at = at(2026, 11, 17, 14)  # Tuesday afternoon
    workflow.record_callback(session, ticket, user(session, "supervisor"), policy, reopened_at, reached=True,
                             solved=solved, satisfaction=satisfaction, comment="没修好")
    assert ticket.status == S.DISPATCHED and ticket.department.code == "jtj" and ticket.reopen_count == 1
    assert ticket.dispatched_at == reopened_at and ticket.sign_by == at(2026, 11, 17, 16)
    assert ticket.reply_by == at(2026, 11, 24, 14) and ticket.signed_at is None and ticket.replied_at is None
    event = ticket.events[-1]
    assert (event.action, event.from_status, event.to_status) == (EventAction.REOPENED, S.REPLIED, S.DISPATCHED)
    assert event.data == {"solved": solved, "satisfaction": satisfaction.value,
                          "sign_by": utc(ticket.sign_by), "reply_by": utc(ticket.reply_by)}


def test_a_call_answered_on_the_spot_reopens_to_the_dispatcher(session, policy):
    ticket = received(session, NOW)
    workflow.answer_on_call(session, ticket, "可在网厅办理。", user(session, "operator"), NOW, policy=policy)
    workflow.record_callback(session, ticket, user(session, "supervisor"), policy, LATER, reached=True,
                             solved=False, satisfaction=Satisfaction.UNSATISFIED)
    assert ticket.status == S.PENDING_DISPATCH and ticket.reopen_count == 1 and ticket.sign_by is None
    assert (ticket.events[-1].action, ticket.events[-1].to_status) == (EventAction.REOPENED, S.PENDING_DISPATCH)


def test_merging_a_repeat_closes_it_into_the_first_ticket_of_the_matter(session):
    first, second, duplicate = (received(session, NOW) for _ in range(3))
    second.repeat_of, first.repeat_count = first, 1  # second already repeats first
    event = workflow.merge_repeat(session, duplicate, second, user(session, "dispatcher"), LATER)
    assert duplicate.status == S.CLOSED and duplicate.closed_at == LATER
    assert duplicate.repeat_of is first and first.repeat_count == 2  # links point at the first ticket
    assert (event.action, event.from_status, event.to_status) == (EventAction.MERGED, S.PENDING_DISPATCH, S.CLOSED)
    assert event.data == {"original": first.number, "previous_original": None,
                          "note": {"code": "merged_into", "params": {"original": first.number}}}
    assert event.note == f"merged into {first.number}"
    assert (first.events[-1].action, first.events[-1].data) == (
        EventAction.LINKED_REPEAT, {"repeat": duplicate.number, "merged": True, "repeat_count": 2,
                                    "note": {"code": "merged_here", "params": {"repeat": duplicate.number}}})


def test_merging_moves_the_duplicates_own_repeats_and_its_old_link(session):
    original, elsewhere, duplicate, child = (received(session, NOW) for _ in range(4))
    duplicate.repeat_of, elsewhere.repeat_count = elsewhere, 1
    child.repeat_of, duplicate.repeat_count = duplicate, 1
    session.flush()
    workflow.merge_repeat(session, duplicate, original, user(session, "dispatcher"), LATER)
    assert child.repeat_of is original and duplicate.repeat_of is original
    assert (original.repeat_count, elsewhere.repeat_count, duplicate.repeat_count) == (2, 0, 0)
    assert elsewhere.events[-1].data == {"unlinked": duplicate.number, "repeat_count": 0, "note": {
        "code": "unlinked_by_merge", "params": {"repeat": duplicate.number, "original": original.number}}}
    assert child.events[-1].data == {"original": original.number, "previous_original": duplicate.number,
                                     "note": {"code": "repeat_of_merged", "params": {"original": original.number}}}
    assert child.events[-1].note == f"repeat of {original.number} (merged)"


def test_a_ticket_is_not_merged_into_itself(session):
    ticket = received(session, NOW)
    with pytest.raises(InvalidInput) as refused:
        workflow.merge_repeat(session, ticket, ticket, user(session, "dispatcher"), LATER)
    assert refused.value.field == "original" and ticket.status == S.PENDING_DISPATCH


def test_difficult_is_flagged_once_with_a_reason_until_closed(session, policy):
    ticket = dispatched(session, policy, NOW)
    supervisor = user(session, "supervisor")
    with pytest.raises(InvalidInput) as refused:
        workflow.flag_difficult(session, ticket, " ", supervisor, LATER)
    assert refused.value.field == "reason" and not ticket.difficult
    event = workflow.flag_difficult(session, ticket, "涉及多部门", supervisor, LATER)
    assert ticket.difficult and event.note == "涉及多部门" and event.from_status == event.to_status == S.DISPATCHED
    with pytest.raises(InvalidTransition, match="already flagged"):
        workflow.flag_difficult(session, ticket, "再次", supervisor, LATER)
    closed = make_ticket(session, NOW, status=S.CLOSED)
    with pytest.raises(InvalidTransition):
        workflow.flag_difficult(session, closed, "太晚了", supervisor, LATER)


def test_the_events_of_a_whole_life_chain_their_statuses(session, policy):
    ticket = replied(session, policy, NOW)
    supervisor = user(session, "supervisor")
    workflow.record_callback(session, ticket, supervisor, policy, LATER, reached=True, solved=False,
                             satisfaction=Satisfaction.UNSATISFIED)
    workflow.sign(session, ticket, user(session, "zjj"), at(2026, 11, 17))
    workflow.reply(session, ticket, "已彻底修复", user(session, "zjj"), at(2026, 11, 18), policy=policy)
    workflow.record_callback(session, ticket, supervisor, policy, at(2026, 11, 19), reached=True, solved=True,
                             satisfaction=Satisfaction.SATISFIED)
    session.flush()
    ticket = ticket_row(session, ticket.number)
    assert actions(ticket) == [EventAction.CREATED, EventAction.ASSIGNED, EventAction.SIGNED, EventAction.REPLIED,
                               EventAction.REOPENED, EventAction.SIGNED, EventAction.REPLIED, EventAction.CLOSED]
    for before, after in zip(ticket.events, ticket.events[1:]):
        assert after.from_status == before.to_status, after.action
    assert ticket.events[-1].to_status == ticket.status == S.CLOSED

