"""挂起 called directly: request, decide, resume; deadlines and flags against hand-worked figures.

The calendar of autumn 2026 (chinese_calendar): Fri 25 Sep is the Mid-autumn holiday, 1–7 Oct National Day
(the weekdays 1, 2, 5, 6, 7 off), Sat 10 Oct a make-up working day. Working hours 09:00–12:00, 13:30–17:30
(420 minutes a day). A complaint dispatched Tue 22 Sep 09:00 must be replied by Tue 29 Sep 17:30
(22, 23, 24, 28, 29: five working days, the holiday and the weekend skipped).
"""
from datetime import UTC

import pytest
from sqlalchemy import select

from hotline.services import pauses, workflow
from hotline.services.cycle import daily
from hotline.services.cycle.flags import flag_of, flag_sql, instant
from hotline.services.errors import InvalidInput, InvalidTransition, NotFound
from models import EventAction, PauseReason, PauseStatus, Ticket, TicketStatus
from tests.builders import REPLY, actions, at, dispatched, signed, user

DISPATCH = at(2026, 9, 22, 9)
ASKED, APPROVED = at(2026, 9, 23, 10), at(2026, 9, 23, 14)
WAITING = PauseReason.WAITING_CITIZEN


def paused_ticket(session, policy, days: int = 3):
    """A complaint signed by zjj on Tue 22 Sep, paused from Wed 23 Sep 14:00 for at most `days` working days."""
    ticket = signed(session, policy, DISPATCH)
    pauses.request_pause(session, ticket, WAITING, "等待市民提供房屋产权证明", days, user(session, "zjj"), policy, ASKED)
    pauses.decide_pause(session, ticket, True, user(session, "supervisor"), policy, APPROVED, "同意")
    session.flush()
    return ticket


def test_the_deadlines_of_the_example(session, policy):
    ticket = signed(session, policy, DISPATCH)
    assert ticket.reply_by == at(2026, 9, 29, 17, 30)
    assert ticket.reply_warn_at == at(2026, 9, 28, 17, 30)  # 80 % of 2100 minutes = 1680: four full days


def test_an_approved_pause_stops_the_clock_until_the_working_days_asked(session, policy):
    ticket = paused_ticket(session, policy)
    [pause] = pauses.of_ticket(session, ticket)
    assert pause.status == PauseStatus.ACTIVE and ticket.paused_at == APPROVED
    # 3 working days from Wed 14:00: Wed 210 + Thu 420 + (Fri holiday, weekend) Mon 420 + Tue 210 minutes.
    assert pause.until == at(2026, 9, 29, 14)
    assert actions(ticket)[-2:] == [EventAction.PAUSE_REQUESTED, EventAction.PAUSE_APPROVED]
    assert ticket.events[-2].data == {"reason": "waiting_citizen", "working_days": 3}


def test_while_paused_the_flag_is_judged_at_the_moment_it_was_paused(session, policy):
    ticket = paused_ticket(session, policy)
    moment = at(2026, 9, 29, 9, 59)  # past the yellow threshold of Mon 17:30, but paused since Wed 14:00
    assert flag_of(ticket, moment).value == "green"
    assert session.scalar(select(flag_sql(instant(moment))).where(Ticket.id == ticket.id)) == "green"
    ticket.paused_at = None  # the same ticket unpaused would be yellow
    assert flag_of(ticket, moment).value == "yellow"


def test_resuming_moves_the_deadlines_by_the_paused_working_time(session, policy):
    ticket = paused_ticket(session, policy)
    resumed = at(2026, 9, 29, 10)
    pauses.resume(session, ticket, user(session, "zjj"), policy, resumed)
    [pause] = pauses.of_ticket(session, ticket)
    # Wed 14:00–17:30 210 + Thu 420 + Fri (Mid-autumn) 0 + weekend 0 + Mon 420 + Tue 09:00–10:00 60 = 1110 minutes.
    assert pause.status == PauseStatus.ENDED and pause.paused_minutes == 1110 and pause.resumed_at == resumed
    assert ticket.paused_at is None
    # Tue 29 Sep 17:30 + 1110: Wed 30 420, (1–7 Oct National Day) Thu 8 Oct 420, Fri 9 Oct 09:00–12:00 180, 13:30 + 90.
    assert ticket.reply_by == at(2026, 10, 9, 15)
    assert ticket.reply_warn_at == at(2026, 10, 8, 15)  # Mon 28 Sep 17:30 + 1110 the same way
    event = ticket.events[-1]
    assert event.action == EventAction.RESUMED and event.data["paused_minutes"] == 1110
    assert event.data["automatic"] is False
    assert flag_of(ticket, at(2026, 10, 8, 14, 59)).value == "green"
    assert flag_of(ticket, at(2026, 10, 8, 15)).value == "yellow"


