"""The report's figures for one work order (ticket × unit) as SQL conditions, whatever table the pairs come from.

docs/metrics.md §4 defines every count over a unit's work orders; :func:`conditions` is that table
written once (the callback counts are the period's reached callbacks instead: callback_rounds). The
reports count them over the work orders still open (``work_orders``), the daily job sums them into ``report_rollups`` once a ticket is closed, and :func:`hotline.services.cycle.reports.recount`
counts them over the events, the definition's own terms, to check the other two.
"""
from __future__ import annotations

from sqlalchemy import and_, case, func, not_, or_, true
from sqlalchemy.sql.elements import ColumnElement

from models import EventAction, Ticket, TicketStatus, WorkOrder

from ..sla import Flag
from . import callback_rounds

DISPATCH_ACTIONS = (EventAction.ROUTED, EventAction.ASSIGNED)
FLAGS = tuple(f.value for f in Flag)
# Every count a unit's line is made of (``overdue`` is derived from two of them).
COUNTS = (
    "assigned", "returned", "repeat_complaints", "handled", "due_to_sign", "signed_on_time", "due_to_reply",
    "replied_on_time", "overdue", "replied", "called_back", "unreachable", "reached", "solved", "satisfied",
    "basically_satisfied", "unsatisfied", "reopened",
)
# What is summed per work order (and stored per unit and day in report_rollups): the counts, then one per flag.
# The callback counts are not: every reached callback counts, in its own month (callback_rounds.counts).
SUMMED = tuple(name for name in COUNTS if name != "overdue" and name not in callback_rounds.COUNTS) + tuple(
    f"flag_{value}" for value in FLAGS)


def conditions(unit: ColumnElement, returned: ColumnElement, rounds: dict[str, ColumnElement],
               flag: ColumnElement, at: ColumnElement) -> dict[str, ColumnElement]:
    """Whether the work order of ``unit`` on the joined ticket counts in each of :data:`SUMMED`, judged at ``at``.

    ``rounds`` says whether the unit signed / replied in an earlier round, and late (``signed``,
    ``signed_late``, ``replied``, ``replied_late``); ``flag`` is the ticket's flag at ``at``.
    """
    t = Ticket
    at = func.coalesce(t.paused_at, at)  # 挂起: a paused ticket's deadlines are judged when it was paused
    handled = t.department_id == unit  # the unit still holds it (not returned elsewhere)
    # Timing is judged over every handling round of the unit (docs/metrics.md §4): the current round from
    # the ticket's columns, every round (earlier ones included) from what its SIGNED / REPLIED events recorded.
    sign_due = or_(t.signed_at.is_not(None), t.sign_by < at, rounds["signed"])
    sign_late = or_(and_(t.signed_at.is_not(None), t.signed_at > t.sign_by),
                    and_(t.signed_at.is_(None), t.sign_by < at), rounds["signed_late"])
    reply_due = or_(t.replied_at.is_not(None), t.reply_by < at, rounds["replied"])
    reply_late = or_(and_(t.replied_at.is_not(None), t.replied_at > t.reply_by),
                     and_(t.replied_at.is_(None), t.reply_by < at), rounds["replied_late"])
    return {
        "assigned": true(),
        "returned": returned,
        "repeat_complaints": t.repeat_of_id.is_not(None),
        "handled": handled,
        "due_to_sign": and_(handled, sign_due),
        "signed_on_time": and_(handled, sign_due, not_(sign_late)),
        "due_to_reply": and_(handled, reply_due),
        "replied_on_time": and_(handled, reply_due, not_(reply_late)),
        "replied": and_(handled, or_(t.replied_at.is_not(None), t.reopen_count > 0)),
        "called_back": and_(handled, or_(t.satisfaction.is_not(None), t.callback_unreachable.is_(True))),
        "unreachable": and_(handled, t.callback_unreachable.is_(True)),
        "reopened": and_(handled, t.reopen_count > 0),
        **{f"flag_{value}": and_(handled, flag == value) for value in FLAGS},
    }


def with_callbacks(rows: dict, callbacks: dict) -> dict:
    """Work-order sums per key (unit or channel) with that key's callback counts; a key with callbacks only
    (a unit called back this month on last month's work, or ``None`` for 即来即办) gets zero work orders."""
    for key in set(rows) | set(callbacks):
        row = rows.setdefault(key, dict.fromkeys(SUMMED, 0))
        row.update(callbacks.get(key, dict.fromkeys(callback_rounds.COUNTS, 0)))
    return rows


def counted(conditions_by_name: dict[str, ColumnElement]) -> dict[str, ColumnElement]:
    """COUNT of the rows meeting each condition."""
    return {name: func.count(case((condition, 1))) for name, condition in conditions_by_name.items()}


def work_order_rounds() -> dict[str, ColumnElement]:
    """The earlier rounds as ``work_orders`` records them (read only for reopened tickets, as with the events)."""
    w, reopened = WorkOrder, Ticket.reopen_count > 0
    return {"signed": and_(reopened, w.signed_round), "signed_late": and_(reopened, w.signed_late),
            "replied": and_(reopened, w.replied_round), "replied_late": and_(reopened, w.replied_late)}


def work_order_conditions(flag: ColumnElement, at: ColumnElement) -> dict[str, ColumnElement]:
    """:func:`conditions` over ``work_orders`` joined to its ticket."""
    return conditions(WorkOrder.department_id, WorkOrder.returned, work_order_rounds(), flag, at)


def settled() -> ColumnElement:
    """Whether a work order's figures are final: its ticket is closed, and no figure depends on the instant judged.

    A closed ticket changes no more, except that a supervision case can set ``supervision_black_at``
    and so turn its flag black after a deadline; the reports correct for that (rollups.corrections),
    which needs the deadline to come after the work order's dispatch: a ticket under a case older
    than its dispatch stays counted one by one.
    """
    t, w = Ticket, WorkOrder
    return and_(
        t.status == TicketStatus.CLOSED,
        or_(t.signed_at.is_not(None), t.sign_by.is_(None)),
        or_(t.replied_at.is_not(None), t.reply_by.is_(None)),
        or_(t.supervision_black_at.is_(None), t.supervision_black_at >= w.dispatched_at),
    )
