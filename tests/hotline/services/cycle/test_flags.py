"""红绿黑旗: the stored thresholds give exactly sla.flag_for's answer, in Python and in SQL; flags over the API."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from hotline.services import sla
from hotline.services.cycle import flags
from hotline.services.policy import Policy
from hotline.services.workcal import WorkCalendar
from models import AppealType, Ticket, TicketStatus, Urgency

from tests.builders import at, new_ticket
from tests.hotline.api.helpers import BY_HAND, Desk

CALENDAR = WorkCalendar()
POLICY = Policy(calendar=CALENDAR, timezone="Asia/Shanghai",
                time_limits=sla.validate_time_limits(sla.DEFAULT_TIME_LIMITS))

# (dispatched at, appeal type, urgency, enterprise): weekdays, a weekend, National Day 2026 with its make-up
# Saturday (10-10), an urgent ticket at night (no working time at all: flag_for falls back to natural time),
# a weekend dispatch, an enterprise appeal (calendar days and months).
CLOCKS = [
    (at(2026, 11, 16, 9), "complaint", "normal", False),
    (at(2026, 11, 20, 16), "complaint", "normal", False),
    (at(2026, 9, 30, 15), "help", "normal", False),
    (at(2026, 11, 16, 20), "complaint", "urgent", False),
    (at(2026, 11, 21, 10, 17), "consultation", "normal", False),
    (at(2026, 11, 16, 9, 0), "suggestion", "normal", True),
]


def clocked_ticket(start, appeal_type, urgency, enterprise, **columns) -> Ticket:
    """An unsaved ticket dispatched at `start` with its deadlines and thresholds, as workflow._start_clock leaves it."""
    deadlines = sla.deadlines(start, appeal_type, urgency, enterprise, CALENDAR)
    ticket = new_ticket(**{
        "status": TicketStatus.DISPATCHED, "appeal_type": AppealType(appeal_type), "urgency": Urgency(urgency),
        "created_at": start, "dispatched_at": start, "sign_by": deadlines.sign_by, "reply_by": deadlines.reply_by,
        "enterprise_credit_code": "91430400MA4L8XXX0J" if enterprise else None, **columns})
    flags.set_thresholds(ticket, POLICY)
    return ticket


def instants(start, end, step=timedelta(minutes=7, seconds=13)):
    """A grid of instants from just before `start` to `end`, off the minute so boundaries are crossed."""
    moment = start - timedelta(hours=1)
    while moment <= end:
        yield moment
        moment += step


@pytest.mark.parametrize("clock", CLOCKS, ids=lambda c: f"{c[1]}-{c[0]:%m%d%H%M}")
def test_open_ticket_flags_agree_with_flag_for(clock):
    start = clock[0]
    ticket = clocked_ticket(*clock)
    horizon = CALENDAR.add_working_days(ticket.reply_by, 8)
    checked = 0
    for now in instants(start, horizon, step=timedelta(minutes=53, seconds=7)):
        ticket.status = TicketStatus.DISPATCHED
        expected = max(sla.flag_for(start, ticket.sign_by, now, CALENDAR),
                       sla.flag_for(start, ticket.reply_by, now, CALENDAR), key=flags.SEVERITY.index)
        assert flags.flag_of(ticket, now) == expected, now
        ticket.status = TicketStatus.SIGNED  # signed: only the reply deadline counts
        assert flags.flag_of(ticket, now) == sla.flag_for(start, ticket.reply_by, now, CALENDAR), now
        checked += 1
    assert checked > 50


@pytest.mark.parametrize("clock", CLOCKS[:3], ids=lambda c: f"{c[1]}-{c[0]:%m%d%H%M}")
def test_finished_work_is_judged_when_it_was_finished(clock):
    start = clock[0]
    ticket = clocked_ticket(*clock, status=TicketStatus.REPLIED)
    later = CALENDAR.add_working_days(ticket.reply_by, 30)
    for replied in instants(start, CALENDAR.add_working_days(ticket.reply_by, 7), step=timedelta(minutes=97)):
        ticket.replied_at = replied
        assert flags.flag_of(ticket, later) == sla.flag_for(start, ticket.reply_by, later, CALENDAR,
                                                           done_at=replied), replied


def test_thresholds_of_a_complaint_dispatched_on_monday_morning():
    ticket = clocked_ticket(at(2026, 11, 16, 9), "complaint", "normal", False)
    # Reply: 5 working days = 35 h, all of Monday to Friday. 80 % = 28 h: Monday–Thursday, so yellow from
    # Thursday 17:30. Black after 5 more working days late: Friday 11-27 17:30 is exactly 5 days late, and it
    # stays exactly 5 until the next opening, Monday 11-30 09:00.
    assert ticket.reply_by == at(2026, 11, 20, 17, 30)
    assert ticket.reply_warn_at == at(2026, 11, 19, 17, 30)
    assert ticket.reply_black_at == at(2026, 11, 30, 9)
    # Sign: 2 working hours → 11:00; 80 % is 96 minutes → 10:36.
    assert ticket.sign_warn_at == at(2026, 11, 16, 10, 36)


def test_yellow_share_below_a_minute_lands_after_the_lunch_break():
    # 80 % of 2 working hours from 10:01:30 is 96 min: 10:01:30 + 96 min = 11:37:30, inside the morning.
    start = at(2026, 11, 16, 10, 1) + timedelta(seconds=30)
    due = CALENDAR.add_working_minutes(start, 120)
    assert due == at(2026, 11, 16, 13, 31) + timedelta(seconds=30)  # 118.5 min before noon, 1.5 min after 13:30
    assert flags.warn_at(start, due, CALENDAR, 0.8) == at(2026, 11, 16, 11, 37) + timedelta(seconds=30)
    # 99 % is 118.8 min: 118 min + 48 s; the morning holds 118.5 min, so 18 s after the 13:30 opening.
    assert flags.warn_at(start, due, CALENDAR, 0.99) == at(2026, 11, 16, 13, 30) + timedelta(seconds=18)


def test_reopened_twice_or_missed_supervision_is_black_whatever_the_time():
    ticket = clocked_ticket(at(2026, 11, 16, 9), "complaint", "normal", False)
    assert flags.flag_of(ticket, at(2026, 11, 16, 10)) == sla.Flag.GREEN
    ticket.reopen_count = 2
    assert flags.flag_of(ticket, at(2026, 11, 16, 10)) == sla.Flag.BLACK
    ticket.reopen_count, ticket.status = 0, TicketStatus.SIGNED
    ticket.supervision_black_at = at(2026, 11, 17, 12)
    assert flags.flag_of(ticket, at(2026, 11, 17, 12)) == sla.Flag.GREEN
    assert flags.flag_of(ticket, at(2026, 11, 17, 12, 1)) == sla.Flag.BLACK


def test_no_time_limit_no_flag():
    assert flags.flag_of(Ticket(status=TicketStatus.PENDING_DISPATCH, reopen_count=0), at(2026, 11, 16)) is None


def test_sql_flag_is_the_python_flag(session):
    rows = []
    for index, clock in enumerate(CLOCKS):
        for status, done in ((TicketStatus.DISPATCHED, None), (TicketStatus.SIGNED, None),
                             (TicketStatus.REPLIED, 3), (TicketStatus.CLOSED, 6)):
            ticket = clocked_ticket(*clock, status=status)
            if done is not None:
                ticket.replied_at = CALENDAR.add_working_days(clock[0], done)
            ticket.number = f"T{index}{status.value[:3]}"
            rows.append(ticket)
    rows.append(new_ticket(number="Tnone", appeal_type=AppealType.HELP, created_at=at(2026, 11, 16)))
    session.add_all(rows)
    session.commit()
    for now in instants(at(2026, 9, 30, 14), at(2026, 12, 31), step=timedelta(hours=31, minutes=17)):
        got = dict(session.execute(select(Ticket.number, flags.flag_sql(flags.instant(now)))).all())
        assert got == {t.number: (f.value if (f := flags.flag_of(t, now)) else None) for t in rows}, now


@BY_HAND
def test_ticket_json_shows_the_flag_at_the_request_moment(api, clock):
    desk = Desk(api, clock)
    number = desk.new(at(2026, 11, 16, 9))  # complaint: sign by 11:00, reply by Friday 17:30
    assert desk.ticket(number, at(2026, 11, 16, 10))["flag"] == "green"
    assert desk.ticket(number, at(2026, 11, 16, 10, 40))["flag"] == "yellow"  # 80 % of the sign time
    assert desk.ticket(number, at(2026, 11, 16, 11, 1))["flag"] == "red"  # not signed in time
    desk.sign(number, at(2026, 11, 16, 11, 5))
    assert desk.ticket(number, at(2026, 11, 16, 11, 6))["flag"] == "green"  # signed: the reply clock counts
    assert desk.ticket(number, at(2026, 11, 20, 9))["flag"] == "yellow"
    assert desk.ticket(number, at(2026, 11, 23, 9))["flag"] == "red"
    assert desk.ticket(number, at(2026, 11, 30, 9, 1))["flag"] == "black"  # more than 5 working days late
    replied = desk.reply(number, at(2026, 11, 30, 10))
    assert replied["flag"] == "black"
    assert desk.ticket(number, at(2027, 3, 1))["flag"] == "black"  # judged when replied, for good


@BY_HAND
def test_flag_counts_per_department(api, clock):
    desk = Desk(api, clock)
    late = desk.new(at(2026, 11, 16, 9), "zjj")
    desk.sign(late, at(2026, 11, 16, 10))
    fresh = desk.new(at(2026, 11, 23, 9), "zjj")
    desk.new(at(2026, 11, 23, 9), "jtj", appeal_type="consultation")
    done = desk.new(at(2026, 11, 16, 9), "jtj")
    desk.sign(done, at(2026, 11, 16, 9, 30), "jtj")
    desk.reply(done, at(2026, 11, 16, 10), "jtj")  # replied: no longer open work
    clock.set(at(2026, 11, 23, 10, 50))
    body = api.get("/flags", "supervisor").json
    assert body["as_of"] == "2026-11-23T10:50:00+08:00"
    lines = {line["department"]["code"]: line for line in body["departments"]}
    # zjj: `late` is past Friday's reply-by (red); `fresh` is unsigned, 110 of its 120 sign minutes used (yellow).
    assert lines["zjj"] == {"department": lines["zjj"]["department"], "green": 0, "yellow": 1, "red": 1,
                            "black": 0, "total": 2}
    # jtj: a consultation unsigned for 110 of 120 minutes: yellow.
    assert (lines["jtj"]["yellow"], lines["jtj"]["total"]) == (1, 1)
    assert body["city"] == {"green": 0, "yellow": 2, "red": 1, "black": 0, "total": 3}
    mine = api.get("/flags", "zjj").json
    assert [line["department"]["code"] for line in mine["departments"]] == ["zjj"] and mine["city"] is None
    assert api.get("/flags", "operator").status_code == 403
    assert fresh


@BY_HAND
def test_difficult_flag(api, clock, session):
    desk = Desk(api, clock)
    number = desk.new(at(2026, 11, 16, 9))
    assert api.post(f"/tickets/{number}/difficult", "supervisor", {"reason": ""}).json["field"] == "reason"
    assert api.post(f"/tickets/{number}/difficult", "supervisor", {}).json["field"] == "reason"
    assert api.post(f"/tickets/{number}/difficult", "operator", {"reason": "涉及多部门"}).status_code == 403
    assert api.post(f"/tickets/{number}/difficult", "zjj", {"reason": "涉及多部门"}).status_code == 403
    flagged = api.post(f"/tickets/{number}/difficult", "dispatcher", {"reason": "涉及多部门，需协调"})
    assert flagged.status_code == 200 and flagged.json["difficult"] is True
    assert flagged.json["events"][-1]["action"] == "flagged_difficult"
    assert flagged.json["events"][-1]["note"] == "涉及多部门，需协调"
    again = api.post(f"/tickets/{number}/difficult", "supervisor", {"reason": "再次"})
    assert again.status_code == 409
    assert api.post("/tickets/2026000000000/difficult", "supervisor", {"reason": "x"}).status_code == 404