def test_the_daily_job_resumes_at_the_approved_end_counting_a_make_up_workday(session, policy):
    ticket = signed(session, policy, at(2026, 10, 8, 9))
    # Thu 8 Oct 09:00 + five working days: 8, 9, Sat 10 (make-up), 12, 13 → Tue 13 Oct 17:30.
    assert ticket.reply_by == at(2026, 10, 13, 17, 30)
    pauses.request_pause(session, ticket, PauseReason.WAITING_THIRD_PARTY, "等待供电公司出具检测报告", 2,
                         user(session, "zjj"), policy, at(2026, 10, 9, 8))
    pauses.decide_pause(session, ticket, True, user(session, "supervisor"), policy, at(2026, 10, 9, 9))
    [pause] = pauses.of_ticket(session, ticket)
    assert pause.until == at(2026, 10, 10, 17, 30)  # Fri 9 Oct and the make-up Saturday
    assert daily.run(session, policy, at(2026, 10, 10, 17))["pauses_resumed"] == 0  # not yet
    assert daily.run(session, policy, at(2026, 10, 12, 8))["pauses_resumed"] == 1  # Monday's job
    assert pause.resumed_at == at(2026, 10, 10, 17, 30) and pause.paused_minutes == 840 and pause.resumed_by_id is None
    assert ticket.reply_by == at(2026, 10, 15, 17, 30)  # Tue 13 Oct 17:30 + 840: Wed 14 and Thu 15
    assert ticket.events[-1].data["automatic"] is True


def test_a_reply_ends_the_pause_first_so_it_is_judged_against_the_moved_deadline(session, policy):
    ticket = paused_ticket(session, policy)
    workflow.reply(session, ticket, REPLY, user(session, "zjj"), at(2026, 9, 29, 10), policy=policy)
    assert actions(ticket)[-2:] == [EventAction.RESUMED, EventAction.REPLIED]
    assert ticket.events[-1].data["reply_by"] == at(2026, 10, 9, 15).astimezone(UTC).isoformat()  # on time
    assert ticket.reply_by == at(2026, 10, 9, 15) and ticket.paused_at is None


def test_a_paused_ticket_is_not_escalated(session, policy):
    ticket = paused_ticket(session, policy, days=10)
    assert daily.escalate_overdue(session, at(2026, 10, 9, 9)) == {"sign": 0, "reply": 0}
    assert ticket.status == TicketStatus.SIGNED


def test_a_rejected_pause_leaves_the_clock_running(session, policy):
    ticket = signed(session, policy, DISPATCH)
    pauses.request_pause(session, ticket, WAITING, "等待市民", 2, user(session, "zjj"), policy, ASKED)
    pauses.decide_pause(session, ticket, False, user(session, "supervisor"), policy, APPROVED, "理由不充分")
    assert ticket.paused_at is None and ticket.reply_by == at(2026, 9, 29, 17, 30)
    assert pauses.of_ticket(session, ticket)[0].status == PauseStatus.REJECTED
    assert actions(ticket)[-1] == EventAction.PAUSE_REJECTED


def test_bad_input_names_the_field(session, policy):
    ticket = signed(session, policy, DISPATCH)
    zjj = user(session, "zjj")
    with pytest.raises(InvalidInput) as error:
        pauses.request_pause(session, ticket, WAITING, "  ", 2, zjj, policy, ASKED)
    assert error.value.field == "note"
    with pytest.raises(InvalidInput) as error:
        pauses.request_pause(session, ticket, WAITING, "等待", policy.practice_rules.max_pause_working_days + 1, zjj,
                             policy, ASKED)
    assert error.value.field == "working_days" and error.value.params["maximum"] == 20


