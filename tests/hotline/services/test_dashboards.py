"""Each role's day: counts worked out by hand from a few tickets around 09:00 on Monday 2026-11-16 (Hengyang)."""
from __future__ import annotations

from datetime import timedelta

from hotline.services import dashboards
from hotline.services.cycle import periods, publishing
from models import Alert, ExtensionRequest, ExtensionStatus, ReportKind, TicketStatus, Urgency

from ...builders import department, make_ticket
from .conftest import NOW

S = TicketStatus
HOUR = timedelta(hours=1)


def test_the_operators_day_counts_its_own_calls_since_midnight_by_hour_and_the_open_repeats(session, user, policy):
    me, other = user("operator"), user("dispatcher")
    make_ticket(session, NOW - 2 * HOUR, created_by_id=me.id)  # 07:00
    make_ticket(session, NOW - 2 * HOUR + timedelta(minutes=30), created_by_id=me.id, resolved_on_call=True)
    make_ticket(session, NOW, created_by_id=me.id)  # 09:00
    make_ticket(session, NOW - 10 * HOUR, created_by_id=me.id)  # 23:00 yesterday
    make_ticket(session, NOW, created_by_id=other.id)
    first = make_ticket(session, NOW - timedelta(days=3), status=S.CLOSED)
    open_repeat = make_ticket(session, NOW - HOUR, status=S.DISPATCHED, repeat_of_id=first.id)
    make_ticket(session, NOW - HOUR, status=S.CLOSED, repeat_of_id=first.id)  # closed: not open
    make_ticket(session, NOW - timedelta(days=40), status=S.SIGNED, repeat_of_id=first.id)  # before the window
    day = dashboards.operator_day(session, me, policy, NOW)
    assert (day.calls, day.on_the_spot) == (3, 1)
    assert day.by_hour == [("7时", 2), ("8时", 0), ("9时", 1)]
    assert day.open_repeats == 1 and [t.number for t in day.repeats] == [open_repeat.number]


def test_the_dispatchers_day_spreads_the_queue_over_the_age_buckets(session, policy):
    for age, extra in ((timedelta(minutes=10), {"urgency": Urgency.URGENT}), (2 * HOUR, {}), (5 * HOUR, {"return_count": 1}),
                       (30 * HOUR, {})):
        make_ticket(session, NOW - age, **extra)
    make_ticket(session, NOW - 3 * HOUR, status=S.DISPATCHED)  # not waiting
    day = dashboards.dispatcher_day(session, policy, NOW)
    assert (day.waiting, day.urgent, day.returned) == (4, 1, 1)
    assert day.oldest == NOW - 30 * HOUR
    assert day.by_age == [("1 小时内", 1), ("1–4 小时", 1), ("4–8 小时", 1), ("8–24 小时", 0), ("1 天以上", 1)]


def test_a_units_day_is_due_today_overdue_flags_and_its_pending_extensions(session, user, policy):
    zjj, jtj = department(session, "zjj"), department(session, "jtj")
    unit = user("zjj")

    def work(reply_by, status=S.SIGNED, code=zjj, **extra):
        return make_ticket(session, NOW - timedelta(days=1), status=status, department=code, dispatched_at=NOW - HOUR * 20,
                           sign_by=NOW - HOUR * 18, reply_by=reply_by, signed_at=NOW - HOUR * 19, **extra)

    today = work(NOW + 3 * HOUR)  # 12:00 today
    work(NOW + 20 * HOUR)  # tomorrow
    late = work(NOW - HOUR)
    work(NOW - HOUR, status=S.REPLIED)  # replied: no longer the unit's to do
    work(NOW + 3 * HOUR, code=jtj)  # another unit's
    session.add(ExtensionRequest(ticket_id=late.id, department_id=zjj.id, reason="等待材料", working_days=3,
                                 status=ExtensionStatus.PENDING, requested_by_id=unit.id, requested_at=NOW))
    session.flush()
    day = dashboards.unit_day(session, unit, policy, NOW)
    assert (day.due_today, day.overdue, day.pending_extensions) == (1, 1, 1)
    assert [t.number for t in day.due_list] == [today.number]
    assert day.flags["red"] == 1 and sum(day.flags.values()) == 3


def test_the_supervisors_day_counts_callbacks_due_overdue_units_alerts_and_the_month(session, policy):
    zjj = department(session, "zjj")
    make_ticket(session, NOW - timedelta(days=2), status=S.REPLIED, department=zjj, replied_at=NOW - timedelta(days=1),
                callback_due_at=NOW + HOUR)
    make_ticket(session, NOW - timedelta(days=2), status=S.REPLIED, department=zjj, replied_at=NOW,
                callback_due_at=NOW + timedelta(days=2))  # due after today
    make_ticket(session, NOW - timedelta(days=2), status=S.SIGNED, department=zjj, reply_by=NOW - HOUR)
    session.add(Alert(category="噪音", district="雁峰区", window_start=NOW - HOUR, window_end=NOW, ticket_count=5))
    session.flush()
    day = dashboards.supervisor_day(session, policy, NOW)
    assert day.callbacks_due == 1
    assert day.overdue_units == [(zjj.name, 1)]
    assert day.open_alerts == 1 and day.month == "2026-11"
    # The month's rates are the monthly report's city line as it stands (the same computation as 月度通报).
    month = periods.parse("monthly", "2026-11", policy.tz)
    city = publishing.live(session, ReportKind.MONTHLY, month, policy, NOW)["city"]
    assert day.rates == {key: city["rates"][key] for key in ("sign_on_time", "reply_on_time", "callback", "solved",
                                                             "satisfaction")}
