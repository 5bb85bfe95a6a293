"""The counts every open page polls: hand-counted rows, a unit seeing only its own, stamps that move on change."""
from datetime import timedelta

from hotline.services.live import live_counts
from models import Alert, TicketStatus
from tests.builders import at, department, make_ticket, user

S = TicketStatus
NOW = at(2026, 11, 16, 10)  # Monday 10:00 in the city; "today" ends at midnight


def unit_ticket(session, code, status, reply_by, dispatched_at=NOW - timedelta(hours=1)):
    """A work order of unit `code` in `status` with the reply deadline `reply_by`."""
    return make_ticket(session, dispatched_at, status=status, department=department(session, code),
                       dispatched_at=dispatched_at, reply_by=reply_by)


def test_a_unit_counts_its_new_due_today_and_overdue_work_orders(session, policy):
    unit_ticket(session, "zjj", S.DISPATCHED, at(2026, 11, 16, 17))  # new, due today
    unit_ticket(session, "zjj", S.SIGNED, at(2026, 11, 16, 23, 59))  # due today
    unit_ticket(session, "zjj", S.SIGNED, at(2026, 11, 16, 9))  # overdue
    unit_ticket(session, "zjj", S.DISPATCHED, at(2026, 11, 17, 0))  # new, due tomorrow
    unit_ticket(session, "zjj", S.REPLIED, at(2026, 11, 16, 9))  # replied: no longer the unit's open work
    unit_ticket(session, "jtj", S.DISPATCHED, at(2026, 11, 16, 9))  # another unit's
    answer = live_counts(session, user(session, "zjj"), policy, NOW)
    assert answer["counts"] == {"new": 2, "due_today": 2, "overdue": 1}


def test_a_new_work_order_moves_the_inbox_stamp_and_is_named(session, policy):
    zjj = user(session, "zjj")
    unit_ticket(session, "zjj", S.DISPATCHED, at(2026, 11, 17))
    before = live_counts(session, zjj, policy, NOW)
    assert live_counts(session, zjj, policy, NOW)["stamps"] == before["stamps"]  # nothing changed: same stamp
    fresh = unit_ticket(session, "zjj", S.DISPATCHED, at(2026, 11, 18), dispatched_at=NOW)
    after = live_counts(session, zjj, policy, NOW)
    assert after["stamps"]["inbox"] != before["stamps"]["inbox"]
    assert after["latest"]["number"] == fresh.number
    fresh.status = S.SIGNED  # a colleague signed it: the list shows another status
    fresh.version += 1
    session.flush()
    assert live_counts(session, zjj, policy, NOW)["stamps"]["inbox"] != after["stamps"]["inbox"]


def test_the_dispatcher_counts_the_manual_queue(session, policy):
    first = make_ticket(session, NOW, status=S.PENDING_DISPATCH)
    make_ticket(session, NOW, status=S.PENDING_DISPATCH)
    make_ticket(session, NOW, status=S.DISPATCHED)
    answer = live_counts(session, user(session, "dispatcher"), policy, NOW)
    assert answer["counts"] == {"queue": 2}
    first.status, first.version = S.DISPATCHED, first.version + 1
    make_ticket(session, NOW, status=S.PENDING_DISPATCH)  # one assigned, one arrived: the count alone would hide it
    again = live_counts(session, user(session, "dispatcher"), policy, NOW)
    assert again["counts"] == {"queue": 2} and again["stamps"] != answer["stamps"]


def test_the_supervisor_counts_callbacks_extensions_and_open_hot_spots(session, policy):
    make_ticket(session, NOW, status=S.REPLIED, callback_due_at=at(2026, 11, 16, 9))  # overdue (so due too)
    make_ticket(session, NOW, status=S.REPLIED, callback_due_at=at(2026, 11, 16, 18))  # due today
    make_ticket(session, NOW, status=S.REPLIED, callback_due_at=at(2026, 11, 17, 9))  # tomorrow's list
    session.add_all([Alert(district="雁峰区", category="城建", ticket_count=5, window_start=NOW - timedelta(hours=24),
                           window_end=NOW),
                     Alert(district="石鼓区", category="城建", ticket_count=6, window_start=NOW - timedelta(hours=24),
                           window_end=NOW, acknowledged_at=NOW)])
    session.flush()
    answer = live_counts(session, user(session, "supervisor"), policy, NOW)
    assert answer["counts"] == {"callbacks_due": 2, "callbacks_overdue": 1, "extensions": 0, "alerts": 1}
    assert set(answer["stamps"]) == {"callbacks", "alerts"}


def test_an_operator_has_no_live_list(session, policy):
    assert live_counts(session, user(session, "operator"), policy, NOW) == {"counts": {}, "stamps": {}, "latest": None}