def test_states_that_do_not_allow_the_action_are_409s(session, policy):
    zjj, supervisor = user(session, "zjj"), user(session, "supervisor")
    unsigned = dispatched(session, policy, DISPATCH)
    with pytest.raises(InvalidTransition) as error:
        pauses.request_pause(session, unsigned, WAITING, "等待", 2, zjj, policy, ASKED)
    assert error.value.code == "action_not_allowed"
    ticket = signed(session, policy, DISPATCH)
    with pytest.raises(InvalidTransition, match="no pending pause"):
        pauses.decide_pause(session, ticket, True, supervisor, policy, APPROVED)
    with pytest.raises(InvalidTransition, match="not paused"):
        pauses.resume(session, ticket, zjj, policy, APPROVED)
    pauses.request_pause(session, ticket, WAITING, "等待", 2, zjj, policy, ASKED)
    with pytest.raises(InvalidTransition, match="already has a pause request"):
        pauses.request_pause(session, ticket, WAITING, "等待", 2, zjj, policy, ASKED)
    pauses.decide_pause(session, ticket, True, supervisor, policy, APPROVED)
    with pytest.raises(InvalidTransition, match="already paused"):
        pauses.request_pause(session, ticket, WAITING, "等待", 2, zjj, policy, APPROVED)


def test_another_units_ticket_cannot_be_paused(session, policy):
    ticket = signed(session, policy, DISPATCH)
    with pytest.raises(NotFound):
        pauses.request_pause(session, ticket, WAITING, "等待", 2, user(session, "jtj"), policy, ASKED)


def test_an_extension_after_a_pause_and_one_during_it_give_the_same_yellow_threshold(session, policy):
    """Paused time is no allowed time, whichever comes first: the pause or the extension (延期 2 working days).

    Paused Wed 23 Sep 14:00 – Tue 29 Sep 10:00: 1110 working minutes. Allowed 2100 + 840 = 2940, yellow at 80 %:
    2352 minutes used, i.e. 3462 working minutes after the dispatch with the pause: Tue 22 – Thu 24 Sep 1260
    (Fri 25 Mid-autumn), Mon 28 – Wed 30 Sep 1260, (1–7 Oct National Day) Thu 8 and Fri 9 Oct 840, then the
    make-up working Saturday 10 Oct 09:00 + 102 → 10:42. Reply-by: Fri 9 Oct 15:00 (after the pause) + two working
    days (Sat 10, Mon 12) → Mon 12 Oct 15:00. Taking the share of the whole 4050 minutes, the pause included,
    put the threshold at 3240 (Fri 9 Oct 15:30), 222 minutes (0.2 × the pause) early, when the extension came last.
    """
    zjj, supervisor = user(session, "zjj"), user(session, "supervisor")
    after, during = paused_ticket(session, policy), paused_ticket(session, policy)
    pauses.resume(session, after, zjj, policy, at(2026, 9, 29, 10))
    # `after` asks and is granted once resumed; `during` while still paused, then resumes at 10:00.
    for ticket, asked, granted in ((after, at(2026, 9, 29, 10, 30), at(2026, 9, 29, 11)),
                                   (during, at(2026, 9, 29, 9, 30), at(2026, 9, 29, 9, 45))):
        workflow.request_extension(session, ticket, "需等待鉴定机构出具报告", 2, zjj, policy, asked)
        workflow.decide_extension(session, ticket, True, supervisor, policy, granted)
    pauses.resume(session, during, zjj, policy, at(2026, 9, 29, 10))
    session.flush()
    for ticket in (after, during):
        assert ticket.reply_by == at(2026, 10, 12, 15)
        assert ticket.reply_warn_at == at(2026, 10, 10, 10, 42)
        for moment, flag in ((at(2026, 10, 10, 10, 41), "green"), (at(2026, 10, 10, 10, 42), "yellow")):
            assert flag_of(ticket, moment).value == flag
            assert session.scalar(select(flag_sql(instant(moment))).where(Ticket.id == ticket.id)) == flag
