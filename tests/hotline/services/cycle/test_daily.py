"""每日一回访: callback due dates, three unreached attempts, escalations once per deadline, stored flags."""
from sqlalchemy import func, select, update

from models import EventAction, JobRun, Ticket, TicketEvent

from tests.builders import at, ticket_row
from tests.hotline.api.helpers import BY_HAND, Desk, local

pytestmark = BY_HAND


def escalations(session, number: str) -> list[dict]:
    """The ESCALATED events of a ticket, oldest first."""
    session.expire_all()
    ticket = ticket_row(session, number)
    events = session.scalars(select(TicketEvent).where(
        TicketEvent.ticket_id == ticket.id, TicketEvent.action == EventAction.ESCALATED).order_by(TicketEvent.id))
    return [event.data for event in events]


def test_callback_is_due_one_working_day_after_the_reply(api, clock):
    desk = Desk(api, clock)
    number = desk.new(at(2026, 11, 20, 9))
    desk.sign(number, at(2026, 11, 20, 10))
    replied = desk.reply(number, at(2026, 11, 20, 16))
    # Friday 16:00 + 7 working hours: 1.5 h on Friday, 5.5 h on Monday → Monday 16:00.
    assert local(replied["callback_due_at"]) == at(2026, 11, 23, 16)
    on_call = desk.call("POST", "/tickets", "operator", at(2026, 11, 16, 17), {
        "content": "请问公积金怎么提取？", "caller_phone": "13900009999", "appeal_type": "consultation",
        "resolved_on_call": True, "reply": "可在住房公积金中心网厅办理。"}, status=201)
    assert local(on_call["callback_due_at"]) == at(2026, 11, 17, 17)
    assert on_call["flag"] is None  # answered on the call: no time limit ran


def test_three_unreached_attempts_close_as_unreachable(api, clock):
    desk = Desk(api, clock)
    number = desk.new(at(2026, 11, 16, 9))
    desk.sign(number, at(2026, 11, 16, 10))
    desk.reply(number, at(2026, 11, 16, 11))
    for hour in (9, 11):
        assert desk.callback(number, at(2026, 11, 17, hour), reached=False)["status"] == "replied"
    last = desk.callback(number, at(2026, 11, 17, 15), reached=False)
    assert (last["status"], last["callback_unreachable"]) == ("closed", True)
    # A callback on a ticket not awaiting one is refused, naming nothing half-saved.
    again = api.post(f"/tickets/{number}/callback", "supervisor", {"reached": False})
    assert again.status_code == 409


def test_daily_job_escalates_each_missed_deadline_once(api, clock, runner, session):
    desk = Desk(api, clock)
    number = desk.new(at(2026, 11, 16, 9))  # complaint: sign by 11:00, reply by Friday 17:30

    clock.set(at(2026, 11, 16, 12))
    result = runner.invoke(args=["cycle", "daily"])
    assert result.exit_code == 0, result.output
    assert "daily 2026-11-16: done" in result.output
    assert escalations(session, number) == [{"deadline": "sign", "due": "2026-11-16T03:00:00+00:00"}]
    row = ticket_row(session, number)
    assert (row.flag.value, row.flag_at) == ("red", at(2026, 11, 16, 12))

    again = runner.invoke(args=["cycle", "daily"])  # the same day: nothing changes
    assert "already run" in again.output
    assert len(escalations(session, number)) == 1

    desk.sign(number, at(2026, 11, 17, 8, 50))
    clock.set(at(2026, 11, 17, 9))
    assert runner.invoke(args=["cycle", "daily"]).exit_code == 0  # the sign deadline was escalated already
    assert len(escalations(session, number)) == 1
    assert ticket_row(session, number).flag.value == "green"

    clock.set(at(2026, 11, 23, 8, 30))
    assert runner.invoke(args=["cycle", "daily"]).exit_code == 0
    assert escalations(session, number)[-1] == {"deadline": "reply", "due": "2026-11-20T09:30:00+00:00"}
    desk.call("POST", f"/tickets/{number}/extension", "zjj", at(2026, 11, 23, 9), {"reason": "材料待补", "working_days": 2})
    desk.call("POST", f"/tickets/{number}/extension/approve", "supervisor", at(2026, 11, 23, 9, 30), {})
    clock.set(at(2026, 11, 24, 8, 30))
    assert runner.invoke(args=["cycle", "daily"]).exit_code == 0  # extended to Tuesday 17:30: not overdue
    assert len(escalations(session, number)) == 2
    clock.set(at(2026, 11, 25, 8, 30))
    assert runner.invoke(args=["cycle", "daily"]).exit_code == 0  # the new deadline is missed: a new escalation
    assert [e["deadline"] for e in escalations(session, number)] == ["sign", "reply", "reply"]
    assert escalations(session, number)[-1]["due"] == "2026-11-24T09:30:00+00:00"
    ticket = desk.ticket(number)
    assert [e["action"] for e in ticket["events"]].count("escalated") == 3
    assert ticket["events"][-1]["actor"] is None and ticket["events"][-1]["from_status"] == "signed"


def test_daily_job_schedules_missing_callbacks_and_reports_the_callback_list(api, clock, runner, session):
    desk = Desk(api, clock)
    numbers = [desk.new(at(2026, 11, 16, 9)) for _ in range(3)]
    for number in numbers:
        desk.sign(number, at(2026, 11, 16, 9, 30))
    desk.reply(numbers[0], at(2026, 11, 16, 10))  # due Tuesday 10:00: overdue at Wednesday's run
    desk.reply(numbers[1], at(2026, 11, 17, 16))  # due Wednesday 16:00: due today
    desk.reply(numbers[2], at(2026, 11, 17, 17))
    # A reply saved without the policy (an import, an old client) has no due date; the daily job gives it one.
    session.execute(update(Ticket).where(Ticket.number == numbers[2]).values(callback_due_at=None))
    session.commit()
    clock.set(at(2026, 11, 18, 8))
    result = runner.invoke(args=["cycle", "daily"])
    assert result.exit_code == 0, result.output
    assert local(desk.ticket(numbers[2])["callback_due_at"]) == at(2026, 11, 18, 17)
    run = session.scalar(select(JobRun).where(JobRun.job == "daily"))
    assert run.period == "2026-11-18"
    assert run.result["callbacks_scheduled"] == 1
    assert run.result["callbacks"] == {"awaiting": 3, "due_today": 3, "overdue": 1}
    assert session.scalar(select(func.count()).select_from(JobRun)) == 1


def test_closed_tickets_are_judged_once_by_the_next_run(api, clock, runner, session):
    desk = Desk(api, clock)
    number = desk.new(at(2026, 11, 16, 9))
    desk.sign(number, at(2026, 11, 16, 10))
    clock.set(at(2026, 11, 17, 8))
    runner.invoke(args=["cycle", "daily"])
    assert ticket_row(session, number).flag.value == "green"
    desk.reply(number, at(2026, 11, 23, 10))  # late
    desk.callback(number, at(2026, 11, 23, 15))  # closed the same day
    clock.set(at(2026, 11, 24, 8))
    runner.invoke(args=["cycle", "daily"])
    row = ticket_row(session, number)
    assert (row.status.value, row.flag.value, row.flag_at) == ("closed", "red", at(2026, 11, 24, 8))
    clock.set(at(2026, 11, 25, 8))
    runner.invoke(args=["cycle", "daily"])
    assert ticket_row(session, number).flag_at == at(2026, 11, 24, 8)  # final: not written again
